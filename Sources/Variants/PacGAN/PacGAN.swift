import GANCore
import GANData
import GANTensor

/// PacGAN (Lin et al. 2018, arXiv:1712.04086): the discriminator judges packs of m samples
/// concatenated along channels (images) or features (points), all real or all generated; only its
/// input layer grows. m = 1 is the plain GAN with the same networks and budget.
public final class PacGAN: GANVariant {
    public static let name = "pacgan"
    public static let summary = "Packed discriminator against mode collapse (2-D mixtures or images)"
    public static let paper = "Lin, Khetan, Fanti, Oh 2018, arXiv:1712.04086"
    public static let schema = RecipeSchema(model: [
        OptionSpec("pack", .int(1...16), default: .int(2), "samples per discriminator input (1: plain GAN)"),
        OptionSpec("nz", .int(1...4096), default: .int(2), "latent size (2 in the paper's 2-D runs)"),
        OptionSpec("g_width", .int(1...8192), default: .int(400), "generator hidden units (2-D)"),
        OptionSpec("g_depth", .int(1...16), default: .int(4), "generator hidden layers (2-D)"),
        OptionSpec("d_width", .int(1...8192), default: .int(200), "maxout units (2-D)"),
        OptionSpec("d_pieces", .int(1...16), default: .int(5), "maxout pieces (2-D)"),
        OptionSpec("d_depth", .int(1...16), default: .int(3), "maxout layers (2-D)"),
        OptionSpec("ngf", .int(1...1024), default: .int(64), "generator width (images)"),
        OptionSpec("ndf", .int(1...1024), default: .int(64), "discriminator width (images)"),
    ])

    public let G: Sequential, D: Sequential
    public let optG: Adam, optD: Adam
    public let latentDimension: Int?
    public let pack: Int
    let rng: RandomGenerator

    public init(context: VariantContext) throws {
        let m = context.model, t = context.train, data = context.data, rng = context.initRNG
        pack = m.int("pack")
        let nz = m.int("nz"), batch = t.int("batch_size")
        guard batch % pack == 0 else {
            throw TrainingError.invalid("train.batch_size \(batch) must be a multiple of model.pack \(pack)")
        }
        switch data.kind {
        case .points:
            G = MLPNetworks.pacganGenerator(nz: nz, width: m.int("g_width"), depth: m.int("g_depth"), outputs: data.width, rng: rng)
            D = MLPNetworks.maxoutDiscriminator(inputs: data.width * pack, width: m.int("d_width"), pieces: m.int("d_pieces"),
                                                depth: m.int("d_depth"), rng: rng)
        case .images where data.height == 28 && data.width == 28:
            G = DCGANNetworks.generator28(nz: nz, ngf: m.int("ngf"), channels: data.channels, rng: rng)
            D = DCGANNetworks.discriminator28(ndf: m.int("ndf"), channels: data.channels * pack, batchNorm: true, rng: rng)
        default:
            throw TrainingError.invalid("pacgan: needs 28x28 images or 2-D points, the data gives \(data.imageShape)")
        }
        // Authors' code: every weight N(0, 0.02).
        for net in [G, D] { DCGANNetworks.initialize(net, std: 0.02, rng: rng) }
        optG = try context.adam(for: G, lr: "lr_g")
        optD = try context.adam(for: D, lr: "lr_d")
        latentDimension = nz
        self.rng = context.rng
    }

    public var networks: [(String, Module)] { [("G", G), ("D", D)] }
    public var optimizers: [(String, any Optimizer)] { [("G", optG), ("D", optD)] }

    public func trainStep(_ data: BatchSource, step: Int) throws -> [String: Float] {
        let real = try data.next().samples()
        // As in the authors' code (fjxmlzn/PacGAN bricks.py): a batch of B real samples forms B/m
        // packs, the generator runs m times on B/m latents and pack i takes row i of each run.
        let packs = real.shape[0] / pack
        let fake = try Packing.pack(chunks: (0..<pack).map { _ in try G(rng.normal([packs, latentDimension!])) })
        let dReal = try D(Packing.pack(real, size: pack)), dFake = try D(fake)
        // softplus(-D(x)) + softplus(D(G(z))) is BCE with logits against 1 and 0; G minimises
        // softplus(-D(G(z))). Both updated simultaneously from this one forward pass (ali_algorithm).
        let lossD = try Loss.bceWithLogits(dReal, target: 1) + Loss.bceWithLogits(dFake, target: 0)
        let lossG = try Loss.bceWithLogits(dFake, target: 1)
        try SimultaneousStep.minimize([(lossD, optD), (lossG, optG)])
        // Mean D(x) and D(G(z)) as probabilities, as DCGAN logs them (the authors' bricks.py monitors
        // the same as data_accuracy and 1 - sample_accuracy): both near 0.5 once D stops discriminating.
        return ["loss_d": lossD.item, "loss_g": lossG.item,
                "d_real": try dReal.sigmoid().mean(axes: nil).item, "d_fake": try dFake.sigmoid().mean(axes: nil).item]
    }

    public func generate(_ input: GeneratorInput) throws -> Tensor {
        guard let z = input.latents else { throw TrainingError.invalid("pacgan: generate needs latents") }
        return try sampling { try G(z) }
    }
}
