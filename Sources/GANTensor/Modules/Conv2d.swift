/// 2-D convolution layer (PyTorch's nn.Conv2d, groups = 1): weight [out, in, k, k], bias [out],
/// both initialised uniform in ±1/sqrt(in*k*k) (PyTorch's default: kaiming_uniform with a = sqrt(5)
/// gives exactly that bound for the weight, and the bias uses the same fan-in).
public final class Conv2d: Module {
    public let weight: Tensor
    public let bias: Tensor?
    public let geometry: Conv2dGeometry

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, bias: Bool = true, rng: RandomGenerator) {
        geometry = Conv2dGeometry(stride: stride, padding: padding, dilation: dilation)
        let bound = 1 / Float(inChannels * kernel * kernel).squareRoot()
        weight = rng.uniform([outChannels, inChannels, kernel, kernel], low: -bound, high: bound).requiringGrad()
        self.bias = bias ? rng.uniform([outChannels], low: -bound, high: bound).requiringGrad() : nil
    }

    public override var namedOwnParameters: [(String, Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public override func forward(_ x: Tensor) throws -> Tensor { try forward(x, weight: weight) }

    /// The layer with another weight of the same role (e.g. a spectrally normalised one).
    public func forward(_ x: Tensor, weight: Tensor) throws -> Tensor {
        try x.conv2d(weight, bias: bias, geometry: geometry)
    }
}
