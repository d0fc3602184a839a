/// Layer normalisation (Ba et al. 2016) over the trailing `normalizedShape` dimensions, as
/// PyTorch's nn.LayerNorm: mean and biased variance per leading index, then an elementwise
/// `weight` and `bias` of shape `normalizedShape` (with `elementwiseAffine`). The WGAN-GP critic
/// uses it over [C, H, W] in place of batch norm, which would couple the samples of the penalty.
public final class LayerNorm: Module {
    public let normalizedShape: [Int]
    public let eps: Float
    public let weight: Tensor?, bias: Tensor?

    public init(_ normalizedShape: [Int], eps: Float = 1e-5, elementwiseAffine: Bool = true) {
        self.normalizedShape = normalizedShape
        self.eps = eps
        (weight, bias) = affineParameters(normalizedShape, enabled: elementwiseAffine)
    }

    public override var namedOwnParameters: [(String, Tensor)] {
        presentEntries([("weight", weight), ("bias", bias)])
    }

    public override func forward(_ x: Tensor) throws -> Tensor {
        let size = Shape.count(normalizedShape)
        guard !normalizedShape.isEmpty, size > 0, x.rank >= normalizedShape.count,
              Array(x.shape.suffix(normalizedShape.count)) == normalizedShape else {
            throw TensorError.shapeMismatch(op: "LayerNorm(\(normalizedShape))", lhs: x.shape, rhs: normalizedShape)
        }
        // Each leading index becomes a channel of [1, rows, size].
        let rows = try x.reshaped([1, x.count / size, size])
        var y = try rows.batchNormTrain(eps: eps).output.reshaped(x.shape)
        if let weight { y = try y * weight }
        if let bias { y = try y + bias }
        return y
    }
}
