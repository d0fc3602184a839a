import Foundation

/// Claim 5: one seed fixes a run. Trains the same recipe and seed twice, once more stopped
/// abruptly (no checkpoint written at the stop) and resumed, and once with another seed; the
/// final checkpoints' safetensors files (every network and the optimizer state) must be
/// byte-identical between the first three and differ for the other seed (so the comparison can fail).
public struct DeterminismClaim: Claim {
    public let name = "determinism"
    public let statement = "The same recipe and seed give bit-identical weights twice, and a killed and resumed run matches an uninterrupted one."
    public let source = "GANKit's reproducibility contract (issue 6, claim 5)"

    public init() {}

    struct Plan {
        var overrides: [String]
        var steps: Int
        var stopAt: Int
    }

    // DCGAN-28 on Fashion-MNIST: batch norm, Adam and the loader's shuffling all take part. The
    // stop falls between checkpoints, so resuming must replay steps from the last one.
    func plan(_ form: ClaimForm) -> Plan {
        switch form {
        case .full:
            return Plan(overrides: ["train.checkpoint_every=50", "train.sample_every=50"], steps: 150, stopAt: 120)
        case .fast:
            return Plan(overrides: ["data.limit=256", "model.ngf=8", "model.ndf=8", "train.batch_size=16",
                                    "train.checkpoint_every=8", "train.sample_every=1000", "train.sample_count=4"],
                        steps: 20, stopAt: 13)
        }
    }

    public func runs(_ form: ClaimForm) -> [RunSpec] {
        let p = plan(form)
        func spec(_ tag: String, seed: UInt64, stop: Int? = nil) -> RunSpec {
            RunSpec(id: "determinism-dcgan-fashion-\(tag)-\(form.rawValue)", recipe: "dcgan-fashion", overrides: p.overrides,
                    seed: seed, steps: p.steps, interruptAt: stop)
        }
        return [spec("a", seed: 1), spec("b", seed: 1), spec("resumed", seed: 1, stop: p.stopAt), spec("seed2", seed: 2)]
    }

    public func evaluate(_ runs: CompletedRuns, form: ClaimForm) throws -> ClaimVerdict {
        let ids = self.runs(form).map(\.id)
        let files = try ids.map { try Self.safetensors(in: runs[$0].latestCheckpoint()) }
        let reference = files[0]
        guard !reference.isEmpty else { throw ReproductionError.missingRun("\(ids[0]): no safetensors in its last checkpoint") }
        func identical(_ other: [String: [UInt8]]) -> Int {
            reference.filter { other[$0.key] == $0.value }.count
        }
        let twice = identical(files[1]), resumed = identical(files[2]), otherSeed = identical(files[3])
        let n = reference.count
        let stop = plan(form).stopAt, steps = plan(form).steps
        let rows = [
            ["same seed, second run", "\(twice) of \(n)", "all \(n)", twice == n ? "yes" : "no"],
            ["same seed, stopped after step \(stop) and resumed to \(steps)", "\(resumed) of \(n)", "all \(n)", resumed == n ? "yes" : "no"],
            ["seed 2 (control)", "\(otherSeed) of \(n)", "fewer than \(n)", otherSeed < n ? "yes" : "no"],
        ]
        let passed = twice == n && resumed == n && otherSeed < n
        return ClaimVerdict(passed: passed,
                       summary: "\(twice)/\(n) files identical twice, \(resumed)/\(n) after kill+resume, \(otherSeed)/\(n) for another seed",
                       columns: ["compared with run a (safetensors at step \(steps))", "byte-identical files", "expected", "as expected"],
                       rows: rows,
                       numbers: ["files": Double(n), "identical_twice": Double(twice), "identical_resumed": Double(resumed),
                                 "identical_other_seed": Double(otherSeed)])
    }

    /// Every safetensors file of a checkpoint folder by name, as raw bytes.
    static func safetensors(in checkpoint: URL) throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: checkpoint.path) where name.hasSuffix(".safetensors") {
            guard let data = FileManager.default.contents(atPath: checkpoint.appendingPathComponent(name).path) else {
                throw ReproductionError.missingRun("\(checkpoint.path)/\(name) is unreadable")
            }
            out[name] = Array(data)
        }
        return out
    }
}
