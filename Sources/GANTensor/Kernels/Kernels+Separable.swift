import Foundation

extension Kernels {
    /// Applies a separable linear map to `x` (whose shape must be `op.inShape`).
    ///
    /// Consecutive identity axes are merged, and trailing ones form a contiguous block of `block`
    /// floats that moves as a unit. Each output row (every mapped axis but the last one fixed) is
    /// computed by one thread from the input rows its outer matrices name, so results never depend
    /// on the thread count and adjoints (scatter-adds) need no atomics.
    static func apply(_ op: SeparableOperator, to x: Tensor) -> Tensor {
        precondition(x.shape == op.inShape, "separable operator \(op.name) applied to \(x.shape), built for \(op.inShape)")
        let out = Tensor(uninitialized: op.outShape)
        if out.count == 0 { return out }
        var outSizes: [Int] = [], inSizes: [Int] = [], mats: [AxisMatrix?] = []
        for (d, m) in op.axes.enumerated() {
            if m == nil, let p = mats.indices.last, mats[p] == nil {
                outSizes[p] *= op.inShape[d]; inSizes[p] *= op.inShape[d]
            } else {
                outSizes.append(op.outShape[d]); inSizes.append(op.inShape[d]); mats.append(m)
            }
        }
        var block = 1
        if let p = mats.indices.last, mats[p] == nil {
            block = inSizes[p]
            outSizes.removeLast(); inSizes.removeLast(); mats.removeLast()
        }
        guard let last = mats.last.flatMap({ $0 }) else {
            out.data.update(from: x.data, count: x.count)
            return out
        }
        var inStrides = [Int](repeating: block, count: inSizes.count)
        for d in stride(from: inSizes.count - 2, through: 0, by: -1) { inStrides[d] = inStrides[d + 1] * inSizes[d + 1] }
        let outer = OuterAxes(sizes: Array(outSizes.dropLast()), inStrides: Array(inStrides.dropLast()),
                              matrices: Array(mats.dropLast()))
        let rowLength = last.outSize * block
        let rows = out.count / rowLength
        let xp = UnsafePointer(x.data), op = out.data
        let allSelect = last.isSelection && outer.allSelect
        let lastRow = LastAxis(last, block: block)
        let work = rowLength * Swift.max(1, outer.maxCombos * last.maxRowEntries)
        Parallel.forChunks(rows, grain: Swift.max(1, Parallel.grain / work)) { s, e in
            let offsets = UnsafeMutablePointer<Int>.allocate(capacity: outer.maxCombos)
            let scales = UnsafeMutablePointer<Float>.allocate(capacity: outer.maxCombos)
            defer { offsets.deallocate(); scales.deallocate() }
            for r in s..<e {
                let o = op + r * rowLength
                let n = outer.combos(row: r, offsets: offsets, scales: scales)
                if n == 0 {
                    o.update(repeating: 0, count: rowLength)
                } else if allSelect {
                    lastRow.select(from: xp + offsets[0], into: o)
                } else {
                    lastRow.sum(from: xp, offsets: offsets, scales: scales, count: n, into: o)
                }
            }
        }
        return out
    }
}

/// The mapped axes before the last one. For an output row they list the input rows it reads and
/// with which weights (the Cartesian product of each axis's matrix row).
private struct OuterAxes {
    let sizes: [Int], inStrides: [Int]
    let rowStrides: [Int]
    let maxCombos: Int
    let allSelect: Bool
    /// All matrices flattened into one CSR, so the per-row walk touches no nested arrays:
    /// axis d's row c spans entries starts[startBase[d] + c] ..< starts[startBase[d] + c + 1];
    /// startBase[d] is -1 for an identity axis.
    let startBase: [Int], starts: [Int], cols: [Int], weights: [Float]

    init(sizes: [Int], inStrides: [Int], matrices: [AxisMatrix?]) {
        self.sizes = sizes; self.inStrides = inStrides
        rowStrides = Shape.strides(sizes)
        maxCombos = Swift.max(1, matrices.reduce(1) { $0 * ($1?.maxRowEntries ?? 1) })
        allSelect = matrices.allSatisfy { $0?.isSelection ?? true }
        var startBase: [Int] = [], starts: [Int] = [], cols: [Int] = [], weights: [Float] = []
        for m in matrices {
            guard let m else { startBase.append(-1); continue }
            startBase.append(starts.count)
            let entryBase = cols.count
            starts += m.starts.map { $0 + entryBase }
            cols += m.cols
            weights += m.weights
        }
        self.startBase = startBase; self.starts = starts; self.cols = cols; self.weights = weights
    }

    /// Fills (input offset, weight) pairs for output row `row`; returns how many.
    @inline(__always)
    func combos(row: Int, offsets: UnsafeMutablePointer<Int>, scales: UnsafeMutablePointer<Float>) -> Int {
        offsets[0] = 0; scales[0] = 1
        var n = 1, rem = row
        for d in 0..<sizes.count {
            let c = rem / rowStrides[d]
            rem -= c * rowStrides[d]
            let stride = inStrides[d], base = startBase[d]
            if base < 0 {
                for i in 0..<n { offsets[i] += c * stride }
                continue
            }
            let es = starts[base + c], k = starts[base + c + 1] - es
            if k == 0 { return 0 }
            // Expand in place from the back: combo i moves to i*k ..< i*k+k.
            for i in Swift.stride(from: n - 1, through: 0, by: -1) {
                let off = offsets[i], sc = scales[i]
                for t in Swift.stride(from: k - 1, through: 0, by: -1) {
                    offsets[i * k + t] = off + cols[es + t] * stride
                    scales[i * k + t] = sc * weights[es + t]
                }
            }
            n *= k
        }
        return n
    }
}

/// The last mapped axis, copied into raw buffers for the hot loops.
private final class LastAxis {
    let starts: UnsafeMutablePointer<Int>, cols: UnsafeMutablePointer<Int>, weights: UnsafeMutablePointer<Float>
    let outSize: Int, block: Int
    /// For a selecting axis: stretches to copy as blocks, or, when stretches are short (upsampling),
    /// the source of each output (-1 for zero) to gather one by one.
    let runs: [SelectionRun]
    let sources: UnsafeMutablePointer<Int>?

    init(_ m: AxisMatrix, block: Int) {
        func pinned<T>(_ a: [T]) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(a.count, 1))
            p.initialize(from: a, count: a.count)
            return p
        }
        starts = pinned(m.starts); cols = pinned(m.cols); weights = pinned(m.weights)
        outSize = m.outSize
        self.block = block
        runs = m.isSelection ? SelectionRun.runs(of: m) : []
        let short = m.isSelection && block == 1 && runs.count * 4 > outSize
        sources = short ? pinned((0..<outSize).map { m.starts[$0 + 1] > m.starts[$0] ? m.cols[m.starts[$0]] : -1 }) : nil
    }

    deinit {
        starts.deallocate(); cols.deallocate(); weights.deallocate(); sources?.deallocate()
    }

    /// o = this axis's selection from the input row at x.
    @inline(__always)
    func select(from x: UnsafePointer<Float>, into o: UnsafeMutablePointer<Float>) {
        if let sources {
            for j in 0..<outSize {
                let s = sources[j]
                o[j] = s < 0 ? 0 : x[s]
            }
        } else {
            for run in runs { run.copy(from: x, to: o, block: block) }
        }
    }

    /// o[j] = sum over input rows c and entries e of row j: scale_c * w_e * x[offset_c + col_e].
    @inline(__always)
    func sum(from x: UnsafePointer<Float>, offsets: UnsafeMutablePointer<Int>, scales: UnsafeMutablePointer<Float>,
             count n: Int, into o: UnsafeMutablePointer<Float>) {
        let starts = self.starts, cols = self.cols, weights = self.weights, outSize = self.outSize, block = self.block
        if block == 1 {
            // Combos outermost so the inner loop keeps one base pointer and scale in registers.
            for c in 0..<n {
                let base = x + offsets[c], sc = scales[c]
                var e = starts[0]
                for j in 0..<outSize {
                    let ee = starts[j + 1]
                    var t: Float = 0
                    while e < ee { t += weights[e] * base[cols[e]]; e += 1 }
                    o[j] = c == 0 ? sc * t : o[j] + sc * t
                }
            }
            return
        }
        o.update(repeating: 0, count: outSize * block)
        for j in 0..<outSize {
            let dst = o + j * block
            for c in 0..<n {
                for e in starts[j]..<starts[j + 1] {
                    let w = scales[c] * weights[e]
                    let src = x + offsets[c] + cols[e] * block
                    for b in 0..<block { dst[b] += w * src[b] }
                }
            }
        }
    }
}

/// A stretch of a selecting axis whose outputs copy consecutive inputs (or are all zero), so a
/// slice or the interior of a pad is one memcpy per row.
private struct SelectionRun {
    let outStart: Int, source: Int, length: Int  // source -1: zeros

    static func runs(of m: AxisMatrix) -> [SelectionRun] {
        var runs: [SelectionRun] = []
        var j = 0
        while j < m.outSize {
            let src = m.starts[j + 1] > m.starts[j] ? m.cols[m.starts[j]] : -1
            var len = 1
            while j + len < m.outSize {
                let e = m.starts[j + len], next = m.starts[j + len + 1] > e ? m.cols[e] : -1
                guard src < 0 ? next < 0 : next == src + len else { break }
                len += 1
            }
            runs.append(SelectionRun(outStart: j, source: src, length: len))
            j += len
        }
        return runs
    }

    @inline(__always)
    func copy(from x: UnsafePointer<Float>, to o: UnsafeMutablePointer<Float>, block: Int) {
        let n = length * block, dst = o + outStart * block
        if source < 0 {
            dst.update(repeating: 0, count: n)
        } else if n == 1 {
            dst[0] = x[source]
        } else {
            dst.update(from: x + source * block, count: n)
        }
    }
}
