import GANTensor

/// CycleGAN's image history (Shrivastava et al. 2017; Zhu et al. 2017, Sec. 4): the discriminator
/// sees generated images drawn half from the current batch and half from a buffer of up to
/// `capacity` earlier ones. Deterministic given its generator; its contents are checkpointed.
public final class ImagePool {
    public let capacity: Int
    private(set) var images: [Tensor] = []

    public init(capacity: Int = 50) { self.capacity = capacity }

    /// Returns a batch of the same shape as `batch` ([N, ...]), updating the pool.
    public func query(_ batch: Tensor, rng: RandomGenerator) throws -> Tensor {
        if capacity == 0 { return batch }
        let n = batch.shape[0], item = Array(batch.shape.dropFirst()), size = batch.count / Swift.max(n, 1)
        let out = Tensor(uninitialized: batch.shape)
        for i in 0..<n {
            let current = Tensor(uninitialized: item)
            current.data.update(from: batch.data + i * size, count: size)
            var chosen = current
            if images.count < capacity {
                images.append(current)
            } else if rng.nextFloat() > 0.5 {
                let j = rng.nextInt(below: capacity)
                chosen = images[j]
                images[j] = current
            }
            (out.data + i * size).update(from: chosen.data, count: size)
        }
        return out
    }

    /// The pool as one tensor [count, ...] for checkpoints.
    public func state() -> [(String, Tensor)] {
        guard let first = images.first else { return [] }
        let t = Tensor(uninitialized: [images.count] + first.shape)
        for (i, im) in images.enumerated() { (t.data + i * im.count).update(from: im.data, count: im.count) }
        return [("images", t)]
    }

    public func restore(_ state: [String: Tensor]) {
        images = []
        guard let t = state["images"], t.rank >= 1 else { return }
        let size = t.count / Swift.max(t.shape[0], 1)
        for i in 0..<t.shape[0] {
            let im = Tensor(uninitialized: Array(t.shape.dropFirst()))
            im.data.update(from: t.data + i * size, count: size)
            images.append(im)
        }
    }
}
