import GANCore
import GANData
import GANTensor

/// The starting point for a new variant: `swift package new-variant --name NAME` (or `gan
/// new-variant NAME`) copies this module under the new name, with its recipe and its test. It is
/// the original GAN (Goodfellow et al. 2014) with the non-saturating generator loss, on 2-D points
/// with ReLU MLPs: short enough to read whole, and it trains. Replace the networks, the losses and
/// the step with your paper's; shared pieces (DCGAN-family networks, gradient penalty, packing,
/// label conditioning, image pool, EMA) are in GANCore, layers and losses in GANTensor.
public final class TemplateGAN: GANVariant {
    /// The name recipes use (`variant: ...`).
    public static let name = "template"
    public static let summary = "Original GAN on 2-D points, the module `gan new-variant` copies"
    public static let paper = "Goodfellow et al. 2014, arXiv:1406.2661"
    /// Model options (and extra train options) this variant reads; recipes are checked against them.
    public static let schema = RecipeSchema(model: [
        OptionSpec("nz", .int(1...4096), default: .int(2), "latent size"),
        OptionSpec("width", .int(1...8192), default: .int(128), "hidden units of G and D"),
        OptionSpec("depth", .int(1...16), default: .int(3), "hidden layers of G and D"),
    ])

    public let G: Sequential
    public let D: Sequential
    public let optG: Adam, optD: Adam
    public let latentDimension: Int?
    let rng: RandomGenerator

    public init(context: VariantContext) throws {
        let m = context.model, data = context.data, rng = context.initRNG
        guard data.kind == .points else {
            throw TrainingError.invalid("\(Self.name): needs 2-D points (data.dataset: mixture), the data gives \(data.imageShape)")
        }
        let nz = m.int("nz"), width = m.int("width"), depth = m.int("depth")
        G = MLPNetworks.reluMLP(inputs: nz, width: width, depth: depth, outputs: data.width, rng: rng)
        D = MLPNetworks.reluMLP(inputs: data.width, width: width, depth: depth, outputs: 1, rng: rng)
        optG = try context.adam(for: G, lr: "lr_g")
        optD = try context.adam(for: D, lr: "lr_d")
        latentDimension = nz
        self.rng = context.rng
    }

    public var networks: [(String, Module)] { [("G", G), ("D", D)] }
    public var optimizers: [(String, any Optimizer)] { [("G", optG), ("D", optD)] }

    public func trainStep(_ data: BatchSource, step: Int) throws -> [String: Float] {
        let real = try data.next().samples()
        let fake = try G(rng.normal([real.shape[0], latentDimension!]))
        // D maximises log D(x) + log(1 - D(G(z))).
        let lossD = try Loss.bceWithLogits(D(real), target: 1) + Loss.bceWithLogits(D(fake.detached()), target: 0)
        try optD.minimize(lossD)
        // G maximises log D(G(z)) (the paper's non-saturating form).
        let lossG = try Loss.bceWithLogits(D(fake), target: 1)
        try optG.minimize(lossG)
        return ["loss_d": lossD.item, "loss_g": lossG.item]
    }

    public func generate(_ input: GeneratorInput) throws -> Tensor {
        guard let z = input.latents else { throw TrainingError.invalid("\(Self.name): generate needs latents") }
        return try sampling { try G(z) }
    }
}
