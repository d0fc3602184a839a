/// A claim's run whose trainer logs the feature-FID every `evalEvery` steps (on the same
/// `evalSamples` latents each time), with a sample grid at the end: what the
/// claims that follow quality over training (dcgan-stable, wgangp-critic-tracks-quality) train.
extension RunSpec {
    /// `checkpointEvery` nil: one checkpoint, at the end; else every so many steps, all kept.
    static func fidTracked(id: String, recipe: String, overrides: [String], steps: Int, evalEvery: Int, evalSamples: Int,
                           checkpointEvery: Int? = nil) -> RunSpec {
        let checkpoints = checkpointEvery.map { ["train.checkpoint_every=\($0)", "train.keep_checkpoints=\(min(1000, steps / $0 + 1))"] }
            ?? ["train.checkpoint_every=\(steps)"]
        return RunSpec(id: id, recipe: recipe,
                overrides: overrides + ["train.eval_every=\(evalEvery)", "train.eval_samples=\(evalSamples)", "train.eval_metrics=[fid]",
                                        "train.sample_every=\(steps)"] + checkpoints,
                seed: 1, steps: steps)
    }
}

extension CompletedRun {
    /// The logged feature-FID by step; an error when fewer than `minimum` evaluations were logged.
    func fidTrajectory(minimum: Int) throws -> [(step: Int, value: Double)] {
        let fids = try logged("fid_fashion_features")
        guard fids.count >= minimum else {
            throw ReproductionError.missingRun("\(spec.id): \(fids.count) FID evaluations logged, need \(minimum)")
        }
        return fids
    }
}
