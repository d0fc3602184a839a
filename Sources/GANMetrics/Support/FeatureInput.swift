import GANTensor

/// Checks shared by every metric that reads a feature set: a [N, d] tensor with enough rows and
/// finite values. The message names the metric so the caller knows which input was wrong.
enum FeatureInput {
    static func check(_ features: Tensor, op: String, minRows: Int = 1) throws {
        guard features.rank == 2 else {
            throw TensorError.invalidShape(op: op, shape: features.shape, reason: "expects features [N, d]")
        }
        guard features.shape[1] > 0, features.shape[0] >= minRows else {
            throw TensorError.invalidShape(op: op, shape: features.shape,
                                           reason: "needs at least \(minRows) rows and 1 column")
        }
        try checkFinite(features, op: op)
    }

    static func checkSameWidth(_ a: Tensor, _ b: Tensor, op: String) throws {
        guard a.shape[1] == b.shape[1] else {
            throw TensorError.shapeMismatch(op: op, lhs: a.shape, rhs: b.shape)
        }
    }

    static func checkFinite(_ t: Tensor, op: String) throws {
        let p = t.data
        for i in 0..<t.count where !p[i].isFinite {
            throw TensorError.invalidArgument(op: op, reason: "input \(t.shape) holds a non-finite value at flat index \(i)")
        }
    }

    /// Rows `indices` of a [N, ...] tensor, as a new [indices.count, ...] tensor.
    static func gatherRows(_ t: Tensor, _ indices: ArraySlice<Int>) -> Tensor {
        let d = t.count / Swift.max(t.shape[0], 1)
        let out = Tensor(uninitialized: [indices.count] + t.shape.dropFirst())
        for (r, i) in indices.enumerated() {
            (out.data + r * d).update(from: t.data + i * d, count: d)
        }
        return out
    }
}
