/// The one differentiable op behind slice, pad, index select and nearest upsampling, and behind
/// their adjoints (unslice, pad adjoint, index add, sum pooling): a separable linear map. Its
/// backward applies the adjoint map, whose own backward applies the map again, so every op built
/// on it differentiates to any order.
extension Tensor {
    func applying(_ op: SeparableOperator) -> Tensor {
        let out = Kernels.apply(op, to: self)
        return Tensor.record(out, op: op.name, inputs: [self]) { g, _, _ in [g.applying(op.adjoint)] }
    }

    /// `axis` normalised (negative counts from the end) and checked against this tensor's rank.
    func axisIndex(_ axis: Int, op: String) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else {
            throw TensorError.invalidArgument(op: op, reason: "axis \(axis) is out of range for shape \(shape)")
        }
        return a
    }
}
