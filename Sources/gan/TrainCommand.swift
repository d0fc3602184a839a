import ArgumentParser
import Foundation
import GANCore
import GANRegistry

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train a recipe (default: dcgan-fashion), or resume a run folder.")

    @Argument(help: "Recipe name or path.") var recipe: String = "dcgan-fashion"
    @Option(name: .customLong("set"), help: "Override a field: key.path=value (repeatable).") var overrides: [String] = []
    @Option(help: "Run folder (default: runs/<recipe>-<time>).") var out: String?
    @Option(help: "Train up to this step instead of train.steps.") var steps: Int?
    @Option(help: "Resume the run in this folder from its latest checkpoint.") var resume: String?

    func validate() throws {
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
        if resume != nil && (!overrides.isEmpty || out != nil) {
            throw ValidationError("--resume continues a run as it was recipe'd; --set and --out do not apply")
        }
    }

    func run() throws {
        try reportingErrors {
            let loader = Registry.recipeLoader()
            let resolved: Recipe
            let dir: String
            if let resume {
                let run = RunFolder(resume)
                guard FileManager.default.fileExists(atPath: run.recipe.path) else {
                    throw TrainingError.resume("\(run.recipe.path) not found: is \(resume) a run folder?")
                }
                var r = try loader.load(run.recipe.path)
                r.name = (try? String(contentsOf: run.recipe, encoding: .utf8)).flatMap(RunLoader.originalName) ?? r.name
                resolved = r
                dir = resume
            } else {
                resolved = try loader.load(recipe, overrides: overrides)
                dir = out ?? RunFolder.defaultPath(for: resolved.name)
            }
            if resolved.variant == ClassifierRecipe.variantName {
                // Not a GAN: trained into the metrics' cache (always afresh: this is `train`).
                guard resume == nil, out == nil, steps == nil else {
                    throw TrainingError.invalid("\(resolved.name) is a classifier recipe, trained into the cache; --resume, --out and --steps do not apply")
                }
                ClassifierCommand.report(try ClassifierCommand.evaluator(resolved, rebuild: true))
                return
            }
            guard let variant = Registry.variant(named: resolved.variant) else {
                throw TrainingError.invalid("unknown variant \(resolved.variant)")
            }
            let trainer = Trainer(recipe: resolved, variantType: variant, runDirectory: dir, steps: steps)
            let reached = try trainer.train()
            print("trained \(resolved.name) to step \(reached): \(trainer.run.url.path) (report: \(trainer.run.report.path))")
        }
    }
}
