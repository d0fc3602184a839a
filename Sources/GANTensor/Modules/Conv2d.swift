/// 2-D convolution layer (PyTorch's nn.Conv2d, groups = 1): weight [out, in, k, k], bias [out],
/// initialised uniform in ±1/sqrt(in*k*k).
public final class Conv2d: ConvLayer {
    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, bias: Bool = true, rng: RandomGenerator) {
        super.init(weightShape: [outChannels, inChannels, kernel, kernel], fanIn: inChannels * kernel * kernel,
                   outChannels: outChannels, bias: bias,
                   geometry: Conv2dGeometry(stride: stride, padding: padding, dilation: dilation), rng: rng)
    }

    public override func forward(_ x: Tensor, weight: Tensor) throws -> Tensor {
        try x.conv2d(weight, bias: bias, geometry: geometry)
    }
}
