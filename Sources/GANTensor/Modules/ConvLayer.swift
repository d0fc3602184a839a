/// What Conv2d and ConvTranspose2d share: a weight, an optional bias [out channels], a geometry,
/// PyTorch's default initialisation, and a forward that can take a substitute weight (spectral
/// norm and other reparametrisations compute the weight and call `forward(_:weight:)`).
public class ConvLayer: Module {
    public let weight: Tensor
    public let bias: Tensor?
    public let geometry: Conv2dGeometry

    /// Weight and bias uniform in ±1/sqrt(fanIn): kaiming_uniform with a = sqrt(5), PyTorch's
    /// default for conv layers, reduces to exactly this bound, and the bias uses the same fan-in.
    init(weightShape: [Int], fanIn: Int, outChannels: Int, bias: Bool, geometry: Conv2dGeometry, rng: RandomGenerator) {
        let bound = 1 / Float(fanIn).squareRoot()
        weight = rng.uniform(weightShape, low: -bound, high: bound).requiringGrad()
        self.bias = bias ? rng.uniform([outChannels], low: -bound, high: bound).requiringGrad() : nil
        self.geometry = geometry
    }

    public override var namedOwnParameters: [(String, Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public override func forward(_ x: Tensor) throws -> Tensor { try forward(x, weight: weight) }

    /// The layer with another weight of the same shape and role in place of `weight`.
    public func forward(_ x: Tensor, weight: Tensor) throws -> Tensor {
        throw TensorError.invalidArgument(op: "\(type(of: self)).forward", reason: "not implemented")
    }
}
