import Foundation
import GANMetrics

/// A claim of a paper, re-run as a comparison between models of this toolkit on the same data and
/// budget, with a pass/fail verdict and the numbers.
///
/// Adding a claim:
/// 1. A type conforming to `Claim` in `Reproduction/Claims/`: a short `name` (what
///    `gan reproduce NAME` takes), a one-sentence `statement`, its `source` (paper and table or
///    section), the `runs` it needs for each `ClaimForm` (recipe, overrides, seed, steps; give
///    every run an `id` that differs between the forms so fast and full runs never share a folder),
///    and `evaluate`, which reads the finished runs and returns a `ClaimVerdict` with its table.
/// 2. Its instance in `ClaimCatalog.all` (the order of `--list` and `--all`), or in `optIn` when
///    its full form alone would take `--all` past its hour.
/// 3. A test in `Tests/GANCoreTests/` or `Tests/VariantTests/` that runs its fast form.
/// The runner trains the runs (or reuses finished ones), calls `evaluate`, and writes the tables.
public protocol Claim {
    var name: String { get }
    var statement: String { get }
    var source: String { get }
    func runs(_ form: ClaimForm) -> [RunSpec]
    func evaluate(_ runs: CompletedRuns, form: ClaimForm) throws -> ClaimVerdict
}

/// `full` is the form reported in docs/reproduction.md; `fast` (small subset, few steps, loose but
/// meaningful thresholds) runs in the default tests and with `gan reproduce --fast`.
public enum ClaimForm: String, Codable, Sendable, CaseIterable {
    case full, fast
}

/// One training run a claim needs: a recipe with overrides and a seed, trained to `steps`.
public struct RunSpec: Hashable, Sendable {
    /// Folder name under `<out>/runs/`; runs with the same id are the same run (shared by claims).
    public var id: String
    public var recipe: String
    public var overrides: [String]
    public var seed: UInt64
    /// Train up to this step (nil: the recipe's train.steps after overrides).
    public var steps: Int?
    /// Stop abruptly (no checkpoint) after this step, then resume from the last checkpoint to the end.
    public var interruptAt: Int?

    public init(id: String, recipe: String, overrides: [String] = [], seed: UInt64, steps: Int? = nil, interruptAt: Int? = nil) {
        self.id = id
        self.recipe = recipe
        self.overrides = overrides
        self.seed = seed
        self.steps = steps
        self.interruptAt = interruptAt
    }

    /// Overrides including the seed, as `gan train --set` takes them.
    public var allOverrides: [String] { overrides + ["seed=\(seed)"] }
}

/// What a claim concluded: pass or fail, one line of summary, and a table of its numbers.
public struct ClaimVerdict: Codable, Equatable, Sendable {
    public var passed: Bool
    public var summary: String
    public var columns: [String]
    public var rows: [[String]]
    /// The figures behind the table, by name, for the JSON output.
    public var numbers: [String: Double]

    public init(passed: Bool, summary: String, columns: [String], rows: [[String]], numbers: [String: Double] = [:]) {
        self.passed = passed
        self.summary = summary
        self.columns = columns
        self.rows = rows
        self.numbers = numbers
    }
}

/// Finished runs by id, for `Claim.evaluate`, and the feature network that scores them.
public struct CompletedRuns {
    public let runs: [String: CompletedRun]
    /// The Fashion-MNIST feature evaluator (the runner's: the `classifier-fashion` recipe's, or a
    /// tiny one in tests), loaded on first use.
    public let featureEvaluator: () throws -> FeatureEvaluator

    public init(_ runs: [CompletedRun], featureEvaluator: @escaping () throws -> FeatureEvaluator = { try ClassifierRecipe.evaluator { _ in } }) {
        self.runs = Dictionary(runs.map { ($0.spec.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.featureEvaluator = featureEvaluator
    }

    public subscript(id: String) -> CompletedRun {
        get throws {
            guard let run = runs[id] else { throw ReproductionError.missingRun(id) }
            return run
        }
    }
}

/// One finished run: where it is and how to open it.
public struct CompletedRun {
    public let spec: RunSpec
    public let recipe: Recipe
    public let folder: RunFolder
    /// The step its latest checkpoint holds.
    public let step: Int
    /// False when an earlier finished run in the same folder was reused.
    public let trained: Bool
    let opener: (String) throws -> RunLoader.Opened

    public init(spec: RunSpec, recipe: Recipe, folder: RunFolder, step: Int, trained: Bool,
                opener: @escaping (String) throws -> RunLoader.Opened) {
        self.spec = spec
        self.recipe = recipe
        self.folder = folder
        self.step = step
        self.trained = trained
        self.opener = opener
    }

    /// The run's variant with the weights of its latest checkpoint.
    public func open() throws -> RunLoader.Opened { try opener(folder.url.path) }

    /// The run's variant with the weights of its checkpoint at `step`.
    public func open(atStep step: Int) throws -> RunLoader.Opened {
        let url = CheckpointRotation(directory: folder.checkpoints, keep: 1).url(forStep: step)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("state.json").path) else {
            throw ReproductionError.missingRun("\(spec.id) has no checkpoint at step \(step) (\(url.path))")
        }
        return try opener(url.path)
    }

    /// The values of `key` in the run's metrics.jsonl, by step (e.g. the periodic evaluations'
    /// "fid_fashion_features", or a logged loss).
    public func logged(_ key: String) throws -> [(step: Int, value: Double)] {
        try MetricsLog(url: folder.metrics).read().compactMap { line in
            guard let step = line["step"], let v = line[key] else { return nil }
            return (Int(step), v)
        }
    }

    /// Wall time the run spent training up to its latest checkpoint (across stops and resumes).
    public func trainingSeconds() throws -> Double {
        try Checkpointer.readState(latestCheckpoint()).elapsedSeconds
    }

    /// The latest checkpoint's folder.
    public func latestCheckpoint() throws -> URL {
        guard let latest = try CheckpointRotation(directory: folder.checkpoints, keep: 1_000_000).latest() else {
            throw ReproductionError.missingRun("\(spec.id) has no checkpoint in \(folder.checkpoints.path)")
        }
        return latest.url
    }
}

public enum ReproductionError: Error, CustomStringConvertible, Equatable {
    case unknownClaim(String, available: [String])
    case missingRun(String)
    case foreignFolder(String)

    public var description: String {
        switch self {
        case let .unknownClaim(name, available):
            let hint = ClosestMatch.closest(to: name, among: available).map { " (did you mean \"\($0)\"?)" } ?? ""
            return "no claim named \"\(name)\"\(hint); available: \(available.joined(separator: ", "))"
        case let .missingRun(s): return "run not available: \(s)"
        case let .foreignFolder(s): return s
        }
    }
}
