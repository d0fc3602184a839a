/// Pooling and upsampling layers over NCHW, named and parameterised as in PyTorch (no parameters,
/// no state-dict entries).
public class Pool2d: Module {
    public let kernel: Int, stride: Int?, padding: Int

    /// Stride defaults to the kernel size, as in PyTorch.
    public init(_ kernel: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernel = kernel; self.stride = stride; self.padding = padding
    }
}

/// nn.AvgPool2d (count_include_pad=True).
public final class AvgPool2d: Pool2d {
    public override func forward(_ x: Tensor) throws -> Tensor {
        try x.avgPool2d(kernel: kernel, stride: stride, padding: padding)
    }
}

/// nn.MaxPool2d.
public final class MaxPool2d: Pool2d {
    public override func forward(_ x: Tensor) throws -> Tensor {
        try x.maxPool2d(kernel: kernel, stride: stride, padding: padding)
    }
}

/// Nearest-neighbour upsampling by an integer factor (nn.Upsample(scale_factor:, mode="nearest")).
public final class Upsample: Module {
    public let scale: Int

    public init(scale: Int) { self.scale = scale }

    public override func forward(_ x: Tensor) throws -> Tensor { try x.upsampledNearest(scale: scale) }
}
