import Foundation
import GANData
import GANMetrics

/// The feature classifier's recipe (`Recipes/classifier-fashion.yaml`, `variant: classifier`): not a
/// GAN, so it has a schema of its own instead of the shared GAN options, and `gan train` sends it
/// to `ClassifierTraining` (through the cache) instead of the GAN trainer. Its values become
/// `FashionClassifierSettings`, whose hash names the cache folder.
public enum ClassifierRecipe {
    public static let variantName = "classifier"
    public static let recipeName = "classifier-fashion"
    public static let summary = "Fashion-MNIST feature classifier (the feature network of the metrics), not a GAN"

    public static let schema: RecipeSchema = {
        let d = FashionClassifierSettings()
        return RecipeSchema(
            data: [
                OptionSpec("dataset", .string(choices: ["fashion-mnist"]), default: .string("fashion-mnist"), "the classifier's data"),
                OptionSpec("root", .optionalString, default: .null, "folder of the four Fashion-MNIST .gz files (default: \(FashionMNIST.defaultRoot))"),
                OptionSpec("limit", .optionalInt(2...60_000), default: .null, "train on the first N training images only"),
                OptionSpec("test_limit", .optionalInt(1...10_000), default: .null, "score and take reference features from the first N test images only"),
            ],
            model: [
                OptionSpec("conv1", .int(1...1024), default: .int(d.conv1), "channels of the first conv block"),
                OptionSpec("conv2", .int(1...1024), default: .int(d.conv2), "channels of the second conv block"),
                OptionSpec("features", .int(2...4096), default: .int(d.features), "size of the penultimate (feature) layer"),
                OptionSpec("dropout", .float(0...0.9), default: .float(d.dropout), "dropout before the feature layer"),
            ],
            train: [
                OptionSpec("epochs", .int(1...1000), default: .int(d.epochs), "passes over the training images"),
                OptionSpec("batch_size", .int(2...65536), default: .int(d.batchSize), "images per batch"),
                OptionSpec("lr", .float(0...10), default: .float(d.learningRate), "Adam learning rate"),
                OptionSpec("lr_decay", .float(0...1), default: .float(d.lrDecay), "learning-rate factor after each epoch"),
            ])
    }()

    /// The settings a classifier recipe describes.
    public static func settings(_ recipe: Recipe) throws -> FashionClassifierSettings {
        guard recipe.variant == variantName else {
            throw TrainingError.invalid("\(recipe.file): variant \(recipe.variant) is not a feature classifier recipe")
        }
        var s = FashionClassifierSettings()
        s.seed = recipe.seed
        s.dataRoot = recipe.data.optionalString("root") ?? FashionMNIST.defaultRoot
        s.trainLimit = recipe.data.optionalInt("limit")
        s.testLimit = recipe.data.optionalInt("test_limit")
        s.conv1 = recipe.model.int("conv1")
        s.conv2 = recipe.model.int("conv2")
        s.features = recipe.model.int("features")
        s.dropout = recipe.model.double("dropout")
        s.epochs = recipe.train.int("epochs")
        s.batchSize = recipe.train.int("batch_size")
        s.learningRate = recipe.train.double("lr")
        s.lrDecay = recipe.train.double("lr_decay")
        return s
    }

    /// A loader that knows only the classifier schema, for callers without the variant registry
    /// (the trainer's periodic evaluation, the reproduction claims).
    public static var loader: RecipeLoader {
        RecipeLoader(variantNames: [variantName]) { $0 == variantName ? schema : nil }
    }

    /// The feature evaluator of the toolkit's classifier recipe: loaded from the cache, or trained
    /// into it (with a log line saying why) when missing or corrupt.
    public static func evaluator(recipes: RecipeLoader = loader, recipe: String = recipeName, rebuild: Bool = false,
                                 log: @escaping (String) -> Void) throws -> FeatureEvaluator {
        let settings = try settings(recipes.load(recipe))
        return try FeatureEvaluator.fashionClassifier(settings, rebuild: rebuild, log: log)
    }
}
