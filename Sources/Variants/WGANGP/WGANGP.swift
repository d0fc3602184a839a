import GANCore
import GANData
import GANTensor

/// WGAN-GP (Gulrajani et al. 2017, arXiv:1704.00028, Algorithm 1): a critic trained n_critic times
/// per generator step on E[D(fake)] - E[D(real)] + lambda E[(||grad D(x_hat)|| - 1)^2], no batch
/// norm in the critic, Adam(1e-4, betas 0 / 0.9).
public final class WGANGP: WassersteinCritic {
    public static let name = "wgan-gp"
    public static let summary = "Wasserstein GAN with gradient penalty (images or 2-D toys)"
    public static let paper = "Gulrajani et al. 2017, arXiv:1704.00028"
    public static let schema = RecipeSchema(model: [
        OptionSpec("nz", .int(1...4096), default: .int(100), "latent size (2 for the toys' MLP)"),
        OptionSpec("ngf", .int(1...1024), default: .int(64), "generator width (images)"),
        OptionSpec("ndf", .int(1...1024), default: .int(64), "critic width (images)"),
        OptionSpec("mlp_width", .int(1...8192), default: .int(512), "hidden units of the toy MLPs"),
        OptionSpec("mlp_depth", .int(1...16), default: .int(3), "hidden layers of the toy MLPs"),
        OptionSpec("critic_norm", .string(choices: ["none", "layer"]), default: .string("none"), "normalisation in the critic"),
    ], extraTrain: [
        OptionSpec("n_critic", .int(1...100), default: .int(5), "critic steps per generator step"),
        OptionSpec("lambda_gp", .float(0...1000), default: .float(10), "gradient penalty weight"),
    ])

    public let G: Sequential
    public let D: Sequential
    public let optG: Adam, optD: Adam
    public let latentDimension: Int?
    let nCritic: Int, lambda: Float
    let rng: RandomGenerator

    public init(context: VariantContext) throws {
        let m = context.model, t = context.train, data = context.data, rng = context.initRNG
        let nz = m.int("nz")
        switch data.kind {
        case .points:
            G = MLPNetworks.reluMLP(inputs: nz, width: m.int("mlp_width"), depth: m.int("mlp_depth"), outputs: data.width, rng: rng)
            D = MLPNetworks.reluMLP(inputs: data.width, width: m.int("mlp_width"), depth: m.int("mlp_depth"), outputs: 1, rng: rng)
        case .images where data.height == 28 && data.width == 28:
            G = DCGANNetworks.generator28(nz: nz, ngf: m.int("ngf"), channels: data.channels, rng: rng)
            D = DCGANNetworks.discriminator28(ndf: m.int("ndf"), channels: data.channels, batchNorm: false,
                                              layerNorm: m.string("critic_norm") == "layer", rng: rng)
            for net in [G, D] { DCGANNetworks.initialize(net, std: 0.02, rng: rng) }
        default:
            throw TrainingError.invalid("wgan-gp: needs 28x28 images or 2-D points, the data gives \(data.imageShape)")
        }
        optG = try context.adam(for: G, lr: "lr_g")
        optD = try context.adam(for: D, lr: "lr_d")
        latentDimension = nz
        nCritic = t.int("n_critic")
        lambda = t.float("lambda_gp")
        self.rng = context.rng
    }

    public var networks: [(String, Module)] { [("G", G), ("D", D)] }
    public var optimizers: [(String, any Optimizer)] { [("G", optG), ("D", optD)] }

    public func trainStep(_ data: BatchSource, step: Int) throws -> [String: Float] {
        var last = CriticStepFigures(estimate: 0, loss: 0, gradientNorm: 0)
        for _ in 0..<nCritic { last = try criticStep(real: data.next().samples()) }
        let lossG = try -D(G(rng.normal([data.batchSize, latentDimension!]))).mean(axes: nil)
        try optG.minimize(lossG)
        return ["loss_d": last.loss, "loss_g": lossG.item, "wasserstein": last.estimate, "grad_norm": last.gradientNorm]
    }

    public func criticStep(real: Tensor) throws -> CriticStepFigures {
        let fake = try G(rng.normal([real.shape[0], latentDimension!])).detached()
        let dReal = try D(real).mean(axes: nil), dFake = try D(fake).mean(axes: nil)
        let gp = try GradientPenalty.wgan(critic: { try self.D($0) }, real: real, fake: fake, rng: rng)
        let lossD = try dFake - dReal + gp.penalty * lambda
        try optD.minimize(lossD)
        return CriticStepFigures(estimate: dReal.item - dFake.item, loss: lossD.item, gradientNorm: gp.meanNorm)
    }

    public var criticNetwork: Module { D }

    public func generate(_ input: GeneratorInput) throws -> Tensor {
        guard let z = input.latents else { throw TrainingError.invalid("wgan-gp: generate needs latents") }
        return try sampling { try G(z) }
    }
}
