/// A 1x1 convolution on [N, C, H, W]: y[n, :, p] = W x[n, :, p] + b at every position p. The
/// weight is stored [out, in, 1, 1] (PyTorch's Conv2d layout, so checkpoints match
/// nn.Conv2d(in, out, 1)) and applied as one batched matmul; initialisation is Conv2d's default
/// (weight and bias uniform in ±1/sqrt(in)). Conforms to WeightedModule so it can be
/// spectral- or weight-normalised.
public final class PointwiseConv: Module, WeightedModule {
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ inChannels: Int, _ outChannels: Int, bias: Bool = true, rng: RandomGenerator) {
        let bound = 1 / Float(inChannels).squareRoot()
        weight = rng.uniform([outChannels, inChannels, 1, 1], low: -bound, high: bound).requiringGrad()
        self.bias = bias ? rng.uniform([outChannels], low: -bound, high: bound).requiringGrad() : nil
    }

    public override var namedOwnParameters: [(String, Tensor)] {
        presentEntries([("weight", weight), ("bias", bias)])
    }

    public override func forward(_ x: Tensor) throws -> Tensor { try forward(x, weight: weight) }

    public func forward(_ x: Tensor, weight: Tensor) throws -> Tensor {
        guard weight.shape == self.weight.shape else {
            throw TensorError.shapeMismatch(op: "PointwiseConv weight", lhs: self.weight.shape, rhs: weight.shape)
        }
        let (outC, inC) = (weight.shape[0], weight.shape[1])
        guard x.rank == 4, x.shape[1] == inC else {
            throw TensorError.shapeMismatch(op: "PointwiseConv(\(inC) -> \(outC))", lhs: x.shape, rhs: weight.shape)
        }
        let (n, h, w) = (x.shape[0], x.shape[2], x.shape[3])
        // [N, out, in] x [N, in, HW]: matmul has no 2-D-left/3-D-right form, so the weight is
        // broadcast over the batch (its gradient sums back).
        let batchedWeight = try weight.reshaped([1, outC, inC]).expanded(to: [n, outC, inC])
        var y = try batchedWeight.matmul(x.reshaped([n, inC, h * w]))
        if let bias { y = try y + bias.reshaped([1, outC, 1]) }
        return try y.reshaped([n, outC, h, w])
    }
}
