import GANCore
import GANData
import GANTensor

/// DCGAN (Radford et al. 2016): the non-saturating GAN loss with DCGAN networks, all weights from
/// N(0, 0.02), batch-norm gains from N(1, 0.02), Adam with lr 2e-4 and beta1 0.5.
public final class DCGAN: GANVariant {
    public static let name = "dcgan"
    public static let summary = "Deep convolutional GAN (presets 28, 32, 64)"
    public static let paper = "Radford, Metz, Chintala 2016, arXiv:1511.06434"
    public static let schema = RecipeSchema(model: [
        OptionSpec("preset", .int(28...64), default: .int(28), "28, 32 or 64: the image size the networks are built for"),
        OptionSpec("nz", .int(1...4096), default: .int(100), "latent size"),
        OptionSpec("ngf", .int(1...1024), default: .int(64), "generator width"),
        OptionSpec("ndf", .int(1...1024), default: .int(64), "discriminator width"),
        OptionSpec("init_std", .float(0...1), default: .float(0.02), "std of the N(0, std) weight init"),
    ])

    public let G: Sequential
    public let D: Sequential
    public let optG: Adam
    public let optD: Adam
    public let latentDimension: Int?
    let rng: RandomGenerator

    public init(context: VariantContext) throws {
        let m = context.model, data = context.data
        let preset = m.int("preset"), nz = m.int("nz")
        guard [28, 32, 64].contains(preset) else {
            throw TrainingError.invalid("model.preset must be 28, 32 or 64, got \(preset)")
        }
        guard data.kind == .images, data.height == preset, data.width == preset else {
            throw TrainingError.invalid("model.preset \(preset) needs \(preset)x\(preset) images, the data gives \(data.imageShape) (set data.image_size or data.pad32)")
        }
        let rng = context.initRNG
        if preset == 28 {
            G = DCGANNetworks.generator28(nz: nz, ngf: m.int("ngf"), channels: data.channels, rng: rng)
            D = DCGANNetworks.discriminator28(ndf: m.int("ndf"), channels: data.channels, batchNorm: true, rng: rng)
        } else {
            G = DCGANNetworks.generatorPyramid(size: preset, nz: nz, ngf: m.int("ngf"), channels: data.channels, rng: rng)
            D = DCGANNetworks.discriminatorPyramid(size: preset, ndf: m.int("ndf"), channels: data.channels, rng: rng)
        }
        let std = m.float("init_std")
        for net in [G, D] { DCGANNetworks.initialize(net, std: std, rng: rng) }
        optG = try context.adam(for: G, lr: "lr_g")
        optD = try context.adam(for: D, lr: "lr_d")
        latentDimension = nz
        self.rng = context.rng
    }

    public var networks: [(String, Module)] { [("G", G), ("D", D)] }
    public var optimizers: [(String, any Optimizer)] { [("G", optG), ("D", optD)] }

    public func trainStep(_ data: BatchSource, step: Int) throws -> [String: Float] {
        let real = try data.next().images()
        let n = real.shape[0]
        let fake = try G(rng.normal([n, latentDimension!]))

        // D: maximise log D(x) + log(1 - D(G(z))).
        let dReal = try D(real), dFake = try D(fake.detached())
        let lossD = try Loss.bceWithLogits(dReal, target: 1) + Loss.bceWithLogits(dFake, target: 0)
        try optD.minimize(lossD)

        // G: the non-saturating form, maximise log D(G(z)).
        let lossG = try Loss.bceWithLogits(D(fake), target: 1)
        try optG.minimize(lossG)

        return ["loss_d": lossD.item, "loss_g": lossG.item,
                "d_real": try dReal.sigmoid().mean(axes: nil).item, "d_fake": try dFake.sigmoid().mean(axes: nil).item]
    }

    public func generate(_ input: GeneratorInput) throws -> Tensor {
        guard let z = input.latents else { throw TrainingError.invalid("dcgan: generate needs latents") }
        return try sampling { try G(z) }
    }
}
