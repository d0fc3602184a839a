import Foundation
import GANTensor

/// Opens a finished or running training run for sampling and evaluation: its recipe, the variant
/// rebuilt with the data shape it trained on, and the weights of a checkpoint.
public enum RunLoader {
    /// The recipe name from the "# resolved from <file>" header of a run's recipe.yaml (the file
    /// itself is always called recipe.yaml).
    public static func originalName(_ text: String) -> String? {
        guard let first = text.split(separator: "\n").first, first.hasPrefix("# resolved from ") else { return nil }
        let file = String(first.dropFirst("# resolved from ".count))
        return URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
    }

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
        var recipe = try recipes.load(run.recipe.path)
        if let text = try? String(contentsOf: run.recipe, encoding: .utf8), let name = originalName(text) { recipe.name = name }
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
