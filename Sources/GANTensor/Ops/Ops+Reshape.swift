/// Shape changes that keep the data: reshape (shares storage), broadcast-expand and its adjoint.
extension Tensor {
    /// Same data, new shape; one dimension may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var shape = newShape
        if let i = shape.firstIndex(of: -1) {
            let known = shape.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            guard known > 0, count % known == 0 else {
                throw TensorError.invalidShape(op: "reshape", shape: newShape, reason: "cannot infer -1 from \(self.shape)")
            }
            shape[i] = count / known
        }
        guard Shape.count(shape) == count, shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.shapeMismatch(op: "reshape", lhs: self.shape, rhs: newShape)
        }
        if shape == self.shape { return self }
        let out = Tensor(storage: storage, shape: shape)
        let original = self.shape
        return Tensor.record(out, op: "reshape", inputs: [self]) { g, _, _ in [try g.reshaped(original)] }
    }

    /// Collapses every dimension from `axis` on into one ([N, C, H, W] -> [N, C*H*W] for axis 1).
    public func flattened(from axis: Int = 1) throws -> Tensor {
        guard axis >= 0, axis < Swift.max(rank, 1) else {
            throw TensorError.invalidArgument(op: "flatten", reason: "axis \(axis) out of range for shape \(shape)")
        }
        return try reshaped(Array(shape.prefix(axis)) + [shape.dropFirst(axis).reduce(1, *)])
    }

    /// Broadcasts to `target` (NumPy rules) by copying; the backward sums back.
    public func expanded(to target: [Int]) throws -> Tensor {
        guard Shape.broadcast(shape, target) == target else {
            throw TensorError.shapeMismatch(op: "expand", lhs: shape, rhs: target)
        }
        if target == shape { return self }
        let out = Kernels.broadcastZip(self, Tensor(scalar: 0), into: target) { a, _ in a }
        let original = shape
        return Tensor.record(out, op: "expand", inputs: [self]) { g, _, _ in [try g.sumTo(original)] }
    }

    /// Sums a broadcast result back down to `target` (the adjoint of `expanded(to:)`).
    public func sumTo(_ target: [Int]) throws -> Tensor {
        if target == shape { return self }
        guard Shape.broadcast(target, shape) == shape else {
            throw TensorError.shapeMismatch(op: "sumTo", lhs: shape, rhs: target)
        }
        let pad = rank - target.count
        var axes = Array(0..<pad)
        for (i, d) in target.enumerated() where d == 1 && shape[i + pad] != 1 { axes.append(i + pad) }
        let summed = try sum(axes: axes, keepDims: true)
        return try summed.reshaped(target)
    }
}
