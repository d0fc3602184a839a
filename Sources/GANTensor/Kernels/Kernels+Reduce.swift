extension Kernels {
    /// Sums `x` over `axes` (sorted, valid), keeping them as size-1 dimensions. Accumulates in
    /// Double per output element so results do not depend on thread count.
    public static func sum(_ x: Tensor, axes: [Int]) -> Tensor {
        let shape = x.shape
        var outShape = shape
        for a in axes { outShape[a] = 1 }
        let out = Tensor(zeros: outShape)
        if x.count == 0 { return out }
        let reduced = Set(axes)
        if let (outer, kept, inner) = keptBlock(shape, reduced: reduced), inner > 1 {
            sumAroundBlock(x.data, outer: outer, kept: kept, inner: inner, into: out.data)
            return out
        }
        // View the tensor as [outerKept..., reducedDims..., inner] by iterating output elements and,
        // for each, walking the reduced sub-grid. Group trailing kept dims as a contiguous inner block.
        var innerCount = 1
        var d = shape.count - 1
        while d >= 0 && !reduced.contains(d) { innerCount *= shape[d]; d -= 1 }
        let xs = Shape.strides(shape)
        let keptDims = (0...Swift.max(d, 0)).filter { d >= 0 && !reduced.contains($0) }
        let redDims = axes
        let keptShape = keptDims.map { shape[$0] }
        let redShape = redDims.map { shape[$0] }
        let keptCount = Shape.count(keptShape)
        let redCount = Shape.count(redShape)
        let keptStrides = Shape.strides(keptShape), redStrides = Shape.strides(redShape)
        let xp = x.data, op = out.data
        Parallel.forChunks(keptCount, grain: Swift.max(1, Parallel.grain / Swift.max(redCount * innerCount, 1))) { s, e in
            var acc = [Double](repeating: 0, count: innerCount)
            for k in s..<e {
                var base = 0, rem = k
                for (j, dim) in keptDims.enumerated() {
                    let c = rem / keptStrides[j]; rem -= c * keptStrides[j]; base += c * xs[dim]
                }
                for i in 0..<innerCount { acc[i] = 0 }
                for r in 0..<redCount {
                    var off = base
                    var rr = r
                    for (j, dim) in redDims.enumerated() {
                        let c = rr / redStrides[j]; rr -= c * redStrides[j]; off += c * xs[dim]
                    }
                    let p = xp + off
                    for i in 0..<innerCount { acc[i] += Double(p[i]) }
                }
                let o = op + k * innerCount
                for i in 0..<innerCount { o[i] = Float(acc[i]) }
            }
        }
        return out
    }

    /// When the kept dimensions form one contiguous block with every other dimension reduced, the
    /// tensor is [outer, kept, inner]: the sizes of the three parts (per-channel sums of NCHW).
    private static func keptBlock(_ shape: [Int], reduced: Set<Int>) -> (Int, Int, Int)? {
        let kept = shape.indices.filter { !reduced.contains($0) }
        guard let lo = kept.first, let hi = kept.last, hi - lo + 1 == kept.count else { return nil }
        return (Shape.count(Array(shape[..<lo])), Shape.count(Array(shape[lo...hi])), Shape.count(Array(shape[(hi + 1)...])))
    }

    /// out[k] = sum over a, b of x[a, k, b], summed in the same order as the general path (a-major,
    /// then b, in Double), so both give identical results; contiguous runs and no index arithmetic
    /// per element.
    private static func sumAroundBlock(_ x: UnsafePointer<Float>, outer: Int, kept: Int, inner: Int,
                                       into out: UnsafeMutablePointer<Float>) {
        Parallel.forChunks(kept, grain: Swift.max(1, Parallel.grain / Swift.max(outer * inner, 1))) { s, e in
            for k in s..<e {
                var acc = 0.0
                for a in 0..<outer {
                    let run = x + (a * kept + k) * inner
                    for b in 0..<inner { acc += Double(run[b]) }
                }
                out[k] = Float(acc)
            }
        }
    }

    /// Max over `axes` (kept as size 1) and, for each output element, the flat index of its argmax.
    public static func max(_ x: Tensor, axes: [Int]) -> (values: Tensor, argmax: [Int]) {
        let shape = x.shape
        var outShape = shape
        for a in axes { outShape[a] = 1 }
        let out = Tensor(repeating: -.infinity, shape: outShape)
        var arg = [Int](repeating: 0, count: out.count)
        let xp = x.data, op = out.data
        // Trailing axes reduced (maxout pieces, row maxima): each output scans one contiguous run,
        // in the same order and with the same comparison as the general loop below.
        if let first = axes.first, axes == Array(first..<shape.count), x.count > 0 {
            let run = Shape.count(Array(shape[first...]))
            for o in 0..<out.count {
                let base = o * run
                var best = xp[base], bestIndex = base
                // Selects instead of a branch: which piece wins is data, not a predictable pattern.
                for i in (base + 1)..<(base + run) {
                    let v = xp[i]
                    let wins = v > best || (v.isNaN && !best.isNaN)
                    best = wins ? v : best
                    bestIndex = wins ? i : bestIndex
                }
                op[o] = best; arg[o] = bestIndex
            }
            return (out, arg)
        }
        let xs = Shape.strides(shape), os = Shape.strides(outShape)
        for i in 0..<x.count {
            var rem = i, o = 0
            for dIdx in 0..<shape.count {
                let c = rem / xs[dIdx]; rem -= c * xs[dIdx]
                if outShape[dIdx] != 1 { o += c * os[dIdx] }
            }
            if xp[i] > op[o] || (xp[i].isNaN && !op[o].isNaN) { op[o] = xp[i]; arg[o] = i }
        }
        return (out, arg)
    }
}
