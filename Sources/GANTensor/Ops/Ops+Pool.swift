/// 2-D pooling over NCHW. Average pooling is a separable map (a window of weight 1/k on each
/// spatial axis), so its backward is the transposed map. Max pooling records which input won each
/// window; its backward scatters the gradient there and that scatter's backward gathers from
/// there, both with the same constant index map, so it is differentiable in the gradient.
extension Tensor {
    /// Mean over kernel x kernel windows; zero padding counts towards the mean (PyTorch's
    /// default count_include_pad=True). Stride defaults to the kernel.
    public func avgPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0) throws -> Tensor {
        let w = try poolWindow(kernel: kernel, stride: stride, padding: padding, op: "avgPool2d")
        let weight = 1 / Float(kernel)
        func axis(outSize: Int, inSize: Int) -> AxisMatrix {
            AxisMatrix(outSize: outSize, inSize: inSize) { o in w.span(o, size: inSize).map { ($0, weight) } }
        }
        let op = SeparableOperator(inShape: shape, axes: [nil, nil, axis(outSize: w.outH, inSize: w.inH), axis(outSize: w.outW, inSize: w.inW)],
                                   name: "avg_pool2d", adjointName: "avg_pool2d_adjoint")
        return applying(op)
    }

    /// Max over kernel x kernel windows; padding never wins. Stride defaults to the kernel.
    public func maxPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0) throws -> Tensor {
        let w = try poolWindow(kernel: kernel, stride: stride, padding: padding, op: "maxPool2d")
        guard w.inH > 0, w.inW > 0 else {
            throw TensorError.invalidShape(op: "maxPool2d", shape: shape, reason: "empty planes have no maximum")
        }
        let (out, map) = Kernels.maxPool2d(self, w)
        return Tensor.record(out, op: "max_pool2d", inputs: [self]) { g, _, _ in [g.scatteredPlanes(map)] }
    }

    /// Checks an NCHW input and pooling arguments against PyTorch's rules (padding at most half
    /// the kernel, window no larger than the padded input).
    func poolWindow(kernel: Int, stride: Int?, padding: Int, op: String) throws -> PoolWindow {
        guard rank == 4 else {
            throw TensorError.invalidShape(op: op, shape: shape, reason: "expects NCHW input (rank 4)")
        }
        let s = stride ?? kernel
        guard kernel >= 1, s >= 1, padding >= 0, 2 * padding <= kernel else {
            throw TensorError.invalidArgument(op: op, reason: "kernel \(kernel), stride \(s), padding \(padding): need kernel, stride >= 1 and 0 <= padding <= kernel / 2")
        }
        let h = shape[2], wd = shape[3]
        guard h + 2 * padding >= kernel, wd + 2 * padding >= kernel else {
            throw TensorError.invalidShape(op: op, shape: shape, reason: "the padded input is smaller than the kernel \(kernel)")
        }
        guard h * wd <= Int(Int32.max) else {
            throw TensorError.invalidShape(op: op, shape: shape, reason: "planes larger than 2^31 elements are not supported")
        }
        return PoolWindow(kernel: kernel, stride: s, padding: padding, inH: h, inW: wd,
                          outH: (h + 2 * padding - kernel) / s + 1, outW: (wd + 2 * padding - kernel) / s + 1)
    }

    /// Routes each element of this (output-shaped) tensor to its input position (max pooling's
    /// backward); its own backward reads the same positions back.
    func scatteredPlanes(_ map: PlaneIndexMap) -> Tensor {
        let out = Kernels.scatterAddPlanes(self, map)
        return Tensor.record(out, op: "max_pool2d_backward", inputs: [self]) { g, _, _ in [g.gatheredPlanes(map)] }
    }

    /// Reads each output's recorded input position; the backward scatters back.
    func gatheredPlanes(_ map: PlaneIndexMap) -> Tensor {
        let out = Kernels.gatherPlanes(self, map)
        return Tensor.record(out, op: "max_pool2d_select", inputs: [self]) { g, _, _ in [g.scatteredPlanes(map)] }
    }
}
