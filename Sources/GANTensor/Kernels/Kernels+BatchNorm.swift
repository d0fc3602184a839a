import Foundation

/// A tensor seen as [outer, channels, inner]: axis 1 is the channel, axis 0 and every axis after 1
/// are the ones normalised over ([N, C] -> inner 1, [N, C, H, W] -> inner H*W).
public struct BatchNormLayout: Sendable, Equatable {
    public let outer: Int, channels: Int, inner: Int
    /// Elements per channel.
    public var perChannel: Int { outer * inner }

    public init(_ shape: [Int]) {
        outer = shape[0]
        channels = shape[1]
        inner = shape.dropFirst(2).reduce(1, *)
    }

    /// Runs `body(c0, c1)` over channel ranges in parallel when there is enough work.
    func forChannelChunks(_ body: (Int, Int) -> Void) {
        Parallel.forChunks(channels, grain: Swift.max(1, Parallel.grain / Swift.max(perChannel, 1)), body)
    }
}

/// Fused batch-norm kernels. Channel sums are accumulated in Double in a fixed order (outer, then
/// inner, four interleaved partial sums per row), so results do not depend on how channels are
/// split over threads.
extension Kernels {
    /// Per-channel sums of f(i, c) over one channel's elements, for channels c0..<c1 (i is a flat index).
    /// Each row of `inner` elements is summed in four lanes (element k into lane k mod 4, the lanes
    /// added pairwise, then the tail): one running sum waits on the previous addition's latency for
    /// every element (the norms were 3-4% of a DCGAN-64 step).
    @inline(__always)
    static func batchNormSums(_ layout: BatchNormLayout, _ c0: Int, _ c1: Int,
                            _ f: (Int, Int) -> (Double, Double)) -> [(Double, Double)] {
        var sums = [(Double, Double)](repeating: (0, 0), count: c1 - c0)
        if layout.inner == 1 {
            // [N, C] (fully connected layers): one value per (row, channel), added in the same
            // order as below, but along rows so that the loop runs over contiguous channels.
            sums.withUnsafeMutableBufferPointer { acc in
                for o in 0..<layout.outer {
                    let base = o * layout.channels
                    for c in c0..<c1 {
                        let (u, v) = f(base + c, c)
                        acc[c - c0].0 += u
                        acc[c - c0].1 += v
                    }
                }
            }
            return sums
        }
        for o in 0..<layout.outer {
            for c in c0..<c1 {
                let base = (o * layout.channels + c) * layout.inner, end = base + layout.inner
                var lanesA = SIMD4<Double>(), lanesB = SIMD4<Double>()
                var i = base
                while i + 4 <= end {
                    let (u0, v0) = f(i, c), (u1, v1) = f(i + 1, c), (u2, v2) = f(i + 2, c), (u3, v3) = f(i + 3, c)
                    lanesA += SIMD4(u0, u1, u2, u3)
                    lanesB += SIMD4(v0, v1, v2, v3)
                    i += 4
                }
                var a = (lanesA[0] + lanesA[1]) + (lanesA[2] + lanesA[3])
                var b = (lanesB[0] + lanesB[1]) + (lanesB[2] + lanesB[3])
                while i < end {
                    let (u, v) = f(i, c)
                    a += u
                    b += v
                    i += 1
                }
                sums[c - c0].0 += a
                sums[c - c0].1 += b
            }
        }
        return sums
    }

    /// out[i] = scale[c] * x[i] + shift[c] for channels c0..<c1.
    @inline(__always)
    static func batchNormApply(_ layout: BatchNormLayout, _ c0: Int, _ c1: Int, _ x: UnsafePointer<Float>,
                              _ out: UnsafeMutablePointer<Float>, _ coefficients: (Int) -> (Float, Float)) {
        if layout.inner == 1 {
            // [N, C]: the per-channel coefficients once, then contiguous rows.
            let coefficientPairs = (c0..<c1).map(coefficients)
            coefficientPairs.withUnsafeBufferPointer { k in
                for o in 0..<layout.outer {
                    let base = o * layout.channels
                    for c in c0..<c1 { out[base + c] = k[c - c0].0 * x[base + c] + k[c - c0].1 }
                }
            }
            return
        }
        for c in c0..<c1 {
            let (scale, shift) = coefficients(c)
            for o in 0..<layout.outer {
                let base = (o * layout.channels + c) * layout.inner
                for i in base..<(base + layout.inner) { out[i] = scale * x[i] + shift }
            }
        }
    }

    /// Training-mode forward: batch mean, biased variance, 1/sqrt(var + eps), and
    /// y = (x - mean) * invstd * weight + bias. Two passes over x.
    public static func batchNormForward(x: UnsafePointer<Float>, layout: BatchNormLayout,
                                        weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?, eps: Float,
                                        y: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                                        variance: UnsafeMutablePointer<Float>, invstd: UnsafeMutablePointer<Float>) {
        let m = Double(layout.perChannel)
        layout.forChannelChunks { c0, c1 in
            // Single pass of sum and sum of squares; Double keeps the cancellation harmless.
            let sums = batchNormSums(layout, c0, c1) { i, _ in let v = Double(x[i]); return (v, v * v) }
            for c in c0..<c1 {
                let mu = sums[c - c0].0 / m
                let v = Swift.max(sums[c - c0].1 / m - mu * mu, 0)
                mean[c] = Float(mu)
                variance[c] = Float(v)
                invstd[c] = Float(1 / (v + Double(eps)).squareRoot())
            }
            batchNormApply(layout, c0, c1, x, y) { c in
                let scale = invstd[c] * (weight?[c] ?? 1)
                return (scale, (bias?[c] ?? 0) - mean[c] * scale)
            }
        }
    }

    /// Backward of the training-mode forward for gradient g: per-channel sum(g) and
    /// sum(g * xhat), and (when `dx` is given) dx = w * invstd * (g - mean(g) - xhat * mean(g * xhat)).
    public static func batchNormBackward(g: UnsafePointer<Float>, x: UnsafePointer<Float>, layout: BatchNormLayout,
                                         mean: UnsafePointer<Float>, invstd: UnsafePointer<Float>,
                                         weight: UnsafePointer<Float>?, dx: UnsafeMutablePointer<Float>?,
                                         sumG: UnsafeMutablePointer<Float>, sumGXhat: UnsafeMutablePointer<Float>) {
        let m = Float(layout.perChannel)
        layout.forChannelChunks { c0, c1 in
            let sums = batchNormSums(layout, c0, c1) { i, c in
                let gi = Double(g[i])
                return (gi, gi * Double(x[i] - mean[c]))
            }
            for c in c0..<c1 {
                sumG[c] = Float(sums[c - c0].0)
                sumGXhat[c] = Float(sums[c - c0].1) * invstd[c]
            }
            guard let dx else { return }
            // dx = a*g + b*x + k with per-channel a, b, k: one fused pass.
            let coefficients = (c0..<c1).map { c -> (Float, Float, Float) in
                let a = (weight?[c] ?? 1) * invstd[c]
                let b = -a * invstd[c] * sumGXhat[c] / m
                return (a, b, -a * sumG[c] / m - b * mean[c])
            }
            if layout.inner == 1 {
                coefficients.withUnsafeBufferPointer { abk in
                    for o in 0..<layout.outer {
                        let base = o * layout.channels
                        for c in c0..<c1 {
                            let (a, b, k) = abk[c - c0]
                            dx[base + c] = a * g[base + c] + b * x[base + c] + k
                        }
                    }
                }
                return
            }
            for c in c0..<c1 {
                let (a, b, k) = coefficients[c - c0]
                for o in 0..<layout.outer {
                    let base = (o * layout.channels + c) * layout.inner
                    for i in base..<(base + layout.inner) { dx[i] = a * g[i] + b * x[i] + k }
                }
            }
        }
    }
}
