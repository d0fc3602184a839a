/// One axis of a separable linear map: a sparse [outSize x inSize] matrix in CSR form. Output
/// coordinate j reads input coordinates cols[starts[j]..<starts[j+1]] with the matching weights.
/// Slicing, padding, index selection and nearest upsampling select (at most one entry of weight
/// 1 per row); average pooling and all their adjoints sum.
struct AxisMatrix {
    let outSize: Int, inSize: Int
    let starts: [Int]
    let cols: [Int]
    let weights: [Float]
    /// Every row has at most one entry, of weight 1.
    let isSelection: Bool

    /// Output j copies input source[j], or is zero where source[j] is -1.
    init(selecting source: [Int], inSize: Int) {
        var starts = [0], cols: [Int] = []
        starts.reserveCapacity(source.count + 1)
        cols.reserveCapacity(source.count)
        for s in source {
            if s >= 0 { cols.append(s) }
            starts.append(cols.count)
        }
        self.init(outSize: source.count, inSize: inSize, starts: starts, cols: cols,
                  weights: [Float](repeating: 1, count: cols.count), isSelection: true)
    }

    /// Output j is the weighted sum given by `row(j)`.
    init(outSize: Int, inSize: Int, row: (Int) -> [(col: Int, weight: Float)]) {
        var starts = [0], cols: [Int] = [], weights: [Float] = []
        for j in 0..<outSize {
            for (c, w) in row(j) { cols.append(c); weights.append(w) }
            starts.append(cols.count)
        }
        let selects = (0..<outSize).allSatisfy { starts[$0 + 1] - starts[$0] <= 1 } && weights.allSatisfy { $0 == 1 }
        self.init(outSize: outSize, inSize: inSize, starts: starts, cols: cols, weights: weights, isSelection: selects)
    }

    private init(outSize: Int, inSize: Int, starts: [Int], cols: [Int], weights: [Float], isSelection: Bool) {
        self.outSize = outSize; self.inSize = inSize
        self.starts = starts; self.cols = cols; self.weights = weights
        self.isSelection = isSelection
    }

    /// The transpose, with each row's entries in increasing original-row order (deterministic).
    var transposed: AxisMatrix {
        var counts = [Int](repeating: 0, count: inSize + 1)
        for c in cols { counts[c + 1] += 1 }
        for i in 0..<inSize { counts[i + 1] += counts[i] }
        var next = counts
        var tCols = [Int](repeating: 0, count: cols.count), tWeights = [Float](repeating: 0, count: cols.count)
        for j in 0..<outSize {
            for e in starts[j]..<starts[j + 1] {
                let c = cols[e]
                tCols[next[c]] = j
                tWeights[next[c]] = weights[e]
                next[c] += 1
            }
        }
        let selects = (0..<inSize).allSatisfy { counts[$0 + 1] - counts[$0] <= 1 } && weights.allSatisfy { $0 == 1 }
        return AxisMatrix(outSize: inSize, inSize: outSize, starts: counts, cols: tCols, weights: tWeights, isSelection: selects)
    }

    var maxRowEntries: Int { (0..<outSize).map { starts[$0 + 1] - starts[$0] }.max() ?? 0 }
}

/// A linear map that acts on each axis independently: out = (M_0 ⊗ M_1 ⊗ ...) in, with nil
/// meaning identity on that axis. Its adjoint transposes every M_d, so an op defined by one is
/// differentiable to any order: the backward applies the adjoint, whose backward applies the op.
struct SeparableOperator {
    let inShape: [Int], outShape: [Int]
    let axes: [AxisMatrix?]
    /// Op names recorded on the tape for this map and for its adjoint.
    let name: String, adjointName: String

    init(inShape: [Int], axes: [AxisMatrix?], name: String, adjointName: String) {
        self.inShape = inShape
        self.axes = axes
        self.outShape = zip(inShape, axes).map { $1?.outSize ?? $0 }
        self.name = name
        self.adjointName = adjointName
    }

    /// The map that acts as `matrix` on `axis` only.
    init(inShape: [Int], axis: Int, _ matrix: AxisMatrix, name: String, adjointName: String) {
        var axes = [AxisMatrix?](repeating: nil, count: inShape.count)
        axes[axis] = matrix
        self.init(inShape: inShape, axes: axes, name: name, adjointName: adjointName)
    }

    var adjoint: SeparableOperator {
        SeparableOperator(inShape: outShape, axes: axes.map { $0?.transposed }, name: adjointName, adjointName: name)
    }
}
