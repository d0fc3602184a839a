/// 2-D convolution, transposed convolution and the convolution weight gradient: three ops whose
/// backwards are written in each other, so every derivative is differentiable again (gradient
/// penalties through conv layers):
///   conv2d(x, w)             dx = convTranspose2d(gy, w)     dw = weightGrad(x, gy)
///   convTranspose2d(x, w)    dx = conv2d(gy, w)              dw = weightGrad(gy, x)
///   weightGrad(x, gy) -> dw  dx = convTranspose2d(gy, G)     dgy = conv2d(x, G)     (G = upstream)
/// all with the same geometry. Internally the map side's size is explicit (see `ConvLayout`), so
/// each adjoint lands exactly on its input's size, output padding included.
extension Tensor {
    public func conv2d(_ w: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                       dilation: Int = 1) throws -> Tensor {
        try conv2d(w, bias: bias, geometry: Conv2dGeometry(stride: stride, padding: padding, dilation: dilation))
    }

    /// x [N, Cin, H, W] * w [Cout, Cin, kh, kw] (+ bias [Cout]) -> [N, Cout, Hout, Wout]
    /// (PyTorch's F.conv2d, groups = 1; `geometry.outputPadding` is ignored).
    public func conv2d(_ w: Tensor, bias: Tensor? = nil, geometry: Conv2dGeometry) throws -> Tensor {
        let out = try Tensor.checkConv(op: "conv2d", self, w, bias: bias, geometry, transposed: false)
        return try convolved(w, bias: bias, geometry, outputSize: out)
    }

    public func convTranspose2d(_ w: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                                outputPadding: Int = 0, dilation: Int = 1) throws -> Tensor {
        try convTranspose2d(w, bias: bias, geometry: Conv2dGeometry(stride: stride, padding: padding, dilation: dilation,
                                                                    outputPadding: outputPadding))
    }

    /// x [N, Cin, H, W] with w [Cin, Cout, kh, kw] (+ bias [Cout]) -> [N, Cout, Hout, Wout]
    /// (PyTorch's F.conv_transpose2d, groups = 1): the adjoint of conv2d with the same weight.
    public func convTranspose2d(_ w: Tensor, bias: Tensor? = nil, geometry: Conv2dGeometry) throws -> Tensor {
        let out = try Tensor.checkConv(op: "convTranspose2d", self, w, bias: bias, geometry, transposed: true)
        return try transposeConvolved(w, bias: bias, geometry, outputSize: out)
    }

    /// The gradient of sum(conv2d(self, w) * outputGrad) with respect to w, shape
    /// [Cout, Cin, kernelSize.0, kernelSize.1], for self [N, Cin, H, W] and outputGrad
    /// [N, Cout, Hout, Wout]. Differentiable in both arguments.
    public func convWeightGrad(_ outputGrad: Tensor, kernelSize: (Int, Int), geometry: Conv2dGeometry) throws -> Tensor {
        let op = "convWeightGrad"
        try geometry.validate(op: op, transposed: false)
        guard rank == 4, outputGrad.rank == 4, shape[0] == outputGrad.shape[0], kernelSize.0 > 0, kernelSize.1 > 0,
              shape.dropFirst().allSatisfy({ $0 > 0 }), outputGrad.shape.dropFirst().allSatisfy({ $0 > 0 }) else {
            throw TensorError.shapeMismatch(op: "\(op) (kernel \(kernelSize))", lhs: shape, rhs: outputGrad.shape)
        }
        return weightGradient(outputGrad, kernelSize: kernelSize, geometry)
    }

    /// Validates a conv2d (w [out, in, kh, kw]) or convTranspose2d (w [in, out, kh, kw]) call:
    /// geometry, rank-4 non-empty operands with matching channels, a bias of [out], a non-empty
    /// output. Returns the output's spatial size.
    static func checkConv(op: String, _ x: Tensor, _ w: Tensor, bias: Tensor?, _ g: Conv2dGeometry,
                          transposed: Bool) throws -> (Int, Int) {
        try g.validate(op: op, transposed: transposed)
        let (inAxis, outAxis) = transposed ? (0, 1) : (1, 0)
        guard x.rank == 4, w.rank == 4, x.shape[1] == w.shape[inAxis],
              x.shape.dropFirst().allSatisfy({ $0 > 0 }), w.shape.allSatisfy({ $0 > 0 }) else {
            throw TensorError.shapeMismatch(op: op, lhs: x.shape, rhs: w.shape)
        }
        if let bias, bias.shape != [w.shape[outAxis]] {
            throw TensorError.shapeMismatch(op: "\(op) (bias)", lhs: w.shape, rhs: bias.shape)
        }
        let input = (x.shape[2], x.shape[3]), kernel = (w.shape[2], w.shape[3])
        let out = transposed ? g.transposedOutputSize(input: input, kernel: kernel) : g.convOutputSize(input: input, kernel: kernel)
        guard out.0 > 0, out.1 > 0 else {
            throw TensorError.shapeMismatch(op: "\(op) (empty output with \(g))",
                                            lhs: x.shape, rhs: w.shape)
        }
        return out
    }

    // MARK: The recorded ops (operands already validated; map sizes explicit).

    func convolved(_ w: Tensor, bias: Tensor?, _ g: Conv2dGeometry, outputSize: (Int, Int)) throws -> Tensor {
        let x = self
        let l = ConvLayout(batch: shape[0], imageChannels: shape[1], imageHeight: shape[2], imageWidth: shape[3],
                           mapChannels: w.shape[0], mapHeight: outputSize.0, mapWidth: outputSize.1,
                           kernelHeight: w.shape[2], kernelWidth: w.shape[3], geometry: g)
        return recordConvolved(Kernels.conv2dForward(x, w, bias: bias, l), w, bias: bias, g, l)
    }

    /// Records y = conv2d(self, w) + bias, already computed.
    func recordConvolved(_ y: Tensor, _ w: Tensor, bias: Tensor?, _ g: Conv2dGeometry, _ l: ConvLayout) -> Tensor {
        let x = self
        return Tensor.record(y, op: "conv2d", inputs: [x, w] + (bias.map { [$0] } ?? [])) { gy, _, needs in
            [needs[0] ? try gy.transposeConvolved(w, bias: nil, g, outputSize: (l.imageHeight, l.imageWidth)) : nil,
             needs[1] ? x.weightGradient(gy, kernelSize: (l.kernelHeight, l.kernelWidth), g) : nil]
                + (try Tensor.convBiasGradient(gy, needs))
        }
    }

    func transposeConvolved(_ w: Tensor, bias: Tensor?, _ g: Conv2dGeometry, outputSize: (Int, Int)) throws -> Tensor {
        let x = self
        let l = ConvLayout(batch: shape[0], imageChannels: w.shape[1], imageHeight: outputSize.0, imageWidth: outputSize.1,
                           mapChannels: shape[1], mapHeight: shape[2], mapWidth: shape[3],
                           kernelHeight: w.shape[2], kernelWidth: w.shape[3], geometry: g)
        let y = Kernels.convTranspose2dForward(x, w, bias: bias, l)
        return Tensor.record(y, op: "convTranspose2d", inputs: [x, w] + (bias.map { [$0] } ?? [])) { gy, _, needs in
            if needs[0] && needs[1] && !l.isThin && !l.isDense {
                // Both gradients unfold gy the same way: once for the two (still recorded as the
                // separate ops, so they stay differentiable).
                let (dx, dw) = Kernels.convTransposeBackward(image: gy, map: x, w, l)
                return [gy.recordConvolved(dx, w, bias: nil, g, l), gy.recordWeightGradient(dw, map: x, g, l)]
                    + (try Tensor.convBiasGradient(gy, needs))
            }
            return [needs[0] ? try gy.convolved(w, bias: nil, g, outputSize: (l.mapHeight, l.mapWidth)) : nil,
                    needs[1] ? gy.weightGradient(x, kernelSize: (l.kernelHeight, l.kernelWidth), g) : nil]
                + (try Tensor.convBiasGradient(gy, needs))
        }
    }

    /// The bias entry of a conv op's backward: none when the op had no bias input.
    static func convBiasGradient(_ gy: Tensor, _ needs: [Bool]) throws -> [Tensor?] {
        needs.count > 2 ? [needs[2] ? try gy.sum(axes: [0, 2, 3]) : nil] : []
    }

    /// self is the image side [N, Ci, H, W], `map` the map side [N, Cm, Hm, Wm].
    func weightGradient(_ map: Tensor, kernelSize: (Int, Int), _ g: Conv2dGeometry) -> Tensor {
        let x = self
        let l = ConvLayout(batch: shape[0], imageChannels: shape[1], imageHeight: shape[2], imageWidth: shape[3],
                           mapChannels: map.shape[1], mapHeight: map.shape[2], mapWidth: map.shape[3],
                           kernelHeight: kernelSize.0, kernelWidth: kernelSize.1, geometry: g)
        return recordWeightGradient(Kernels.convWeightGradient(image: x, map: map, l), map: map, g, l)
    }

    /// Records dw = weightGrad(self, map), already computed.
    func recordWeightGradient(_ dw: Tensor, map: Tensor, _ g: Conv2dGeometry, _ l: ConvLayout) -> Tensor {
        let x = self
        return Tensor.record(dw, op: "convWeightGrad", inputs: [x, map]) { gw, _, needs in
            [needs[0] ? try map.transposeConvolved(gw, bias: nil, g, outputSize: (l.imageHeight, l.imageWidth)) : nil,
             needs[1] ? try x.convolved(gw, bias: nil, g, outputSize: (l.mapHeight, l.mapWidth)) : nil]
        }
    }
}
