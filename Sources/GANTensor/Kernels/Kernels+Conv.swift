/// The three gemm-driving convolution kernels. With the image side unfolded by im2col into
/// columns X [Ci*kh*kw, n*mapArea] and the weight viewed as W [Cm, Ci*kh*kw]:
///   conv2d forward            map   = W X            (then the map is laid out as NCHW)
///   convTranspose2d forward   image = col2im(W^T map)
///   weight gradient           dW    = map X^T
/// The batch is processed in groups of samples (`ConvLayout.samplesPerGroup`). When a sample's
/// map is large, one gemm per sample reads and writes the NCHW tensors in place (the column matrix
/// is addressed with a leading dimension spanning the group); when it is small (deep layers with
/// 4x4 or 8x8 maps), one wide gemm over the whole group plus a transpose is much faster.
extension Kernels {
    /// Minimum map positions per sample for the per-sample gemm path (forward passes).
    static var perSampleMinArea = 256
    /// Largest column matrix (floats) unfolded at once; the batch is split into groups below it.
    static var convColumnBudget = 1 << 22

    /// y [N, Cm, Hm, Wm] = conv2d(x [N, Ci, H, W], w [Cm, Ci, kh, kw]) + bias.
    static func conv2dForward(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ l: ConvLayout) -> Tensor {
        let y = Tensor(uninitialized: [l.batch, l.mapChannels, l.mapHeight, l.mapWidth])
        let k = l.columnRows, area = l.mapArea, m = l.mapChannels
        let group = l.samplesPerGroup
        let scratch = ScratchBuffers.current
        let cols = scratch.buffer(.columns, count: k * group * area)
        for n0 in stride(from: 0, to: l.batch, by: group) {
            let g = Swift.min(group, l.batch - n0), ld = g * area
            let out = y.data + n0 * m * area
            im2col(x.data + n0 * l.imageChannels * l.imageArea, samples: g, l, into: cols)
            if area >= perSampleMinArea {
                for s in 0..<g {
                    gemm(transA: false, transB: false, m: m, n: area, k: k, a: w.data, lda: k,
                         b: cols + s * area, ldb: ld, c: out + s * m * area, ldc: area)
                }
                if let bias { addChannelBias(out, samples: g, channels: m, area: area, bias: bias.data) }
            } else {
                let wide = scratch.buffer(.transposed, count: m * ld)
                gemm(transA: false, transB: false, m: m, n: ld, k: k, a: w.data, lda: k, b: cols, ldb: ld, c: wide, ldc: ld)
                columnsToSamples(wide, samples: g, channels: m, area: area, into: out, bias: bias?.data)
            }
        }
        return y
    }

    /// y [N, Ci, H, W] = convTranspose2d(x [N, Cm, Hm, Wm], w [Cm, Ci, kh, kw]) + bias: the columns
    /// W^T x folded back by col2im (bias fused into col2im's initialisation).
    static func convTranspose2dForward(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ l: ConvLayout) -> Tensor {
        let y = Tensor(uninitialized: [l.batch, l.imageChannels, l.imageHeight, l.imageWidth])
        let k = l.columnRows, area = l.mapArea, m = l.mapChannels
        let group = l.samplesPerGroup
        let scratch = ScratchBuffers.current
        let cols = scratch.buffer(.columns, count: k * group * area)
        for n0 in stride(from: 0, to: l.batch, by: group) {
            let g = Swift.min(group, l.batch - n0), ld = g * area
            let input = x.data + n0 * m * area
            if area >= perSampleMinArea {
                for s in 0..<g {
                    gemm(transA: true, transB: false, m: k, n: area, k: m, a: w.data, lda: k,
                         b: input + s * m * area, ldb: area, c: cols + s * area, ldc: ld)
                }
            } else {
                let wide = scratch.buffer(.transposed, count: m * ld)
                samplesToColumns(input, samples: g, channels: m, area: area, into: wide)
                gemm(transA: true, transB: false, m: k, n: ld, k: m, a: w.data, lda: k, b: wide, ldb: ld, c: cols, ldc: ld)
            }
            col2im(cols, samples: g, l, into: y.data + n0 * l.imageChannels * l.imageArea, bias: bias?.data)
        }
        return y
    }

    /// dw [Cm, Ci, kh, kw] = sum over the batch of map (gy [N, Cm, Hm, Wm]) times the unfolded
    /// image (x [N, Ci, H, W]) transposed. Groups accumulate in order (deterministic).
    static func convWeightGradient(image x: Tensor, map gy: Tensor, _ l: ConvLayout) -> Tensor {
        let dw = Tensor(zeros: [l.mapChannels, l.imageChannels, l.kernelHeight, l.kernelWidth])
        let k = l.columnRows, area = l.mapArea, m = l.mapChannels
        let group = l.samplesPerGroup
        let scratch = ScratchBuffers.current
        let cols = scratch.buffer(.columns, count: k * group * area)
        for n0 in stride(from: 0, to: l.batch, by: group) {
            let g = Swift.min(group, l.batch - n0), ld = g * area
            im2col(x.data + n0 * l.imageChannels * l.imageArea, samples: g, l, into: cols)
            // One gemm whose inner dimension spans the whole group: better blocking than one
            // accumulation per sample, for the price of a transpose of the (small) map.
            let wide = scratch.buffer(.transposed, count: m * ld)
            samplesToColumns(gy.data + n0 * m * area, samples: g, channels: m, area: area, into: wide)
            gemm(transA: false, transB: true, m: m, n: k, k: ld, a: wide, lda: ld, b: cols, ldb: ld,
                 beta: 1, c: dw.data, ldc: k)
        }
        return dw
    }
}
