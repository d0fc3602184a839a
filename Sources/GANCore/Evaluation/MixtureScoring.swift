import GANData
import GANTensor

/// PacGAN's mode metrics (Lin et al. 2018, section 5.1) for a run trained on a 2-D mixture:
/// modes with at least one high-quality sample (within 3 standard deviations of its nearest
/// mode), the high-quality fraction, and the reverse KL of the mode histogram to uniform.
public enum MixtureScoring {
    /// The mode counter of the recipe's mixture; an error names the recipe when it has none.
    public static func counter(for recipe: Recipe) throws -> ModeCounter {
        let name = recipe.data.string("mixture")
        guard recipe.data.string("dataset") == "mixture", let preset = GaussianMixture.Preset(rawValue: name) else {
            throw TrainingError.invalid("\(recipe.name): mode metrics need a 2-D mixture (data.mixture), not \(recipe.data.string("dataset"))")
        }
        let mixture = GaussianMixture(preset: preset, count: 10, seed: recipe.seed)
        guard !mixture.modes.isEmpty else { throw TrainingError.invalid("\(preset.rawValue) has no modes to count") }
        return mixture.modeCounter
    }

    /// Scores `count` generated samples (the paper uses 2,500) of an opened run.
    public static func score(_ opened: RunLoader.Opened, count: Int, seed: UInt64) throws -> ModeCounter.Result {
        let counter = try counter(for: opened.recipe)
        return try counter.score(opened.variant.generateSamples(count: count, seed: seed))
    }
}
