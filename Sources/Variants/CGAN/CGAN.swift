import GANCore
import GANData
import GANTensor

/// Conditional GAN (Mirza & Osindero 2014, arXiv:1411.1784): G(z|y) and D(x|y), the class label y
/// given to both. G gets [z, onehot(y)]; D gets y either as constant label planes stacked on the
/// image ("input") or joined to its last hidden features ("hidden"). DCGAN-28 networks otherwise.
public final class CGAN: GANVariant {
    public static let name = "cgan"
    public static let summary = "Conditional GAN: class label fed to G and D"
    public static let paper = "Mirza & Osindero 2014, arXiv:1411.1784"
    public static let schema = RecipeSchema(model: [
        OptionSpec("nz", .int(1...4096), default: .int(100), "latent size"),
        OptionSpec("ngf", .int(1...1024), default: .int(64), "generator width"),
        OptionSpec("ndf", .int(1...1024), default: .int(64), "discriminator width"),
        OptionSpec("d_condition", .string(choices: ["input", "hidden"]), default: .string("input"),
                   "where D receives the label: label maps at the input, or concatenated to its last hidden layer"),
    ])

    public let G: Sequential
    public let D: ConditionalDiscriminator28
    public let optG: Adam, optD: Adam
    public let latentDimension: Int?
    public let conditionClasses: Int?
    let classes: Int, nz: Int
    let rng: RandomGenerator

    public init(context: VariantContext) throws {
        let m = context.model, data = context.data, rng = context.initRNG
        let k = try context.classCount(for: "cgan")
        try context.requireImages(28, for: "cgan")
        classes = k
        nz = m.int("nz")
        G = DCGANNetworks.generator28(nz: nz + k, ngf: m.int("ngf"), channels: data.channels, rng: rng)
        D = ConditionalDiscriminator28(ndf: m.int("ndf"), channels: data.channels, classes: k,
                                       atInput: m.string("d_condition") == "input", rng: rng)
        for net in [G, D] as [Module] { DCGANNetworks.initialize(net, std: 0.02, rng: rng) }
        optG = try context.adam(for: G, lr: "lr_g")
        optD = try context.adam(for: D, lr: "lr_d")
        latentDimension = nz
        conditionClasses = k
        self.rng = context.rng
    }

    public var networks: [(String, Module)] { [("G", G), ("D", D)] }
    public var optimizers: [(String, any Optimizer)] { [("G", optG), ("D", optD)] }

    public func trainStep(_ data: BatchSource, step: Int) throws -> [String: Float] {
        let batch = try data.next()
        let real = try batch.images(), y = try batch.requireLabels()
        let n = real.shape[0]
        let (fake, yFake) = try Conditioning.generate(G, count: n, nz: nz, classes: classes, rng: rng)
        let lossD = try Loss.bceWithLogits(D(real, labels: y), target: 1)
            + Loss.bceWithLogits(D(fake.detached(), labels: yFake), target: 0)
        try optD.minimize(lossD)
        let lossG = try Loss.bceWithLogits(D(fake, labels: yFake), target: 1)
        try optG.minimize(lossG)
        return ["loss_d": lossD.item, "loss_g": lossG.item]
    }

    public func generate(_ input: GeneratorInput) throws -> Tensor {
        guard let z = input.latents, let y = input.labels, y.count == z.shape[0] else {
            throw TrainingError.invalid("cgan: generate needs latents and one label per latent")
        }
        return try sampling { try G(Conditioning.concatLatent(z, labels: y, classes: classes)) }
    }
}

/// DCGAN-28's discriminator given the label at its input (label planes) or at its last hidden layer.
public final class ConditionalDiscriminator28: Module {
    public let features: Sequential
    public let head: Linear
    let classes: Int, atInput: Bool

    init(ndf: Int, channels: Int, classes: Int, atInput: Bool, rng: RandomGenerator) {
        self.classes = classes
        self.atInput = atInput
        let c = channels + (atInput ? classes : 0)
        features = Sequential(
            Conv2d(c, ndf, kernel: 4, stride: 2, padding: 1, rng: rng), LeakyReLU(0.2),
            Conv2d(ndf, 2 * ndf, kernel: 4, stride: 2, padding: 1, bias: false, rng: rng), BatchNorm(2 * ndf), LeakyReLU(0.2),
            Flatten())
        head = Linear(2 * ndf * 7 * 7 + (atInput ? 0 : classes), 1, rng: rng)
    }

    public override var namedChildren: [(String, Module)] { [("features", features), ("head", head)] }

    public func callAsFunction(_ x: Tensor, labels: [Int]) throws -> Tensor {
        if atInput { return try head(features(Conditioning.concatLabelMaps(x, labels: labels, classes: classes))) }
        return try head(Tensor.concat([features(x), Conditioning.oneHot(labels, classes: classes)], axis: 1))
    }
}
