import GANCore
import GANData
import GANTensor

/// AC-GAN (Odena, Olah, Shlens 2017, arXiv:1610.09585): G(z, c); D gives a real/fake logit and class
/// logits. With L_S the source log-likelihood and L_C the class log-likelihood, D maximises
/// L_S + L_C and G maximises L_C - L_S (G uses the non-saturating form of -L_S).
public final class ACGAN: GANVariant {
    public static let name = "acgan"
    public static let summary = "Auxiliary-classifier GAN: D also predicts the class"
    public static let paper = "Odena, Olah, Shlens 2017, arXiv:1610.09585"
    public static let schema = RecipeSchema(model: [
        OptionSpec("nz", .int(1...4096), default: .int(100), "latent size"),
        OptionSpec("ngf", .int(1...1024), default: .int(64), "generator width"),
        OptionSpec("ndf", .int(1...1024), default: .int(64), "discriminator width"),
    ])

    public let G: Sequential
    public let D: AuxiliaryDiscriminator28
    public let optG: Adam, optD: Adam
    public let latentDimension: Int?
    public let conditionClasses: Int?
    let classes: Int, nz: Int
    let rng: RandomGenerator

    public init(context: VariantContext) throws {
        let m = context.model, data = context.data, rng = context.initRNG
        let k = try context.classCount(for: "acgan")
        try context.requireImages(28, for: "acgan")
        classes = k
        nz = m.int("nz")
        G = DCGANNetworks.generator28(nz: nz + k, ngf: m.int("ngf"), channels: data.channels, rng: rng)
        D = AuxiliaryDiscriminator28(ndf: m.int("ndf"), channels: data.channels, classes: k, rng: rng)
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

        let (sReal, cReal) = try D.judge(real), (sFake, cFake) = try D.judge(fake.detached())
        let lossD = try Loss.bceWithLogits(sReal, target: 1) + Loss.bceWithLogits(sFake, target: 0)
            + Loss.crossEntropy(logits: cReal, labels: y) + Loss.crossEntropy(logits: cFake, labels: yFake)
        try optD.minimize(lossD)

        let (sG, cG) = try D.judge(fake)
        let lossG = try Loss.bceWithLogits(sG, target: 1) + Loss.crossEntropy(logits: cG, labels: yFake)
        try optG.minimize(lossG)
        return ["loss_d": lossD.item, "loss_g": lossG.item, "acc_real": Self.accuracy(cReal, y)]
    }

    public func generate(_ input: GeneratorInput) throws -> Tensor {
        guard let z = input.latents, let y = input.labels, y.count == z.shape[0] else {
            throw TrainingError.invalid("acgan: generate needs latents and one label per latent")
        }
        return try sampling { try G(Conditioning.concatLatent(z, labels: y, classes: classes)) }
    }

    /// Odena et al. report how well the auxiliary classifier labels real data: its accuracy on
    /// the real test images.
    public func evaluate(on test: any Dataset) throws -> [String: Float] {
        let loader = try DataLoader(dataset: test, batchSize: Swift.min(500, test.count), shuffle: false, dropLast: false,
                                    seed: 0, prefetch: 1)
        defer { loader.close() }
        var hits = 0, total = 0
        for _ in 0..<loader.batchesPerEpoch {
            let batch = try loader.next()
            let predicted = try classify(batch.images()), y = try batch.requireLabels()
            hits += zip(predicted, y).filter { $0 == $1 }.count
            total += y.count
        }
        return ["aux_accuracy": Float(hits) / Float(Swift.max(total, 1))]
    }

    /// Predicted classes of D's auxiliary classifier.
    public func classify(_ x: Tensor) throws -> [Int] {
        let logits = try inEvaluationMode { try D.judge(x).classes }
        let k = logits.shape[1]
        return (0..<logits.shape[0]).map { i in
            (0..<k).max { logits.data[i * k + $0] < logits.data[i * k + $1] }!
        }
    }

    static func accuracy(_ logits: Tensor, _ y: [Int]) -> Float {
        let k = logits.shape[1]
        let hits = y.enumerated().filter { i, label in
            (0..<k).allSatisfy { logits.data[i * k + $0] <= logits.data[i * k + label] }
        }.count
        return Float(hits) / Float(Swift.max(y.count, 1))
    }
}

/// DCGAN-28's discriminator trunk with two heads: source (real/fake) and class.
public final class AuxiliaryDiscriminator28: Module {
    public let features: Sequential
    public let source: Linear
    public let classifier: Linear

    init(ndf: Int, channels: Int, classes: Int, rng: RandomGenerator) {
        features = Sequential(
            Conv2d(channels, ndf, kernel: 4, stride: 2, padding: 1, rng: rng), LeakyReLU(0.2),
            Conv2d(ndf, 2 * ndf, kernel: 4, stride: 2, padding: 1, bias: false, rng: rng), BatchNorm(2 * ndf), LeakyReLU(0.2),
            Flatten())
        source = Linear(2 * ndf * 7 * 7, 1, rng: rng)
        classifier = Linear(2 * ndf * 7 * 7, classes, rng: rng)
    }

    public override var namedChildren: [(String, Module)] {
        [("features", features), ("source", source), ("classifier", classifier)]
    }

    public func judge(_ x: Tensor) throws -> (source: Tensor, classes: Tensor) {
        let h = try features(x)
        return (try source(h), try classifier(h))
    }
}
