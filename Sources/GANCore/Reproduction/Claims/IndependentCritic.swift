import Foundation
import GANData
import GANTensor

/// The Wasserstein estimate of one checkpoint's generator by an independent critic: the run's
/// critic architecture and loss (penalty included), freshly initialised from a fixed seed and
/// trained `steps` updates against the frozen generator, then read on held-out real images
/// against fixed latents. Every checkpoint gets the same critic budget from the same start, so
/// the estimates compare the generators and nothing else.
///
/// Why not the run's own critic loss: a WGAN critic's loss estimates the distance only when the
/// critic is close to optimal (Arjovsky et al. 2017, section 3). The paper's runs are long enough
/// for it to keep up (200k generator steps); over this suite's 1,200 the critic is still learning
/// its features, so its loss measures its own progress as much as the generator's. Continuing the
/// run's critic for 100 updates at each checkpoint did not remove that (fast form: the estimate
/// rose 9.0 -> 19.8 over the first 3 checkpoints while the FID fell, Spearman -0.24).
struct IndependentCritic {
    /// Critic updates against the frozen generator before the estimate is read.
    let steps: Int
    /// Seeds the critic's initial weights, its noise, the batches' order and the latents.
    let seed: UInt64
    private let recipe: Recipe
    /// The run's training set, and the first `heldOut` test images: loaded once for all checkpoints.
    private let train: any Dataset
    private let realSamples: Tensor

    init(recipe: Recipe, steps: Int, heldOut: Int, seed: UInt64) throws {
        self.recipe = recipe
        self.steps = steps
        self.seed = seed
        train = try DataFactory.make(recipe.data, seed: recipe.seed).dataset
        var testOptions = recipe.data
        testOptions.set("split", .string("test"))
        testOptions.set("limit", .null)
        let test = try DataFactory.make(testOptions, seed: recipe.seed).dataset
        guard test.count >= heldOut else {
            throw TrainingError.invalid("\(test.name): \(test.count) test samples, the critic estimate needs \(heldOut)")
        }
        let real = try DataLoader(dataset: test, batchSize: heldOut, shuffle: false, dropLast: true, seed: 0)
        defer { real.close() }
        realSamples = try real.next().samples()
    }

    func estimate(_ opened: RunLoader.Opened) throws -> Double {
        guard let variant = opened.variant as? any WassersteinCritic else {
            throw TrainingError.invalid("\(opened.checkpoint.path): variant \(opened.recipe.variant) has no Wasserstein critic")
        }
        guard let nz = variant.latentDimension else { throw TrainingError.invalid("\(opened.recipe.variant): no latent") }
        // A second instance of the variant supplies the fresh critic weights; the checkpoint's
        // critic optimizer state was not loaded (weights only), so the optimizer starts fresh too.
        let root = RandomGenerator(seed: seed)
        let fresh = try type(of: variant).init(context: VariantContext(recipe: recipe, data: opened.data,
                                                                       initRNG: root.fork("init"), rng: root.fork("unused")))
        for ((_, mine), (_, initial)) in zip(variant.criticNetwork.namedParameters(), fresh.criticNetwork.namedParameters()) {
            try mine.assign(initial)
        }
        // The same batches in the same order for every checkpoint.
        let batches = try DataLoader(dataset: train, batchSize: recipe.train.int("batch_size"), shuffle: true, dropLast: true,
                                     seed: seed, prefetch: 2, workers: recipe.data.int("workers"))
        defer { batches.close() }
        for _ in 0..<steps { _ = try variant.criticStep(real: batches.next().samples()) }

        let fakeSamples = try variant.generate(GeneratorInput(latents: root.fork("latents").normal([realSamples.shape[0], nz])))
        return try withoutGrad { try meanScore(variant.criticNetwork, realSamples) - meanScore(variant.criticNetwork, fakeSamples) }
    }

    /// The critic's mean score over `x`, in chunks so memory stays bounded.
    private func meanScore(_ critic: Module, _ x: Tensor) throws -> Double {
        let n = x.shape[0], chunk = 250
        var total = 0.0
        for start in stride(from: 0, to: n, by: chunk) {
            total += Double(try critic(x.sliced(axis: 0, start: start, end: min(start + chunk, n))).sum(axes: nil).item)
        }
        return total / Double(n)
    }
}
