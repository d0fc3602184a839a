/// Instance normalisation (Ulyanov et al. 2016): each (sample, channel) plane of [N, C, H, W] is
/// normalised by its own mean and biased variance, then optionally scaled and shifted per channel.
/// PyTorch's InstanceNorm2d defaults: affine off and no running statistics (not supported here),
/// so training and evaluation behave the same. State dict: `weight`, `bias` when affine.
public final class InstanceNorm2d: Module {
    public let features: Int
    public let eps: Float
    public let weight: Tensor?, bias: Tensor?

    public init(_ features: Int, eps: Float = 1e-5, affine: Bool = false) {
        self.features = features
        self.eps = eps
        (weight, bias) = affineParameters([features], enabled: affine)
    }

    public override var namedOwnParameters: [(String, Tensor)] {
        presentEntries([("weight", weight), ("bias", bias)])
    }

    public override func forward(_ x: Tensor) throws -> Tensor {
        guard x.rank == 4, x.shape[1] == features else {
            throw TensorError.shapeMismatch(op: "InstanceNorm2d(\(features))", lhs: x.shape, rhs: [features])
        }
        let plane = x.shape[2] * x.shape[3]
        guard plane > 1 else {
            throw TensorError.invalidShape(op: "InstanceNorm2d(\(features))", shape: x.shape,
                                           reason: "expected more than 1 spatial element")
        }
        // Every plane becomes a channel of [1, N*C, H*W], so the batch-norm kernel does the work.
        let planes = try x.reshaped([1, x.shape[0] * features, plane])
        var y = try planes.batchNormTrain(eps: eps).output.reshaped(x.shape)
        let view = [1, features, 1, 1]
        if let weight { y = try y * weight.reshaped(view) }
        if let bias { y = try y + bias.reshaped(view) }
        return y
    }
}
