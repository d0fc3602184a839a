/// Joining tensors along an axis and cutting one into pieces. Concat copies each input as one
/// strided block per outer index; its backward slices the gradient back apart. Split, chunk and
/// stack are built from slice, reshape and concat, so they inherit those backwards.
extension Tensor {
    /// Joins tensors that agree on every axis but `axis` (PyTorch's `torch.cat`).
    public static func concat(_ ts: [Tensor], axis: Int) throws -> Tensor {
        guard let first = ts.first else {
            throw TensorError.invalidArgument(op: "concat", reason: "needs at least one tensor")
        }
        let ax = try first.axisIndex(axis, op: "concat")
        for t in ts {
            guard t.rank == first.rank,
                  t.shape.indices.allSatisfy({ $0 == ax || t.shape[$0] == first.shape[$0] }) else {
                throw TensorError.shapeMismatch(op: "concat (axis \(axis))", lhs: first.shape, rhs: t.shape)
            }
        }
        if ts.count == 1 { return first }
        var outShape = first.shape
        outShape[ax] = ts.reduce(0) { $0 + $1.shape[ax] }
        let out = Tensor(uninitialized: outShape)
        let outer = Shape.count(Array(outShape[..<ax])), inner = Shape.count(Array(outShape[(ax + 1)...]))
        var starts: [Int] = []
        var offset = 0
        for t in ts {
            let block = t.shape[ax] * inner
            Kernels.copyStrided(extent: [outer, block], src: t.data, srcStrides: [block, 1],
                                dst: out.data + offset * inner, dstStrides: [outShape[ax] * inner, 1])
            starts.append(offset)
            offset += t.shape[ax]
        }
        return record(out, op: "concat", inputs: ts) { g, _, needs in
            try ts.indices.map { i in
                needs[i] ? try g.sliced(axis: ax, start: starts[i], end: starts[i] + ts[i].shape[ax]) : nil
            }
        }
    }

    /// Joins equal-shaped tensors along a new axis (PyTorch's `torch.stack`).
    public static func stack(_ ts: [Tensor], axis: Int = 0) throws -> Tensor {
        guard let first = ts.first else {
            throw TensorError.invalidArgument(op: "stack", reason: "needs at least one tensor")
        }
        let ax = axis < 0 ? axis + first.rank + 1 : axis
        guard ax >= 0, ax <= first.rank else {
            throw TensorError.invalidArgument(op: "stack", reason: "axis \(axis) is out of range for stacking tensors of shape \(first.shape)")
        }
        if let odd = ts.first(where: { $0.shape != first.shape }) {
            throw TensorError.shapeMismatch(op: "stack", lhs: first.shape, rhs: odd.shape)
        }
        var unsqueezed = first.shape
        unsqueezed.insert(1, at: ax)
        return try concat(ts.map { try $0.reshaped(unsqueezed) }, axis: ax)
    }

    /// Pieces of the given sizes along `axis` (PyTorch's `split` with a list of sizes).
    public func split(sizes: [Int], axis: Int) throws -> [Tensor] {
        let ax = try axisIndex(axis, op: "split")
        guard sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == shape[ax] else {
            throw TensorError.invalidArgument(op: "split", reason: "sizes \(sizes) do not add up to \(shape[ax]), the size of axis \(axis) of \(shape)")
        }
        var start = 0
        return try sizes.map { n in
            defer { start += n }
            return try sliced(axis: ax, start: start, end: start + n)
        }
    }

    /// At most `n` pieces of ceil(size / n) along `axis`, the last possibly smaller (PyTorch's
    /// `chunk`, which may also return fewer than `n`).
    public func chunked(_ n: Int, axis: Int) throws -> [Tensor] {
        let ax = try axisIndex(axis, op: "chunk")
        guard n >= 1 else {
            throw TensorError.invalidArgument(op: "chunk", reason: "number of chunks \(n) must be at least 1")
        }
        let size = shape[ax]
        let piece = Swift.max(1, (size + n - 1) / n)
        let sizes = size == 0 ? [0] : stride(from: 0, to: size, by: piece).map { Swift.min(piece, size - $0) }
        return try split(sizes: sizes, axis: ax)
    }
}
