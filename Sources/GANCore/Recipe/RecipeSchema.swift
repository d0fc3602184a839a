/// The options a recipe may set: the data and training options every variant shares, plus the
/// model options (and any extra training options) a variant declares.
public struct RecipeSchema: Sendable {
    public var data: [OptionSpec]
    public var model: [OptionSpec]
    public var train: [OptionSpec]

    public init(model: [OptionSpec], extraTrain: [OptionSpec] = [], extraData: [OptionSpec] = []) {
        data = Self.commonData + extraData
        self.model = model
        train = Self.commonTrain + extraTrain
    }

    /// A schema with its own sections and none of the shared GAN options (the feature classifier's
    /// recipe, which is not a GAN).
    public init(data: [OptionSpec], model: [OptionSpec], train: [OptionSpec]) {
        self.data = data
        self.model = model
        self.train = train
    }

    public static let datasets = ["fashion-mnist", "mnist-idx", "cifar10", "image-folder", "paired", "unpaired",
                                  "edges2fashion", "fashion-two-domain", "mixture", "chairs"]

    public static let commonData: [OptionSpec] = [
        OptionSpec("dataset", .string(choices: datasets), default: .string("fashion-mnist"), "which dataset"),
        OptionSpec("root", .optionalString, default: .null, "dataset folder or file (default: the dataset's usual place)"),
        OptionSpec("split", .string(choices: ["train", "test"]), default: .string("train"), "which split"),
        OptionSpec("limit", .optionalInt(1...100_000_000), default: .null, "use only the first N samples"),
        OptionSpec("image_size", .optionalInt(4...4096), default: .null, "resize images to this size (square)"),
        OptionSpec("channels", .optionalInt(1...4), default: .null, "convert images to this many channels"),
        OptionSpec("pad32", .bool, default: .bool(false), "pad 28x28 IDX images to 32x32"),
        OptionSpec("transforms", .stringList, default: .list([]), "augmentations, e.g. [\"resize=286\", \"random_crop=256\", \"hflip\"]"),
        OptionSpec("mixture", .string(choices: ["ring8", "grid25", "wgan8", "wgan25", "swissroll"]), default: .string("ring8"), "2-D mixture for dataset: mixture"),
        OptionSpec("classes", .intList, default: .list([]), "class ids (two-domain sets: [A, B])"),
        OptionSpec("direction", .string(choices: ["AtoB", "BtoA"]), default: .string("AtoB"), "translation direction of paired sets"),
        OptionSpec("workers", .int(1...16), default: .int(1), "loader threads"),
        OptionSpec("shuffle", .bool, default: .bool(true), "reshuffle each epoch"),
    ]

    public static let commonTrain: [OptionSpec] = [
        OptionSpec("steps", .int(1...100_000_000), default: .int(1000), "generator steps"),
        OptionSpec("batch_size", .int(1...65536), default: .int(64), "samples per batch"),
        OptionSpec("lr_g", .float(0...10), default: .float(2e-4), "generator learning rate"),
        OptionSpec("lr_d", .float(0...10), default: .float(2e-4), "discriminator learning rate"),
        OptionSpec("beta1", .float(0...0.999999), default: .float(0.5), "Adam beta1"),
        OptionSpec("beta2", .float(0...0.999999), default: .float(0.999), "Adam beta2"),
        OptionSpec("lr_schedule", .string(choices: ["constant", "linear", "step"]), default: .string("constant"), "learning-rate schedule"),
        OptionSpec("decay_start", .int(0...100_000_000), default: .int(0), "linear: step where decay to zero starts; step: decay period"),
        OptionSpec("decay_gamma", .float(0...1), default: .float(0.1), "step schedule factor"),
        OptionSpec("log_every", .int(1...1_000_000), default: .int(50), "steps between metric lines"),
        OptionSpec("sample_every", .int(1...1_000_000), default: .int(500), "steps between sample grids"),
        OptionSpec("checkpoint_every", .int(1...1_000_000), default: .int(500), "steps between checkpoints"),
        OptionSpec("keep_checkpoints", .int(1...1000), default: .int(3), "checkpoints kept"),
        OptionSpec("sample_count", .int(1...1024), default: .int(64), "images in a sample grid"),
        OptionSpec("eval_every", .int(0...100_000_000), default: .int(0), "steps between feature-metric evaluations, Fashion-MNIST 28x28 only (0: never)"),
        OptionSpec("eval_metrics", .stringList, default: .list([]), "metrics evaluated every eval_every steps: fid, kid, pr, acc (conditional), msssim ([]: all that apply)"),
        OptionSpec("eval_samples", .int(4...100_000), default: .int(1000), "generated samples per evaluation"),
        OptionSpec("threads", .int(0...256), default: .int(0), "BLAS threads (0: all cores)"),
    ]
}
