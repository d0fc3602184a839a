import Foundation
import XCTest

/// The `gan` executable end to end: exit codes, one-line errors, SIGKILL + resume, SIGINT.
final class CommandLineTests: XCTestCase {
    static var gan: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gan")
    }

    struct Outcome { let status: Int32; let stdout: String; let stderr: String }

    func start(_ args: [String]) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = Self.gan
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, out, err)
    }

    func run(_ args: [String]) throws -> Outcome {
        let (p, out, err) = try start(args)
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Outcome(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    let small = ["--set", "data.limit=256", "--set", "model.ngf=8", "--set", "model.ndf=8", "--set", "train.batch_size=16",
                 "--set", "train.log_every=5", "--set", "train.sample_every=50", "--set", "train.checkpoint_every=5",
                 "--set", "train.keep_checkpoints=10", "--set", "train.sample_count=4"]

    func temp(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gankit-cli-\(name)-\(UUID().uuidString)").path
    }

    func waitFor(_ path: String, timeout: TimeInterval = 120) {
        let deadline = Date().addingTimeInterval(timeout)
        while !FileManager.default.fileExists(atPath: path) && Date() < deadline { usleep(20_000) }
    }

    override func setUpWithError() throws {
        // `swift test` builds the executable next to the test bundle; its absence is a failure.
        guard FileManager.default.isExecutableFile(atPath: Self.gan.path) else {
            XCTFail("\(Self.gan.path) is missing")
            throw CocoaError(.fileNoSuchFile)
        }
    }

    func testBadRecipeKeyIsOneLineOnStderrWithNonZeroExit() throws {
        let o = try run(["show", "dcgan-fashion", "--set", "train.stpes=3"])
        XCTAssertEqual(o.status, 1)
        XCTAssertEqual(o.stderr.split(separator: "\n").count, 1)
        XCTAssertTrue(o.stderr.contains("train.stpes: unknown key (did you mean \"steps\"?)"), o.stderr)
        let missing = try run(["train", "no-such-recipe"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no recipe of that name"), missing.stderr)
    }

    func testReproduceListsClaimsAndRefusesUnknownNames() throws {
        let out = temp("reproduce")
        let o = try run(["reproduce", "no-such-claim", "--out", out])
        XCTAssertEqual(o.status, 1)
        XCTAssertEqual(o.stderr.split(separator: "\n"), ["gan: error: no claim named \"no-such-claim\"; available: dcgan-stable, conditioning, pacgan-modes, wgangp-critic-tracks-quality, determinism, pacgan-modes-table"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertNotEqual(try run(["reproduce"]).status, 0)  // neither names nor --all
        let list = try run(["reproduce", "--list"])
        XCTAssertEqual(list.status, 0)
        XCTAssertTrue(list.stdout.contains("pacgan-modes\n") && list.stdout.contains("source: Lin, Khetan, Fanti, Oh 2018"), list.stdout)
        for claim in ["dcgan-stable", "conditioning", "wgangp-critic-tracks-quality"] {
            XCTAssertTrue(list.stdout.contains(claim + "\n"), list.stdout)
        }
        XCTAssertTrue(list.stdout.contains("pacgan-modes-table (not in --all: run it by name)\n"), list.stdout)
        XCTAssertTrue(list.stdout.contains("source: Radford, Metz, Chintala 2016") && list.stdout.contains("source: Gulrajani"), list.stdout)
    }

    /// `--jobs 2` trains the runs in child processes side by side; the determinism claim then
    /// finds the two same-seed runs byte-identical (and the other seed different), so the runs
    /// came out as the single-process path makes them. Bad values are refused.
    func testReproduceJobsTrainsInChildProcesses() throws {
        let out = temp("reproduce-jobs")
        let o = try run(["reproduce", "determinism", "--fast", "--jobs", "2", "--out", out])
        XCTAssertEqual(o.status, 0, o.stderr)
        XCTAssertTrue(o.stdout.split(separator: "\n").contains { $0.hasPrefix("determinism") && $0.contains(" PASS ") }, o.stdout)
        // The children trained every run that is not stopped on purpose; the parent only reused them.
        XCTAssertEqual(o.stderr.components(separatedBy: "reproduce: reusing").count - 1, 3, o.stderr)
        let bad = try run(["reproduce", "determinism", "--jobs", "0"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--jobs must be at least 1"), bad.stderr)
        let unknown = try run(["reproduce", "determinism", "--fast", "--run", "nope", "--out", out])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("no run nope in determinism (fast form)"), unknown.stderr)
    }

    func testShowPrintsTheResolvedRecipe() throws {
        let o = try run(["show", "dcgan-fashion", "--set", "train.steps=7"])
        XCTAssertEqual(o.status, 0)
        XCTAssertTrue(o.stdout.contains("variant: dcgan"))
        XCTAssertTrue(o.stdout.contains("  steps: 7"))
        XCTAssertTrue(o.stdout.contains("  batch_size: 64"))
    }

    func testKilledRunResumesToBitIdenticalWeights() throws {
        let whole = temp("whole"), killed = temp("killed")
        defer { for d in [whole, killed] { try? FileManager.default.removeItem(atPath: d) } }
        XCTAssertEqual(try run(["train", "dcgan-fashion", "--out", whole, "--steps", "20"] + small).status, 0)

        let (p, _, _) = try start(["train", "dcgan-fashion", "--out", killed, "--steps", "20"] + small)
        waitFor(killed + "/checkpoints/step-000000010/state.json")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal)
        let resumed = try run(["train", "--resume", killed, "--steps", "20"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resumed from"), resumed.stderr)
        for file in ["G.safetensors", "D.safetensors", "optimizers.safetensors"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: "\(whole)/checkpoints/step-000000020/\(file)"))
            let b = try Data(contentsOf: URL(fileURLWithPath: "\(killed)/checkpoints/step-000000020/\(file)"))
            XCTAssertEqual(a, b, "\(file) differs after kill and resume")
        }
    }

    func testSIGINTWritesACheckpointAndExits130() throws {
        let dir = temp("sigint")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (p, _, err) = try start(["train", "dcgan-fashion", "--out", dir, "--steps", "100000"] + small)
        waitFor(dir + "/checkpoints/step-000000005/state.json")
        kill(p.processIdentifier, SIGINT)
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 130, e)
        XCTAssertTrue(e.contains("interrupted at step"), e)
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: dir + "/checkpoints").filter { !$0.hasSuffix(".tmp") }
        XCTAssertFalse(checkpoints.isEmpty)
        // Sampling from the interrupted run works; a label on an unconditional variant is refused.
        let sample = try run(["sample", "--checkpoint", dir, "--count", "4", "--out", dir + "/s.png", "--npy", dir + "/s.npy"])
        XCTAssertEqual(sample.status, 0, sample.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/s.png"))
        let labels = try run(["sample", "--checkpoint", dir, "--labels", "1"])
        XCTAssertEqual(labels.status, 1)
        XCTAssertTrue(labels.stderr.contains("not a conditional variant"), labels.stderr)
        let strip = try run(["interpolate", "--checkpoint", dir, "--frames", "5", "--out", dir + "/i.png"])
        XCTAssertEqual(strip.status, 0, strip.stderr)
        let eval = try run(["eval", "--checkpoint", dir, "--samples", "60", "--metrics", "kid_pixels,pr_pixels"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        XCTAssertTrue(eval.stdout.contains("kid_pixels") && eval.stdout.contains("precision_pixels"), eval.stdout)
        let badMetric = try run(["eval", "--checkpoint", dir, "--metrics", "modes"])
        XCTAssertEqual(badMetric.status, 1)
        XCTAssertTrue(badMetric.stderr.contains("\"modes\" does not apply"), badMetric.stderr)
    }

    func testLabelOutsideTheClassRangeIsRefused() throws {
        let dir = temp("cgan")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(try run(["train", "cgan-fashion", "--out", dir, "--steps", "2"] + small).status, 0)
        let ok = try run(["sample", "--checkpoint", dir, "--labels", "0,9", "--count", "4", "--out", dir + "/s.png"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let bad = try run(["sample", "--checkpoint", dir, "--labels", "3,10"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("\"10\" is not a class in 0..<10"), bad.stderr)
    }

    /// A classifier recipe small enough to train in about a second, cached under `cache`.
    func tinyClassifier(_ dir: String) throws -> String {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/tiny-classifier.yaml"
        try """
        variant: classifier
        description: tiny test classifier
        data: {limit: 1024, test_limit: 300}
        model: {conv1: 4, conv2: 8, features: 16}
        train: {epochs: 2, batch_size: 32}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testClassifierRecipeTrainsIntoTheCacheAndEvalScoresFeatureMetrics() throws {
        let dir = temp("features")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        setenv("GANKIT_CACHE", dir + "/cache", 1)
        defer { unsetenv("GANKIT_CACHE") }
        let classifier = try tinyClassifier(dir)
        let list = try run(["list"])
        XCTAssertTrue(list.stdout.contains("classifier-fashion") && list.stdout.contains("classifier: Fashion-MNIST feature classifier"), list.stdout)
        let trained = try run(["train", classifier])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        XCTAssertTrue(trained.stdout.contains("test accuracy") && trained.stdout.contains(dir + "/cache/classifier-fashion/"), trained.stdout)
        let shown = try run(["classifier", classifier])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertFalse(shown.stderr.contains("training"), "cached: not trained again: \(shown.stderr)")

        XCTAssertEqual(try run(["train", "cgan-fashion", "--out", dir + "/cgan", "--steps", "2"] + small).status, 0)
        let eval = try run(["eval", "--checkpoint", dir + "/cgan", "--samples", "50", "--classifier", classifier, "--json", dir + "/e.json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        XCTAssertTrue(eval.stdout.contains("FID (Fashion-MNIST classifier features)"), eval.stdout)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/e.json"))) as! [String: Any]
        for key in ["fid_fashion_features", "kid_fashion_features", "precision_fashion_features", "recall_fashion_features",
                    "accuracy_fashion_classifier", "msssim_within_class", "msssim_within_class_real"] {
            XCTAssertNotNil(object[key] as? Double, key)
        }
        XCTAssertTrue((0...1).contains(try XCTUnwrap(object["accuracy_fashion_classifier"] as? Double)))

        XCTAssertEqual(try run(["train", "dcgan-fashion", "--out", dir + "/dcgan", "--steps", "2"] + small).status, 0)
        let acc = try run(["eval", "--checkpoint", dir + "/dcgan", "--samples", "50", "--classifier", classifier, "--metrics", "fid,acc"])
        XCTAssertEqual(acc.status, 1)
        XCTAssertTrue(acc.stderr.contains("\"acc\"") && acc.stderr.contains("dcgan-fashion (dcgan) is unconditional"), acc.stderr)
        let unknown = try run(["eval", "--checkpoint", dir + "/dcgan", "--classifier", classifier, "--metrics", "fid,inception"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("\"inception\"") && unknown.stderr.contains("fid, kid, pr, acc, msssim, kid_pixels, pr_pixels"), unknown.stderr)
    }

    func testEvalCountsModesOfA2DRun() throws {
        let dir = temp("ring")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let train = try run(["train", "pacgan-ring", "--out", dir, "--steps", "10", "--set", "data.limit=1000",
                             "--set", "model.g_width=16", "--set", "model.d_width=8", "--set", "train.sample_count=100"])
        XCTAssertEqual(train.status, 0, train.stderr)
        let eval = try run(["eval", "--checkpoint", dir, "--samples", "500", "--json", dir + "/e.json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/e.json"))) as! [String: Any]
        XCTAssertEqual(object["modes_total"] as? Double, 8)
        let captured = try XCTUnwrap(object["modes_captured"] as? Double)
        XCTAssertTrue((0...8).contains(captured))
    }

    func testRunReportsTheBLASKernelsAndAPinnedCoreType() throws {
        let dir = temp("coretype")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = Process()
        p.executableURL = Self.gan
        p.arguments = ["train", "dcgan-chairs32", "--out", dir, "--steps", "1", "--set", "data.limit=64", "--set", "model.ngf=4", "--set", "model.ndf=4"]
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_CORETYPE"] = "Haswell"
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("BLAS: OpenBLAS kernels Haswell (pinned by OPENBLAS_CORETYPE=Haswell)"), text)
    }
}
