/// 2-D transposed convolution layer (PyTorch's nn.ConvTranspose2d, groups = 1): weight
/// [in, out, k, k], bias [out]. PyTorch computes the init fan-in from the weight's dimension 1,
/// which here is the output channels: both are uniform in ±1/sqrt(out*k*k).
public final class ConvTranspose2d: Module {
    public let weight: Tensor
    public let bias: Tensor?
    public let geometry: Conv2dGeometry

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                outputPadding: Int = 0, dilation: Int = 1, bias: Bool = true, rng: RandomGenerator) {
        geometry = Conv2dGeometry(stride: stride, padding: padding, dilation: dilation, outputPadding: outputPadding)
        let bound = 1 / Float(outChannels * kernel * kernel).squareRoot()
        weight = rng.uniform([inChannels, outChannels, kernel, kernel], low: -bound, high: bound).requiringGrad()
        self.bias = bias ? rng.uniform([outChannels], low: -bound, high: bound).requiringGrad() : nil
    }

    public override var namedOwnParameters: [(String, Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public override func forward(_ x: Tensor) throws -> Tensor { try forward(x, weight: weight) }

    /// The layer with another weight of the same role (e.g. a spectrally normalised one).
    public func forward(_ x: Tensor, weight: Tensor) throws -> Tensor {
        try x.convTranspose2d(weight, bias: bias, geometry: geometry)
    }
}
