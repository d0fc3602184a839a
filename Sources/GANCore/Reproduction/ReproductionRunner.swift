import Foundation
import GANMetrics
import GANTensor

/// Runs claims: trains every run they need into `<out>/runs/<id>/` with the trainer (reusing a
/// finished run whose recipe matches, resuming an unfinished one), evaluates each claim, and
/// returns the report. A claim whose training or evaluation throws fails with the error as its
/// summary; the others still run.
public final class ReproductionRunner {
    public let out: URL
    public let recipes: RecipeLoader
    public let variantLookup: (String) -> (any GANVariant.Type)?
    /// One line per run and claim (stderr by default).
    public var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    /// The trainer's progress lines; nil keeps training quiet.
    public var trainingProgress: ((String) -> Void)?
    public var writeHTMLReports = true
    /// Makes the feature network for the claims' metrics and the runs' periodic evaluation
    /// (default: the `classifier-fashion` recipe's, from its cache); called at most once.
    public var makeFeatureEvaluator: (() throws -> FeatureEvaluator)?
    private var featureEvaluatorCache: FeatureEvaluator?

    /// The feature evaluator, made on first use.
    public func featureEvaluator() throws -> FeatureEvaluator {
        if let featureEvaluatorCache { return featureEvaluatorCache }
        let made = try makeFeatureEvaluator?() ?? ClassifierRecipe.evaluator(recipes: recipes, log: log)
        featureEvaluatorCache = made
        return made
    }

    public init(out: String, recipes: RecipeLoader, variant lookup: @escaping (String) -> (any GANVariant.Type)?) {
        self.out = URL(fileURLWithPath: out).standardized
        self.recipes = recipes
        self.variantLookup = lookup
    }

    public func folder(for spec: RunSpec) -> RunFolder {
        RunFolder(out.appendingPathComponent("runs").appendingPathComponent(spec.id).path)
    }

    public func run(_ claims: [any Claim], form: ClaimForm) -> [ClaimResult] {
        claims.map { claim in
            let clock = Date()
            log("reproduce: \(claim.name) (\(form.rawValue)): \(claim.statement)")
            let verdict: ClaimVerdict
            var ids: [String] = [], training: Double?, evaluation: Double?
            do {
                let done = try claim.runs(form).map { spec -> CompletedRun in
                    ids.append(spec.id)
                    return try complete(spec)
                }
                training = try? done.map { try $0.trainingSeconds() }.reduce(0, +)
                let scoring = Date()
                verdict = try claim.evaluate(CompletedRuns(done, featureEvaluator: featureEvaluator), form: form)
                evaluation = Date().timeIntervalSince(scoring)
            } catch {
                verdict = ClaimVerdict(passed: false, summary: "error: \(error)", columns: [], rows: [])
            }
            log("reproduce: \(claim.name): \(verdict.passed ? "PASS" : "FAIL"): \(verdict.summary)")
            return ClaimResult(name: claim.name, statement: claim.statement, source: claim.source, form: form,
                               verdict: verdict, runs: ids, seconds: Date().timeIntervalSince(clock),
                               trainingSeconds: training, evaluationSeconds: evaluation)
        }
    }

    /// Trains `spec` unless its folder already holds the finished run.
    public func complete(_ spec: RunSpec) throws -> CompletedRun {
        let recipe = try recipes.load(spec.recipe, overrides: spec.allOverrides)
        guard let type = variantLookup(recipe.variant) else { throw TrainingError.invalid("\(spec.recipe): unknown variant \(recipe.variant)") }
        let target = spec.steps ?? recipe.train.int("steps")
        let folder = self.folder(for: spec)
        let reached = try finishedStep(folder, recipe: recipe)
        if let reached, reached > target {
            throw ReproductionError.foreignFolder("\(folder.url.path) is trained to step \(reached), past this run's \(target); remove it or choose another --out")
        }
        var trained = false
        if reached != target {
            let clock = Date()
            log("reproduce: training \(spec.id) (\(spec.recipe), seed \(spec.seed)) to step \(target)" + (reached.map { ", resuming from \($0)" } ?? ""))
            let threads = BLASInfo.threads
            defer { BLASInfo.setThreads(threads) }  // a recipe's train.threads must not leak into the next run
            if let stop = spec.interruptAt, reached == nil, stop < target {
                do {
                    try trainer(recipe, type, folder, target) { if $0 == stop { throw Interrupted() } }.train()
                } catch is Interrupted {
                    log("reproduce: \(spec.id) stopped abruptly after step \(stop); resuming")
                }
            }
            try trainer(recipe, type, folder, target, afterStep: nil).train()
            log("reproduce: \(spec.id) trained in \(String(format: "%.1f", Date().timeIntervalSince(clock))) s")
            trained = true
        } else {
            log("reproduce: reusing \(spec.id) (step \(target)) from \(folder.url.path)")
        }
        let loader = recipes, lookup = variantLookup
        return CompletedRun(spec: spec, recipe: recipe, folder: folder, step: target, trained: trained) {
            try RunLoader.open($0, recipes: loader, variant: lookup)
        }
    }

    struct Interrupted: Error {}

    func trainer(_ recipe: Recipe, _ type: any GANVariant.Type, _ folder: RunFolder, _ steps: Int,
                 afterStep: ((Int) throws -> Void)?) -> Trainer {
        let trainer = Trainer(recipe: recipe, variantType: type, runDirectory: folder.url.path, steps: steps)
        trainer.progressSink = trainingProgress ?? { _ in }
        trainer.afterStep = afterStep
        trainer.writeReport = writeHTMLReports
        trainer.featureEvaluator = featureEvaluator
        return trainer
    }

    /// The latest checkpoint's step of a folder holding this recipe, nil for a fresh folder; an
    /// error when the folder holds a different recipe (never overwritten). The stored recipe is
    /// resolved again, so a folder written before the schema gained keys compares with their
    /// defaults. The description does not count, nor the default train.steps unless a linear
    /// learning-rate decay reads it: the run's target comes from its spec, and editing a recipe's
    /// default length or wording must not orphan finished runs.
    func finishedStep(_ folder: RunFolder, recipe: Recipe) throws -> Int? {
        guard FileManager.default.fileExists(atPath: folder.recipe.path) else { return nil }
        func identity(_ r: Recipe) -> String {
            var r = r
            r.description = ""
            if r.train.string("lr_schedule") != "linear" { r.train.set("steps", .int(0)) }
            // The first line names the recipe file's path, which differs between checkouts.
            return r.resolvedYAML.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
        }
        let held = try? recipes.load(folder.recipe.path)
        guard let held, identity(held) == identity(recipe) else {
            throw ReproductionError.foreignFolder("\(folder.recipe.path) holds a different recipe than \(recipe.name) with these overrides; remove the folder or choose another --out")
        }
        return try CheckpointRotation(directory: folder.checkpoints, keep: 1_000_000).latest()?.step
    }
}

/// One claim's outcome, as printed and written.
public struct ClaimResult: Codable, Equatable, Sendable {
    public var name: String
    public var statement: String
    public var source: String
    public var form: ClaimForm
    public var verdict: ClaimVerdict
    public var runs: [String]
    /// This process's time for the claim: any training it did, then the evaluation.
    public var seconds: Double
    /// The claim's runs' own training time (their latest checkpoints' elapsed seconds, summed), also
    /// when they were trained earlier or by `--jobs` children in parallel; nil when unknown.
    public var trainingSeconds: Double?
    /// The evaluation alone (sampling, metrics, any model the claim trains to score with).
    public var evaluationSeconds: Double?
}
