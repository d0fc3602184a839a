import GANTensor

extension GANVariant {
    /// `count` samples from normal latents drawn from a generator seeded with `seed` (in chunks of
    /// 500, so memory stays flat); conditional variants cycle through their classes in order.
    public func generateSamples(count: Int, seed: UInt64) throws -> Tensor {
        guard let nz = latentDimension else { throw TrainingError.invalid("\(Self.name) has no latent to sample") }
        let rng = RandomGenerator(seed: seed)
        var parts: [Tensor] = []
        var done = 0
        while done < count {
            let n = Swift.min(500, count - done)
            let labels = conditionClasses.map { k in (done..<done + n).map { $0 % k } }
            parts.append(try generate(GeneratorInput(latents: rng.normal([n, nz]), labels: labels)))
            done += n
        }
        return try Tensor.concat(parts, axis: 0)
    }
}
