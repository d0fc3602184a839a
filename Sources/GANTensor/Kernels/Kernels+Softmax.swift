import Foundation

extension Kernels {
    /// Softmax (or log-softmax) along `axis`, the tensor viewed as [outer, n, inner]. Each lane
    /// subtracts its maximum before exponentiating, so large inputs do not overflow; sums are in
    /// Double in a fixed order, so results do not depend on thread count.
    public static func softmax(_ x: Tensor, axis: Int, log: Bool) -> Tensor {
        let shape = x.shape
        let n = shape[axis]
        let inner = shape.suffix(from: axis + 1).reduce(1, *)
        let lanes = x.count / Swift.max(n, 1)
        let y = Tensor(uninitialized: shape)
        guard x.count > 0 else { return y }
        let xp = x.data, yp = y.data
        Parallel.forChunks(lanes, grain: Swift.max(1, Parallel.grain / n)) { s, e in
            for lane in s..<e {
                let base = (lane / inner) * n * inner + lane % inner
                var m = -Float.infinity
                for k in 0..<n { m = Swift.max(m, xp[base + k * inner]) }
                if m == -.infinity { m = 0 }  // all -inf: keep exp finite, the result is 0/0 as in PyTorch
                var total = 0.0
                for k in 0..<n {
                    let e = Foundation.exp(xp[base + k * inner] - m)
                    if !log { yp[base + k * inner] = e }
                    total += Double(e)
                }
                if log {
                    let shift = m + Float(Foundation.log(total))
                    for k in 0..<n { yp[base + k * inner] = xp[base + k * inner] - shift }
                } else {
                    let inv = Float(1 / total)
                    for k in 0..<n { yp[base + k * inner] *= inv }
                }
            }
        }
        return y
    }
}
