/// Picking coordinates along an axis by index (embedding lookups) and its adjoint, which adds
/// slices back at their indices (repeated indices accumulate). Each is the other's backward.
extension Tensor {
    /// Coordinate i of `axis` in the result is coordinate indices[i] of this tensor
    /// (PyTorch's `index_select`). Indices may repeat and must lie in 0..<size.
    public func indexSelect(axis: Int, indices: [Int]) throws -> Tensor {
        let ax = try axisIndex(axis, op: "indexSelect")
        let n = shape[ax]
        if let bad = indices.first(where: { $0 < 0 || $0 >= n }) {
            throw TensorError.invalidArgument(op: "indexSelect", reason: "index \(bad) is out of range 0..<\(n) for axis \(axis) of \(shape)")
        }
        return applying(Tensor.indexOperator(shape: shape, axis: ax, indices: indices))
    }

    /// The adjoint of `indexSelect`: zeros with `size` coordinates on `axis`, to which slice i of
    /// this tensor is added at indices[i] (PyTorch's `index_add` into zeros).
    public func indexAdded(axis: Int, indices: [Int], size: Int) throws -> Tensor {
        let ax = try axisIndex(axis, op: "indexAdd")
        guard indices.count == shape[ax] else {
            throw TensorError.invalidArgument(op: "indexAdd", reason: "\(indices.count) indices for axis \(axis) of \(shape)")
        }
        if let bad = indices.first(where: { $0 < 0 || $0 >= size }) {
            throw TensorError.invalidArgument(op: "indexAdd", reason: "index \(bad) is out of range 0..<\(size)")
        }
        var full = shape
        full[ax] = size
        return applying(Tensor.indexOperator(shape: full, axis: ax, indices: indices).adjoint)
    }

    static func indexOperator(shape: [Int], axis: Int, indices: [Int]) -> SeparableOperator {
        SeparableOperator(inShape: shape, axis: axis, AxisMatrix(selecting: indices, inSize: shape[axis]),
                          name: "index_select", adjointName: "index_add")
    }
}
