import Foundation
import GANTensor

/// Opens a finished or running training run for sampling and evaluation: its recipe, the variant
/// rebuilt with the data shape it trained on, and the weights of a checkpoint.
public enum RunLoader {
    public struct Opened {
        public let recipe: Recipe
        public let variant: any GANVariant
        public let state: CheckpointState
        public let checkpoint: URL
        public let data: DataInfo
    }

    /// `path` is a run folder (its latest complete checkpoint is used) or one checkpoint folder.
    public static func open(_ path: String, recipes: RecipeLoader,
                            variant lookup: (String) -> (any GANVariant.Type)?) throws -> Opened {
        var checkpoint = URL(fileURLWithPath: path).standardized
        var run = RunFolder(path)
        if FileManager.default.fileExists(atPath: checkpoint.appendingPathComponent("state.json").path) {
            run = RunFolder(checkpoint.deletingLastPathComponent().deletingLastPathComponent().path)
        } else {
            guard let latest = try CheckpointRotation(directory: run.checkpoints, keep: 1_000_000).latest() else {
                throw TrainingError.invalid("\(path): no complete checkpoint found (expected a run folder or a checkpoint folder)")
            }
            checkpoint = latest.url
        }
        let recipe = try recipes.load(run.recipe.path)
        guard let type = lookup(recipe.variant) else { throw TrainingError.invalid("\(run.recipe.path): unknown variant \(recipe.variant)") }
        guard let infoData = FileManager.default.contents(atPath: run.dataInfo.path),
              let info = try? JSONDecoder().decode(DataInfo.self, from: infoData) else {
            throw TrainingError.invalid("\(run.dataInfo.path) is missing or unreadable")
        }
        let root = RandomGenerator(seed: recipe.seed)
        let context = VariantContext(recipe: recipe, data: info, initRNG: root.fork("init"), rng: root.fork("train"))
        let variant = try type.init(context: context)
        let state = try Checkpointer.load(into: variant, from: checkpoint, weightsOnly: true)
        return Opened(recipe: recipe, variant: variant, state: state, checkpoint: checkpoint, data: info)
    }
}
