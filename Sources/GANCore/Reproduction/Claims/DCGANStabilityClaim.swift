import Foundation
import GANMetrics
import GANTensor

/// Claim 1 (Radford, Metz, Chintala 2016, arXiv:1511.06434, sections 4 and 6.1): DCGAN trains
/// stably, and walking in its latent space changes samples smoothly. Measured on one
/// Fashion-MNIST run: the feature-FID of the trainer's periodic evaluations (same latents each
/// time) must fall over training (Spearman rank correlation with the step at most
/// -`minFallCorrelation`, last value at most `maxFinalOverFirst` of the first) and end below
/// `fidThreshold`; along straight paths between pairs of latents, the samples must change evenly
/// (`LatentPathSmoothness`), judged on the median path and on the `tail` quantile of paths: a
/// few paths that cross between garment classes change faster than the rest, while a memorising
/// generator jumps on most paths. (The first form judged the worst of 8 paths, an extreme of a
/// small sample that moved from 0.31 to 0.37 between two runs of the same recipe.)
public struct DCGANStabilityClaim: Claim {
    public let name = "dcgan-stable"
    public let statement = "DCGAN trains stably on Fashion-MNIST (the feature-FID falls over training and ends low), and interpolating between latents changes samples smoothly."
    public let source = "Radford, Metz, Chintala 2016 (arXiv:1511.06434), sections 4 and 6.1"

    public struct Plan: Sendable {
        public var overrides: [String]
        public var steps: Int
        public var evalEvery: Int
        public var evalSamples: Int
        /// nil: no absolute threshold (the fast form, whose runs are too short to calibrate one).
        public var fidThreshold: Double?
        public var maxFinalOverFirst: Double
        public var minFallCorrelation: Double
        public var smoothness: SmoothnessLimits
    }

    /// Limits on the paths' `jump` (largest frame change / mean change; an even walk gives 1, a single
    /// jump frames-1) and `step` (largest frame change / endpoint change; an even straight walk gives
    /// 1/(frames-1), a single jump 1), for the median path and the `tail` quantile of paths.
    public struct SmoothnessLimits: Sendable {
        public var pairs: Int
        public var frames: Int
        public var tail: Double
        public var medianJump: Double
        public var tailJump: Double
        public var medianStep: Double
        public var tailStep: Double

        public struct Measured: Sendable {
            public var medianJump, tailJump, medianStep, tailStep: Double
        }

        public func measure(_ s: LatentPathSmoothness) -> Measured {
            Measured(medianJump: s.quantile(0.5, \.jump), tailJump: s.quantile(tail, \.jump),
                     medianStep: s.quantile(0.5, \.step), tailStep: s.quantile(tail, \.step))
        }

        public func passes(_ m: Measured) -> Bool {
            m.medianJump <= medianJump && m.tailJump <= tailJump && m.medianStep <= medianStep && m.tailStep <= tailStep
        }
    }

    // Full form: the recipe's networks and batch, 2,000 steps (about 10 minutes at 3.5 steps/s),
    // FID every 200 steps on 1,000 samples. fidThreshold: 1.25 x the final FID of the full run
    // measured here (seed 1: 589 at step 200 falling every time to 177 at step 2,000), so a
    // regression of a quarter fails while seed noise should not (one seed measured).
    // Smoothness on 128 paths of 9 frames (one batch of 1,152 samples), limits about 1.2 x what two
    // full runs of the recipe measured (at two commits of 2 Dec 2026 whose last bits differ): median jump 1.43 / 1.43, 90% 1.84 / 1.79;
    // median step 0.289 / 0.293, 90% 0.377 / 0.366.
    public var full = Plan(overrides: [], steps: 2000, evalEvery: 200, evalSamples: 1000, fidThreshold: 220,
                           maxFinalOverFirst: 0.5, minFallCorrelation: 0.6,
                           smoothness: SmoothnessLimits(pairs: 128, frames: 9, tail: 0.9, medianJump: 1.75, tailJump: 2.25,
                                                        medianStep: 0.35, tailStep: 0.45))
    // Fast form: narrow networks on 2,048 images, 240 steps; the same shape of test, looser.
    public var fast = Plan(overrides: ["data.limit=2048", "model.ngf=16", "model.ndf=16", "train.batch_size=32"],
                           steps: 240, evalEvery: 40, evalSamples: 300, fidThreshold: nil,
                           maxFinalOverFirst: 0.8, minFallCorrelation: 0.5,
                           smoothness: SmoothnessLimits(pairs: 32, frames: 9, tail: 0.9, medianJump: 2, tailJump: 3,
                                                        medianStep: 0.4, tailStep: 0.5))
    public let sampleSeed: UInt64 = 2016

    public init() {}

    func plan(_ form: ClaimForm) -> Plan { form == .full ? full : fast }

    public func runs(_ form: ClaimForm) -> [RunSpec] {
        let p = plan(form)
        return [.fidTracked(id: "dcgan-stable-fashion-\(form.rawValue)-\(p.steps)", recipe: "dcgan-fashion", overrides: p.overrides,
                            steps: p.steps, evalEvery: p.evalEvery, evalSamples: p.evalSamples)]
    }

    public func evaluate(_ runs: CompletedRuns, form: ClaimForm) throws -> ClaimVerdict {
        let p = plan(form)
        let run = try runs[self.runs(form)[0].id]
        let fids = try run.fidTrajectory(minimum: 3)
        let first = fids[0].value, last = fids[fids.count - 1].value
        let rho = try Correlation.spearman(fids.map { Double($0.step) }, fids.map(\.value))
        let limits = p.smoothness
        let smooth = try interpolation(run.open().variant, limits)
        let measured = limits.measure(smooth)
        let falls = rho <= -p.minFallCorrelation && last <= p.maxFinalOverFirst * first
        let low = p.fidThreshold.map { last <= $0 } ?? true
        let even = limits.passes(measured)
        func f(_ v: Double) -> String { String(format: "%.3g", v) }
        let tail = "\(Int((limits.tail * 100).rounded()))% of paths"
        let paths = "\(limits.pairs) paths of \(limits.frames) frames"
        var rows = fids.map { ["FID (Fashion-MNIST classifier features) at step \($0.step)", f($0.value), ""] }
        rows.append(["Spearman(step, FID)", f(rho), "<= \(f(-p.minFallCorrelation))"])
        rows.append(["final / first FID", f(last / first), "<= \(f(p.maxFinalOverFirst))"])
        rows.append(["final FID", f(last), p.fidThreshold.map { "<= \(f($0))" } ?? "(no absolute threshold in this form)"])
        rows.append(["largest / mean frame change, median path (\(paths); even walk 1, one jump \(limits.frames - 1))", f(measured.medianJump), "<= \(f(limits.medianJump))"])
        rows.append(["largest / mean frame change, \(tail) at or below", f(measured.tailJump), "<= \(f(limits.tailJump))"])
        rows.append(["largest frame change / endpoint change, median path (even walk \(f(1 / Double(limits.frames - 1))), one jump 1)", f(measured.medianStep), "<= \(f(limits.medianStep))"])
        rows.append(["largest frame change / endpoint change, \(tail) at or below", f(measured.tailStep), "<= \(f(limits.tailStep))"])
        return ClaimVerdict(
            passed: falls && low && even,
            summary: String(format: "FID %.3g -> %.3g over %d steps (Spearman %.2f)%@; interpolation: the median path's largest frame change is %.2f x its mean change and %.2f x its endpoints' change (%@ at or below %.2f, %.2f)",
                            first, last, p.steps, rho, p.fidThreshold.map { String(format: ", threshold %.3g", $0) } ?? "",
                            measured.medianJump, measured.medianStep, tail, measured.tailJump, measured.tailStep),
            columns: ["measure", "here", "required"], rows: rows,
            numbers: ["fid_first": first, "fid_final": last, "spearman_step_fid": rho,
                      "interpolation_median_jump": measured.medianJump, "interpolation_tail_jump": measured.tailJump,
                      "interpolation_median_step": measured.medianStep, "interpolation_tail_step": measured.tailStep])
    }

    /// Frames along straight lines between `pairs` pairs of latents, generated in one batch, and
    /// their smoothness per path.
    func interpolation(_ variant: any GANVariant, _ p: SmoothnessLimits) throws -> LatentPathSmoothness {
        guard let nz = variant.latentDimension else { throw TrainingError.invalid("dcgan-stable: the generator has no latent") }
        let ends = RandomGenerator(seed: sampleSeed).normal([2 * p.pairs, nz]).scalars
        var latents: [Float] = []
        for k in 0..<p.pairs {
            let a = Array(ends[(2 * k * nz)..<((2 * k + 1) * nz)]), b = Array(ends[((2 * k + 1) * nz)..<((2 * k + 2) * nz)])
            for i in 0..<p.frames { latents += LatentPath.lerp(a, b, Float(i) / Float(p.frames - 1)) }
        }
        let images = try variant.generate(GeneratorInput(latents: Tensor(latents, shape: [p.pairs * p.frames, nz])))
        return try LatentPathSmoothness(frames: images, framesPerPath: p.frames)
    }
}
