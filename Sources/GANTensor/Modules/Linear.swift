/// y = x W^T + b with W of shape [out, in] (PyTorch's nn.Linear layout and default initialisation:
/// W and b uniform in ±1/sqrt(in)).
public final class Linear: Module, WeightedModule {
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, rng: RandomGenerator) {
        let bound = 1 / Float(inFeatures).squareRoot()
        weight = rng.uniform([outFeatures, inFeatures], low: -bound, high: bound).requiringGrad()
        self.bias = bias ? rng.uniform([outFeatures], low: -bound, high: bound).requiringGrad() : nil
    }

    public override var namedOwnParameters: [(String, Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public override func forward(_ x: Tensor) throws -> Tensor { try forward(x, weight: weight) }

    /// The layer with `weight` ([out, in]) in place of its own, for weight reparametrisations.
    public func forward(_ x: Tensor, weight: Tensor) throws -> Tensor {
        guard weight.shape == self.weight.shape else {
            throw TensorError.shapeMismatch(op: "Linear weight", lhs: self.weight.shape, rhs: weight.shape)
        }
        guard x.rank >= 1, x.shape.last == weight.shape[1] else {
            throw TensorError.shapeMismatch(op: "Linear(\(weight.shape[1]) -> \(weight.shape[0]))", lhs: x.shape, rhs: weight.shape)
        }
        let flat = x.rank == 2 ? x : try x.reshaped([-1, weight.shape[1]])
        var y = try flat.matmul(weight, transposeOther: true)
        if let bias { y = try y + bias }
        return x.rank == 2 ? y : try y.reshaped(Array(x.shape.dropLast()) + [weight.shape[0]])
    }
}
