import GANTensor
import GANData

/// What a GAN variant declares; the core does everything else (data, loop, logging, checkpoints,
/// samples, evaluation). Modelled on pytorch-CycleGAN-and-pix2pix's BaseModel: named networks,
/// named optimizers, one optimisation step, and a way to generate.
public protocol GANVariant: AnyObject {
    /// Registry name used in recipes ("dcgan", "wgan-gp").
    static var name: String { get }
    /// One line for `gan list`.
    static var summary: String { get }
    /// The paper it follows.
    static var paper: String { get }
    /// Model options and any extra training options (n_critic, lambda_gp, pack size).
    static var schema: RecipeSchema { get }

    init(context: VariantContext) throws

    /// Every network by name ("G", "D", "G_A", "D_B", "G_ema"); all are checkpointed.
    var networks: [(String, Module)] { get }
    /// Every optimizer by name ("G", "D"); their state is checkpointed.
    var optimizers: [(String, any Optimizer)] { get }

    /// One generator step, including however many discriminator steps precede it. Draws as many
    /// batches as it needs from `data` and noise only from `context.rng`. Returns named scalars to
    /// log (losses, the critic's estimate, accuracies).
    func trainStep(_ data: BatchSource, step: Int) throws -> [String: Float]

    /// Generated samples for the given inputs ([N, C, H, W] images in [-1, 1], or [N, 2] points),
    /// computed in evaluation mode without recording gradients.
    func generate(_ input: GeneratorInput) throws -> Tensor

    /// Inputs for the fixed sample grid; the default draws normal latents and, for conditional
    /// variants, one class per row. Image-to-image variants use `data` (a held batch).
    func sampleInputs(count: Int, rng: RandomGenerator, data: BatchSource) throws -> GeneratorInput

    /// Latent size, or nil for variants without a latent (pix2pix, CycleGAN).
    var latentDimension: Int? { get }
    /// Number of classes a conditional variant takes, else nil.
    var conditionClasses: Int? { get }

    /// Generators beyond `context.rng` whose position changes during training (dropout); their
    /// state is checkpointed.
    var randomGenerators: [(String, RandomGenerator)] { get }
    /// Any other state to checkpoint (an image history pool), and how to restore it.
    func extraState() -> [(String, Tensor)]
    func loadExtraState(_ state: [String: Tensor]) throws

    /// Figures a variant reports on held-out data at the end of training (AC-GAN: its auxiliary
    /// classifier's accuracy on real test images). Default: none.
    func evaluate(on test: any Dataset) throws -> [String: Float]
}

extension GANVariant {
    public var conditionClasses: Int? { nil }
    public var randomGenerators: [(String, RandomGenerator)] { [] }
    public func extraState() -> [(String, Tensor)] { [] }
    public func loadExtraState(_ state: [String: Tensor]) throws {}
    public func evaluate(on test: any Dataset) throws -> [String: Float] { [:] }

    public func sampleInputs(count: Int, rng: RandomGenerator, data: BatchSource) throws -> GeneratorInput {
        guard let nz = latentDimension else {
            throw TrainingError.unsupported("\(Self.name) must provide its own sample inputs")
        }
        let labels = conditionClasses.map { k in (0..<count).map { $0 * k / count } }
        return GeneratorInput(latents: rng.normal([count, nz]), labels: labels)
    }

    /// Runs `body` for sampling: networks stay in training mode, so batch norm normalises with the
    /// statistics of the generated batch (as the DCGAN reference implementations sample; running
    /// averages lag a fast-changing generator and give washed-out, striped samples early in
    /// training), without recording, and every buffer (running statistics, counters) is restored
    /// afterwards so sampling never changes the training state.
    public func sampling<T>(_ body: () throws -> T) throws -> T {
        let saved = networks.flatMap { $0.1.namedBuffers() }.map { ($0.1, $0.1.copy()) }
        defer { for (t, copy) in saved { try? t.assign(copy) } }
        return try withoutGrad(body)
    }

    /// Runs `body` with every network in evaluation mode and without recording, restoring modes.
    public func inEvaluationMode<T>(_ body: () throws -> T) rethrows -> T {
        let modes = networks.map { ($0.1, $0.1.isTraining) }
        for (m, _) in modes { m.eval() }
        defer { for (m, was) in modes { m.train(was) } }
        return try withoutGrad(body)
    }
}

/// What a generator takes: latents, class labels, and named condition tensors (an input image for
/// Pix2Pix, viewpoint and transform vectors for the chair GAN).
public struct GeneratorInput {
    public var latents: Tensor?
    public var labels: [Int]?
    public var conditions: [String: Tensor]

    public init(latents: Tensor? = nil, labels: [Int]? = nil, conditions: [String: Tensor] = [:]) {
        self.latents = latents
        self.labels = labels
        self.conditions = conditions
    }

    public var count: Int {
        latents?.shape[0] ?? labels?.count ?? conditions.values.first?.shape[0] ?? 0
    }
}

/// Everything a variant is built from.
public final class VariantContext {
    public let recipe: Recipe
    public let data: DataInfo
    /// Draws the initial weights (used only while the variant is constructed).
    public let initRNG: RandomGenerator
    /// Noise during training (latents, interpolation weights); its position is checkpointed.
    public let rng: RandomGenerator

    public init(recipe: Recipe, data: DataInfo, initRNG: RandomGenerator, rng: RandomGenerator) {
        self.recipe = recipe
        self.data = data
        self.initRNG = initRNG
        self.rng = rng
    }

    public var model: Options { recipe.model }
    public var train: Options { recipe.train }
}

/// A source of training batches (the loader; a fixed batch in tests).
public protocol BatchSource: AnyObject {
    func next() throws -> Batch
    /// Samples per batch.
    var batchSize: Int { get }
}
