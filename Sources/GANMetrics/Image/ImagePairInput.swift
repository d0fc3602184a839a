import GANTensor

/// Checks shared by the metrics that compare two image batches [N, C, H, W] pair by pair.
enum ImagePairInput {
    static func check(_ a: Tensor, _ b: Tensor, op: String, minSide: Int = 1) throws {
        guard a.rank == 4, a.shape == b.shape else {
            throw TensorError.shapeMismatch(op: "\(op) (expects two [N, C, H, W] batches of one shape)", lhs: a.shape, rhs: b.shape)
        }
        guard a.shape[0] > 0, a.shape[1] > 0 else {
            throw TensorError.invalidShape(op: op, shape: a.shape, reason: "needs at least one image and one channel")
        }
        guard a.shape[2] >= minSide, a.shape[3] >= minSide else {
            throw TensorError.invalidShape(op: op, shape: a.shape, reason: "images must be at least \(minSide)x\(minSide)")
        }
        try FeatureInput.checkFinite(a, op: op)
        try FeatureInput.checkFinite(b, op: op)
    }

    static func checkDataRange(_ r: Double, op: String) throws {
        guard r > 0, r.isFinite else {
            throw TensorError.invalidArgument(op: op, reason: "data range must be positive and finite, got \(r)")
        }
    }

    /// f(start of image a, start of image b, values per image) for each pair, in batch order.
    static func perPair(_ a: Tensor, _ b: Tensor, _ f: (UnsafePointer<Float>, UnsafePointer<Float>, Int) -> Double) -> [Double] {
        let per = a.count / a.shape[0]
        return (0..<a.shape[0]).map { f(a.data + $0 * per, b.data + $0 * per, per) }
    }
}
