/// Inverted dropout: in training each element is kept with probability 1 - p and scaled by
/// 1 / (1 - p), so evaluation is the identity. The scaled mask is a constant drawn from `rng`;
/// the product op's backward multiplies the gradient by that same mask.
extension Tensor {
    public func dropout(p: Float, rng: RandomGenerator, training: Bool) throws -> Tensor {
        guard p >= 0, p <= 1 else {
            throw TensorError.invalidArgument(op: "dropout", reason: "probability \(p) is not in [0, 1]")
        }
        guard training, p > 0 else { return self }
        let keep = 1 - p
        // p = 1 drops everything; the mask is then all zeros rather than 0 * infinity.
        let scale: Float = keep > 0 ? 1 / keep : 0
        let mask = rng.bernoulli(shape, p: keep).constantMap { $0 * scale }
        return try self * mask
    }
}
