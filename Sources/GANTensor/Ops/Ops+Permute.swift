/// Axis reordering. The forward is a strided copy (tiled when it transposes the two innermost
/// dimensions); the backward applies the inverse permutation.
extension Tensor {
    /// Output axis i is input axis axes[i] (PyTorch's `permute`); negative axes count from the end.
    public func permuted(_ axes: [Int]) throws -> Tensor {
        let perm = axes.map { $0 < 0 ? $0 + rank : $0 }
        guard perm.sorted() == Array(0..<rank) else {
            throw TensorError.invalidArgument(op: "permute", reason: "axes \(axes) are not a permutation of the \(rank) axes of \(shape)")
        }
        let outShape = perm.map { shape[$0] }
        // Moving only size-1 axes keeps the memory order: a free reshape.
        let moved = perm.filter { shape[$0] != 1 }
        if moved == moved.sorted() { return try reshaped(outShape) }
        let out = Tensor(uninitialized: outShape)
        let inStrides = Shape.strides(shape)
        Kernels.copyStrided(extent: outShape, src: data, srcStrides: perm.map { inStrides[$0] },
                            dst: out.data, dstStrides: Shape.strides(outShape))
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in perm.enumerated() { inverse[p] = i }
        return Tensor.record(out, op: "permute", inputs: [self]) { g, _, _ in [try g.permuted(inverse)] }
    }

    /// Swaps two axes.
    public func transposed(_ a: Int, _ b: Int) throws -> Tensor {
        let i = try axisIndex(a, op: "transpose"), j = try axisIndex(b, op: "transpose")
        var perm = Array(0..<rank)
        perm.swapAt(i, j)
        return try permuted(perm)
    }
}
