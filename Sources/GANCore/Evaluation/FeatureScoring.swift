import GANMetrics
import GANTensor

/// The Fashion-MNIST feature metrics (`FeatureEvaluator`) applied to a variant: which runs they
/// apply to, which metric names are valid for a run, and scoring `count` generated samples. Used
/// by `gan eval`, the trainer's periodic evaluation and the reproduction claims.
public enum FeatureScoring {
    /// True for generators of 1x28x28 images trained on Fashion-MNIST (what the classifier reads).
    public static func applies(to recipe: Recipe, data: DataInfo) -> Bool {
        recipe.data.string("dataset") == "fashion-mnist" && data.kind == .images && data.imageShape == [1, 28, 28]
    }

    /// Checks metric names for a run: unknown names list the valid ones, and "acc" needs a
    /// conditional generator. Returns the set to score.
    public static func validate(_ names: [String], recipe: Recipe, conditional: Bool) throws -> Set<String> {
        let wanted = try FeatureEvaluator.validate(names)
        if wanted.contains("acc") && !conditional {
            throw TrainingError.invalid("metric \"acc\" (accuracy of requested labels) needs a conditional generator; \(recipe.name) (\(recipe.variant)) is unconditional")
        }
        return wanted
    }

    /// The metrics a run gets when none are named: all, "acc" only for conditional generators.
    public static func defaults(conditional: Bool) -> [String] {
        FeatureEvaluator.metricNames.filter { $0 != "acc" || conditional }
    }

    /// `count` samples generated from `seed` (conditional variants cycle through their classes),
    /// scored with `evaluator`. Generation uses its own generator and restores every buffer, so a
    /// training run's state and random streams are untouched.
    public static func score(_ variant: any GANVariant, evaluator: FeatureEvaluator, metrics: Set<String>,
                             count: Int, seed: UInt64) throws -> [String: Double] {
        let samples = try variant.generateSamples(count: count, seed: seed)
        let labels = variant.conditionClasses.map { k in (0..<count).map { $0 % k } }
        return try evaluator.score(generator: samples, labels: labels, metrics: metrics, seed: seed)
    }
}
