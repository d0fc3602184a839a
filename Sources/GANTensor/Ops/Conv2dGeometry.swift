/// Stride, padding, dilation and (for transposed convolution) output padding of a 2-D
/// convolution, each as (height, width). Shared by conv2d, convTranspose2d, their weight gradient
/// and the Conv2d / ConvTranspose2d modules. Output sizes follow PyTorch's formulas
/// (torch.nn.Conv2d and torch.nn.ConvTranspose2d documentation).
public struct Conv2dGeometry: Sendable, Equatable, CustomStringConvertible {
    public var stride: (Int, Int)
    public var padding: (Int, Int)
    public var dilation: (Int, Int)
    /// Extra rows/columns added at the bottom/right of a transposed convolution's output (ignored
    /// by conv2d).
    public var outputPadding: (Int, Int)

    /// Square parameters (the same value for height and width).
    public init(stride: Int = 1, padding: Int = 0, dilation: Int = 1, outputPadding: Int = 0) {
        self.init(stride: (stride, stride), padding: (padding, padding), dilation: (dilation, dilation),
                  outputPadding: (outputPadding, outputPadding))
    }

    /// Separate (height, width) parameters.
    public init(stride: (Int, Int), padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1),
                outputPadding: (Int, Int) = (0, 0)) {
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.outputPadding = outputPadding
    }

    public static func == (a: Conv2dGeometry, b: Conv2dGeometry) -> Bool {
        a.stride == b.stride && a.padding == b.padding && a.dilation == b.dilation && a.outputPadding == b.outputPadding
    }

    public var description: String {
        "stride \(stride), padding \(padding), dilation \(dilation), outputPadding \(outputPadding)"
    }

    /// conv2d's output size: floor((in + 2p - d(k-1) - 1) / s) + 1, or 0 when the dilated kernel
    /// does not fit in the padded input.
    public func convOutputSize(input: (Int, Int), kernel: (Int, Int)) -> (Int, Int) {
        func side(_ n: Int, _ k: Int, _ s: Int, _ p: Int, _ d: Int) -> Int {
            let span = n + 2 * p - d * (k - 1) - 1
            return span < 0 ? 0 : span / s + 1
        }
        return (side(input.0, kernel.0, stride.0, padding.0, dilation.0),
                side(input.1, kernel.1, stride.1, padding.1, dilation.1))
    }

    /// convTranspose2d's output size: (in - 1)s - 2p + d(k-1) + outputPadding + 1.
    public func transposedOutputSize(input: (Int, Int), kernel: (Int, Int)) -> (Int, Int) {
        func side(_ n: Int, _ k: Int, _ s: Int, _ p: Int, _ d: Int, _ op: Int) -> Int {
            (n - 1) * s - 2 * p + d * (k - 1) + op + 1
        }
        return (side(input.0, kernel.0, stride.0, padding.0, dilation.0, outputPadding.0),
                side(input.1, kernel.1, stride.1, padding.1, dilation.1, outputPadding.1))
    }

    /// Throws unless stride and dilation are positive and padding and output padding are
    /// non-negative; with `transposed`, output padding must also be smaller than the stride or the
    /// dilation (PyTorch's rule, beyond which the extra rows could never receive a value).
    func validate(op: String, transposed: Bool) throws {
        let ok = stride.0 > 0 && stride.1 > 0 && dilation.0 > 0 && dilation.1 > 0
            && padding.0 >= 0 && padding.1 >= 0 && outputPadding.0 >= 0 && outputPadding.1 >= 0
        guard ok else { throw TensorError.invalidArgument(op: op, reason: "invalid geometry (\(self))") }
        if transposed {
            guard outputPadding.0 < Swift.max(stride.0, dilation.0), outputPadding.1 < Swift.max(stride.1, dilation.1) else {
                throw TensorError.invalidArgument(op: op, reason: "output padding must be smaller than stride or dilation (\(self))")
            }
        }
    }
}
