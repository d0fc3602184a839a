import GANMetrics

/// The trainer's evaluation every `train.eval_every` steps: the feature metrics of
/// `train.eval_samples` generated images, always from the same latents (seeded by the recipe's
/// seed, so values at different steps compare). It reads the networks only: sampling uses its
/// own generator and restores every buffer, so a run with evaluation gives the same weights as
/// one without. The classifier is loaded (or trained into its cache) at the first evaluation.
final class PeriodicEvaluation {
    let every: Int
    let metrics: Set<String>
    let samples: Int
    let seed: UInt64
    private let makeEvaluator: () throws -> FeatureEvaluator
    private var evaluator: FeatureEvaluator?

    /// nil when the recipe asks for no evaluation; an error naming the recipe key when it asks for
    /// metrics that do not apply to its data or model.
    init?(recipe: Recipe, data: DataInfo, conditional: Bool, makeEvaluator: @escaping () throws -> FeatureEvaluator) throws {
        every = recipe.train.int("eval_every")
        guard every > 0 else { return nil }
        guard FeatureScoring.applies(to: recipe, data: data) else {
            throw TrainingError.invalid("\(recipe.file): train.eval_every: the feature metrics need Fashion-MNIST 28x28 images, not \(recipe.data.string("dataset")) \(data.imageShape)")
        }
        let named = recipe.train.stringList("eval_metrics")
        do {
            metrics = try FeatureScoring.validate(named.isEmpty ? FeatureScoring.defaults(conditional: conditional) : named,
                                                  recipe: recipe, conditional: conditional)
        } catch {
            throw TrainingError.invalid("\(recipe.file): train.eval_metrics: \(error)")
        }
        samples = recipe.train.int("eval_samples")
        seed = recipe.seed
        self.makeEvaluator = makeEvaluator
    }

    func isDue(_ step: Int) -> Bool { step % every == 0 }

    func run(_ variant: any GANVariant) throws -> [String: Double] {
        if evaluator == nil { evaluator = try makeEvaluator() }
        return try FeatureScoring.score(variant, evaluator: evaluator!, metrics: metrics, count: samples, seed: seed)
    }
}
