import Foundation
import XCTest
@testable import GANCore
import GANMetrics
import GANTensor
import GANRegistry

/// `gan reproduce`'s machinery: the fast forms of the claims, reuse of finished runs, the report's
/// three outputs and the errors for unknown claims and foreign folders.
final class ReproductionTests: XCTestCase {
    func runner(_ dir: String) -> ReproductionRunner {
        let r = ReproductionRunner(out: dir, recipes: Registry.recipeLoader(), variant: Registry.variant(named:))
        r.log = { _ in }
        r.writeHTMLReports = false
        return r
    }

    /// A runner whose feature metrics use the tiny test classifier (the recipe's takes minutes).
    func featureRunner(_ name: String) -> ReproductionRunner {
        let r = runner(TrainingHarness.tempDir(name))
        r.makeFeatureEvaluator = TrainingHarness.tinyEvaluator
        return r
    }

    func fastVerdict(_ claim: any Claim) throws -> ClaimVerdict {
        let results = featureRunner("repro-\(claim.name)").run([claim], form: .fast)
        let v = results[0].verdict
        print("\(claim.name) fast: \(v.passed ? "PASS" : "FAIL"): \(v.summary) [\(String(format: "%.1f", results[0].seconds)) s]")
        return v
    }

    func testDCGANStabilityClaimFastForm() throws {
        let v = try fastVerdict(DCGANStabilityClaim())
        XCTAssertTrue(v.passed, v.summary)
        XCTAssertLessThan(try XCTUnwrap(v.numbers["fid_final"]), try XCTUnwrap(v.numbers["fid_first"]))
        // An even walk has median jump 1; a memorising generator's paths jump once (8 with 9 frames).
        XCTAssertLessThan(try XCTUnwrap(v.numbers["interpolation_median_jump"]), 2)
        XCTAssertEqual(v.rows.filter { $0[0].hasPrefix("FID (Fashion-MNIST classifier features) at step") }.count, 6)
    }

    /// The smoothness limits of both forms on made-up paths: a memorising generator (each path a hard
    /// switch between two images) fails them, an even walk passes, and the tail limit tolerates a few
    /// abrupt paths (5%) but not a fifth of them.
    func testDCGANSmoothnessLimitsRejectAMemorisingGenerator() throws {
        let rng = RandomGenerator(seed: 7)
        func paths(_ count: Int, abrupt: Int) throws -> LatentPathSmoothness {
            var frames: [Float] = []
            for k in 0..<count {
                let ends = rng.uniform([2, 64], low: -1, high: 1).scalars
                for i in 0..<9 {
                    let t = Float(i) / 8, w: Float = k < abrupt ? (t < 0.4 ? 0 : 1) : t
                    frames += (0..<64).map { ends[$0] + w * (ends[64 + $0] - ends[$0]) }
                }
            }
            return try LatentPathSmoothness(frames: Tensor(frames, shape: [count * 9, 1, 8, 8]), framesPerPath: 9)
        }
        for limits in [DCGANStabilityClaim().full.smoothness, DCGANStabilityClaim().fast.smoothness] {
            let n = limits.pairs
            XCTAssertFalse(limits.passes(limits.measure(try paths(n, abrupt: n))), "memorising generator")
            XCTAssertTrue(limits.passes(limits.measure(try paths(n, abrupt: 0))), "even walks")
            XCTAssertTrue(limits.passes(limits.measure(try paths(n, abrupt: n / 20))), "a few abrupt paths")
            XCTAssertFalse(limits.passes(limits.measure(try paths(n, abrupt: n / 5))), "a fifth abrupt")
        }
    }

    func testConditioningClaimFastForm() throws {
        let v = try fastVerdict(ConditioningClaim())
        XCTAssertTrue(v.passed, v.summary)
        // Chance is 10%: both conditional models must be far above it.
        XCTAssertGreaterThan(try XCTUnwrap(v.numbers["cgan.accuracy"]), 0.3)
        XCTAssertGreaterThan(try XCTUnwrap(v.numbers["acgan.accuracy"]), 0.3)
    }

    func testWGANGPCriticClaimFastForm() throws {
        let v = try fastVerdict(WGANGPCriticClaim())
        XCTAssertTrue(v.passed, v.summary)
        XCTAssertEqual(v.numbers["critic_batch_norms"], 0)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(v.numbers["evaluations"]), 5)
        XCTAssertLessThan(try XCTUnwrap(v.numbers["fid_final"]), try XCTUnwrap(v.numbers["fid_first"]))
        // The independent critic separates the first checkpoint's samples more than the last's.
        XCTAssertLessThan(try XCTUnwrap(v.numbers["estimate_final"]), try XCTUnwrap(v.numbers["estimate_first"]))
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(v.numbers["spearman_estimate_fid"]), 0.5)
        XCTAssertNoThrow(try JSONEncoder().encode(v))  // results.json must be writable (no NaN)
    }

    func testDeterminismClaimFastFormPasses() throws {
        let results = runner(TrainingHarness.tempDir("repro-det")).run([DeterminismClaim()], form: .fast)
        XCTAssertEqual(results.count, 1)
        let v = results[0].verdict
        XCTAssertTrue(v.passed, v.summary)
        let files = try XCTUnwrap(v.numbers["files"])
        XCTAssertGreaterThanOrEqual(files, 2)  // generator and discriminator at least
        XCTAssertEqual(v.numbers["identical_twice"], files)
        XCTAssertEqual(v.numbers["identical_resumed"], files)
        XCTAssertLessThan(try XCTUnwrap(v.numbers["identical_other_seed"]), files)
        // Four runs of 150 steps (one stopped and resumed): their own training time, summed.
        XCTAssertGreaterThan(try XCTUnwrap(results[0].trainingSeconds), 0)
        XCTAssertLessThanOrEqual(try XCTUnwrap(results[0].trainingSeconds), results[0].seconds)
    }

    /// The PacGAN claim's evaluation end to end on a tiny budget (too short for packing to show,
    /// see `PacGANModeClaim.fast`): every run scored on 2,500 samples, the table next to the
    /// paper's figures, and the verdict following the numbers.
    func testPacGANClaimScoresEachRunAndComparesMeans() throws {
        var claim = PacGANModeClaim()
        claim.fast = .init(recipes: ["pacgan-ring"], packs: [1, 2], steps: 30, seeds: [1, 2],
                           overrides: ["data.limit=2000", "train.sample_every=1000", "train.checkpoint_every=1000", "train.log_every=1000"])
        let r = runner(TrainingHarness.tempDir("repro-pacgan"))
        let done = try claim.runs(.fast).map { try r.complete($0) }
        // Largest packs first (for --jobs), each with 100 packs a step.
        XCTAssertEqual(done.map(\.spec.id), ["pacgan-ring-pack2-seed1-fast-30", "pacgan-ring-pack2-seed2-fast-30",
                                             "pacgan-ring-pack1-seed1-fast-30", "pacgan-ring-pack1-seed2-fast-30"])
        XCTAssertEqual(try done[0].open().recipe.model.int("pack"), 2)
        XCTAssertEqual(try done[0].open().recipe.train.int("batch_size"), 200)
        XCTAssertEqual(try done[2].open().recipe.train.int("batch_size"), 100)
        let v = try claim.evaluate(CompletedRuns(done), form: .fast)
        XCTAssertEqual(v.rows.map { Array($0.prefix(2)) }, [["ring", "GAN"], ["ring", "PacGAN2"]])
        XCTAssertEqual(v.rows.map { $0[5] }, ["6.3 / 98.2 / 0.45", "7.9 / 95.6 / 0.07"])
        for (row, pack) in zip(v.rows, [1, 2]) {
            let scored = try [0, 1].map { try MixtureScoring.score(done[2 * (2 - pack) + $0].open(), count: 2500, seed: claim.sampleSeed) }
            XCTAssertEqual(row[6], scored.map { "\($0.modesCaptured)" }.joined(separator: ","))
            XCTAssertEqual(v.numbers["pacgan-ring.pack\(pack).modes"], Double(scored[0].modesCaptured + scored[1].modesCaptured) / 2)
            XCTAssertEqual(try XCTUnwrap(v.numbers["pacgan-ring.pack\(pack).high_quality_percent"]),
                           50 * (scored[0].highQualityFraction + scored[1].highQualityFraction), accuracy: 1e-9)
        }
        let gan = try XCTUnwrap(v.numbers["pacgan-ring.pack1.modes"]), packed = try XCTUnwrap(v.numbers["pacgan-ring.pack2.modes"])
        XCTAssertEqual(v.passed, packed > gan, v.summary)
        // The fast form's weaker rule: no comparison, a coverage floor for the packed model.
        claim.fast.requireMoreModes = false
        claim.fast.minimumModes = packed
        XCTAssertTrue(try claim.evaluate(CompletedRuns(done), form: .fast).passed)
        claim.fast.minimumModes = packed + 0.5
        let short = try claim.evaluate(CompletedRuns(done), form: .fast)
        XCTAssertFalse(short.passed)
        // The floor as the summary prints it (%g: "2", not Swift's "2.0").
        let floor = String(format: "%g", packed + 0.5)
        XCTAssertTrue(short.summary.hasPrefix("not met (packed GAN captures at least \(floor) modes)"), short.summary)
    }

    func testFinishedRunsAreReusedAndForeignFoldersRefused() throws {
        let r = runner(TrainingHarness.tempDir("repro-reuse"))
        let spec = RunSpec(id: "ring", recipe: "pacgan-ring",
                           overrides: ["train.checkpoint_every=10", "train.sample_every=1000", "train.log_every=10"], seed: 3, steps: 20)
        let first = try r.complete(spec)
        XCTAssertTrue(first.trained)
        XCTAssertEqual(first.step, 20)
        let checkpoint = try first.latestCheckpoint()
        let stamp = try FileManager.default.attributesOfItem(atPath: checkpoint.path)[.modificationDate] as? Date
        let again = try r.complete(spec)
        XCTAssertFalse(again.trained)
        XCTAssertEqual(try again.latestCheckpoint(), checkpoint)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: checkpoint.path)[.modificationDate] as? Date, stamp)
        // A folder written before the schema gained a key (here train.eval_samples, at its
        // default) still holds the same recipe.
        let saved = try String(contentsOf: first.folder.recipe, encoding: .utf8)
        let older = saved.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("eval_samples:") }
        XCTAssertEqual(older.count, saved.split(separator: "\n", omittingEmptySubsequences: false).count - 1)
        try older.joined(separator: "\n").write(to: first.folder.recipe, atomically: true, encoding: .utf8)
        XCTAssertFalse(try r.complete(spec).trained)
        // A longer target resumes the same run instead of starting over.
        var longer = spec
        longer.steps = 30
        let resumed = try r.complete(longer)
        XCTAssertTrue(resumed.trained)
        XCTAssertEqual(try resumed.latestCheckpoint().lastPathComponent, "step-000000030")
        // The recipe's default length does not identify the run (the spec's target does), so
        // editing a recipe's train.steps keeps its finished runs.
        var restated = longer
        restated.overrides.append("train.steps=12345")
        XCTAssertFalse(try r.complete(restated).trained)
        // ...unless a linear learning-rate decay reads it.
        var decaying = spec
        decaying.id = "ring-linear"
        decaying.overrides.append("train.lr_schedule=linear")
        XCTAssertTrue(try r.complete(decaying).trained)
        decaying.overrides.append("train.steps=777")
        XCTAssertThrowsError(try r.complete(decaying)) { XCTAssertTrue("\($0)".contains("holds a different recipe"), "\($0)") }
        // Another recipe in the same folder is refused, never overwritten; so is a shorter target.
        var other = spec
        other.overrides.append("model.pack=4")
        XCTAssertThrowsError(try r.complete(other)) { XCTAssertTrue("\($0)".contains("holds a different recipe"), "\($0)") }
        XCTAssertThrowsError(try r.complete(spec)) { XCTAssertTrue("\($0)".contains("past this run's 20"), "\($0)") }
    }

    func testUnknownClaimNameIsAClearError() throws {
        XCTAssertThrowsError(try ClaimCatalog.claims(named: ["determinism", "pacgan-mode"])) { error in
            XCTAssertEqual("\(error)", "no claim named \"pacgan-mode\" (did you mean \"pacgan-modes\"?); available: dcgan-stable, conditioning, pacgan-modes, wgangp-critic-tracks-quality, determinism, pacgan-modes-table")
        }
        XCTAssertEqual(try ClaimCatalog.claims(named: ["determinism"]).map(\.name), ["determinism"])
    }

    /// The opt-in table claim runs by name only, and its grid runs are pacgan-modes' own folders.
    func testPacGANTableIsOptInAndSharesRuns() throws {
        XCTAssertFalse(ClaimCatalog.all.contains { $0.name == "pacgan-modes-table" })
        let table = try XCTUnwrap(ClaimCatalog.claims(named: ["pacgan-modes-table"]).first)
        let tableIDs = Set(table.runs(.full).map(\.id)), modesIDs = Set(PacGANModeClaim().runs(.full).map(\.id))
        XCTAssertEqual(tableIDs.count, 2 * 4 * 3)
        XCTAssertTrue(modesIDs.isSubset(of: tableIDs))
        XCTAssertTrue(tableIDs.contains("pacgan-ring-pack3-seed2-full-10000"))
        XCTAssertEqual(table.runs(.fast).map(\.id), PacGANModeClaim().runs(.fast).map(\.id))
    }

    /// A claim whose evaluation fails or throws fails alone; the report marks it and still holds the other.
    struct ScriptedClaim: Claim {
        let name: String
        let outcome: Result<Bool, ReproductionError>
        var statement: String { "scripted \(name)" }
        var source: String { "test" }
        func runs(_ form: ClaimForm) -> [RunSpec] { [] }
        func evaluate(_ runs: CompletedRuns, form: ClaimForm) throws -> ClaimVerdict {
            let passed = try outcome.get()
            return ClaimVerdict(passed: passed, summary: "x|y \(passed)", columns: ["a", "b"], rows: [["1", "2|3"]], numbers: ["a": 1])
        }
    }

    func testReportTextJSONAndMarkdown() throws {
        let dir = TrainingHarness.tempDir("repro-report")
        let results = runner(dir).run([ScriptedClaim(name: "good", outcome: .success(true)),
                                       ScriptedClaim(name: "bad", outcome: .success(false)),
                                       ScriptedClaim(name: "broken", outcome: .failure(.missingRun("gone")))], form: .fast)
        XCTAssertEqual(results.map(\.verdict.passed), [true, false, false])
        XCTAssertEqual(results[2].verdict.summary, "error: run not available: gone")
        let report = ReproductionReport(results: results, commit: "abc123", machine: "test machine")
        XCTAssertFalse(report.passed)
        XCTAssertTrue(ReproductionReport(results: [results[0]], commit: "c").passed)

        let text = report.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(text[0].split(separator: " ", omittingEmptySubsequences: true), ["claim", "form", "verdict", "summary"])
        XCTAssertTrue(text.contains { $0.hasPrefix("good ") && $0.contains("fast") && $0.contains("PASS") }, report.text)
        XCTAssertTrue(text.contains { $0.hasPrefix("bad ") && $0.contains("FAIL") }, report.text)
        XCTAssertTrue(text.contains("good (test):"), report.text)

        let written = try report.write(to: URL(fileURLWithPath: dir))
        XCTAssertEqual(written.map(\.lastPathComponent), ["results.json", "results.md"])
        let decoded = try JSONDecoder().decode(ReproductionReport.self, from: Data(contentsOf: written[0]))
        XCTAssertEqual(decoded, report)
        XCTAssertEqual(decoded.results[0].verdict.numbers["a"], 1)
        let md = try String(contentsOf: written[1], encoding: .utf8)
        XCTAssertTrue(md.hasPrefix("Date: \(report.date); commit: abc123; machine: test machine."), md)
        XCTAssertTrue(md.contains("| claim | form | verdict | summary | training (s) | evaluation (s) |\n| --- | --- | --- | --- | --- | --- |\n"), md)
        XCTAssertTrue(md.contains("| good | fast | PASS | x\\|y true | 0 | 0 |"), md)  // no runs to train
        XCTAssertTrue(md.contains("| broken | fast | FAIL | error: run not available: gone | 0 | ? |"), md)  // evaluation failed
        XCTAssertTrue(md.contains("| bad | fast | FAIL | x\\|y false |"), md)
        XCTAssertTrue(md.contains("### good (fast form)\n\nscripted good Source: test.\n\n| a | b |\n| --- | --- |\n| 1 | 2\\|3 |\n"), md)
    }
}
