import ArgumentParser
import Foundation
import GANCore
import GANMetrics
import GANRegistry

/// `gan classifier`: the feature network of the Fashion-MNIST metrics, loaded from its cache or
/// trained into it from the recipe `classifier-fashion` (also what `gan train classifier-fashion` does).
struct ClassifierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier",
        abstract: "Show the metrics' Fashion-MNIST feature classifier, training it into the cache when missing.")

    @Argument(help: "Classifier recipe name or path.") var recipe: String = ClassifierRecipe.recipeName
    @Option(name: .customLong("set"), help: "Override a field: key.path=value (repeatable).") var overrides: [String] = []
    @Flag(help: "Train it again even when the cache holds it.") var rebuild = false

    func run() throws {
        try reportingErrors {
            let resolved = try Registry.recipeLoader().load(recipe, overrides: overrides)
            Self.report(try Self.evaluator(resolved, rebuild: rebuild))
        }
    }

    static func evaluator(_ recipe: Recipe, rebuild: Bool) throws -> FeatureEvaluator {
        try FeatureEvaluator.fashionClassifier(ClassifierRecipe.settings(recipe), rebuild: rebuild) {
            FileHandle.standardError.write(Data(($0 + "\n").utf8))
        }
    }

    static func report(_ e: FeatureEvaluator) {
        let r = e.record
        print(String(format: "classifier-fashion %@: test accuracy %.4f on %d images, trained in %.0f s, %d features",
                     r.settings.hash, r.testAccuracy, r.testImages, r.trainSeconds, r.settings.features))
        print("cache: \(e.directory.path)")
    }
}
