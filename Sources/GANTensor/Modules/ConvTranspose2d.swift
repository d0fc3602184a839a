/// 2-D transposed convolution layer (PyTorch's nn.ConvTranspose2d, groups = 1): weight
/// [in, out, k, k], bias [out]. PyTorch takes the init fan-in from the weight's dimension 1, which
/// here is the output channels: both are uniform in ±1/sqrt(out*k*k).
public final class ConvTranspose2d: ConvLayer {
    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                outputPadding: Int = 0, dilation: Int = 1, bias: Bool = true, rng: RandomGenerator) {
        super.init(weightShape: [inChannels, outChannels, kernel, kernel], fanIn: outChannels * kernel * kernel,
                   outChannels: outChannels, bias: bias,
                   geometry: Conv2dGeometry(stride: stride, padding: padding, dilation: dilation,
                                            outputPadding: outputPadding), rng: rng)
    }

    public override func forward(_ x: Tensor, weight: Tensor) throws -> Tensor {
        try x.convTranspose2d(weight, bias: bias, geometry: geometry)
    }
}
