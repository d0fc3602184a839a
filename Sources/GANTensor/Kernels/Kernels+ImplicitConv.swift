import CKernels

/// conv2d forward and weight gradient of the wide layers as implicit GEMMs (Sources/CKernels/
/// implicit_conv.c, implicit_wgrad.c): the columns are gathered from the NCHW image panel by panel
/// into a buffer that stays in cache, so there is no column matrix, no OpenBLAS packing of it and
/// no transpose of the map. Forward cuts the batch into one contiguous share per worker (the
/// weight packed once per call); the weight gradient cuts the weight's column rows instead, so
/// each sum runs over the whole batch. Every output is one fma chain in a fixed order
/// (CKernels.h), so the result is the same on every thread count and every kernel level; it
/// differs from the gemm path's only by rounding.
extension ConvLayout {
    /// Whether conv2d forward and the weight gradient take the implicit GEMMs: a layer neither
    /// thin-shaped nor dense, with kernel sides within GK_CONV_MAX_KERNEL, when
    /// `Kernels.implicitConvolutions` allows it.
    var isImplicit: Bool {
        guard !isThinShaped, !isDense, kernelHeight <= Int(GK_CONV_MAX_KERNEL), kernelWidth <= Int(GK_CONV_MAX_KERNEL) else {
            return false
        }
        return Kernels.implicitConvolutionsInForce
    }

    /// Whether the implicit GEMMs take their small-map forms (map rows narrower than
    /// `Kernels.smallMapWidth`): forward with the samples on the vector lanes, the weight gradient
    /// from a channels-last image. There no run of 8 columns lies in one map row, so the NCHW
    /// forms gather every panel row; the small-map forms read them with masked loads instead.
    /// Same bits either way (the chains do not change).
    var hasSmallMap: Bool { mapWidth < Kernels.smallMapWidth }

    var implicitShape: gk_conv_shape {
        let g = geometry
        return gk_conv_shape(channels: imageChannels, height: imageHeight, width: imageWidth, maps: mapChannels,
                             map_height: mapHeight, map_width: mapWidth, kernel_height: kernelHeight,
                             kernel_width: kernelWidth, stride_h: g.stride.0, stride_w: g.stride.1,
                             pad_h: g.padding.0, pad_w: g.padding.1, dilation_h: g.dilation.0, dilation_w: g.dilation.1)
    }
}

extension Kernels {
    /// nil: the implicit GEMMs where they were measured against im2col + OpenBLAS, i.e. on the
    /// AVX-512 level (`gan bench --model kernels`, 3 Dec, the same run: DCGAN-64 D.conv2 / D.conv3
    /// forward 1.32x / 1.36x faster, G.convT3 / G.convT4 backward 1.25x / 1.42x, no wide layer
    /// more than 5% slower); the AVX2 and scalar versions, not timed against OpenBLAS, serve the
    /// tests and bit-identical results across CPUs. true or false force them on or off for every
    /// wide layer (tests, bench comparisons).
    static var implicitConvolutions: Bool? = nil

    /// Whether the wide layers take the implicit GEMMs: `implicitConvolutions`, or by default on
    /// the AVX-512 level.
    static var implicitConvolutionsInForce: Bool { implicitConvolutions ?? (ThinKernels.level == .avx512) }

    /// What the wide layers run on, for logs: the implicit GEMMs' kernel version, or the fallback.
    public static var wideLayerKernels: String {
        implicitConvolutionsInForce ? "implicit GEMM \(ThinKernels.level)" : "im2col + OpenBLAS"
    }

    /// Map rows narrower than this take the implicit GEMMs' small-map forms
    /// (`ConvLayout.hasSmallMap`); a variable so the tests can force either form on any shape.
    /// Measured (C driver on DCGAN-28's D.conv2, 64 -> 128 channels, 14x14 -> 7x7, 3 Dec): weight
    /// gradient 1.2x faster on 2 threads; forward 1.07x on 1 thread, level on 2.
    static var smallMapWidth = 8

    /// y = conv2d(x, w) + bias on the implicit GEMM.
    static func implicitConv2dForward(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ l: ConvLayout, into y: Tensor) {
        implicitConv2dForward(x, w.data, bias: bias, l, into: y.data)
    }

    /// The same on raw buffers: w [Cm, Ci*kh*kw], y [N, Cm, Hm, Wm].
    static func implicitConv2dForward(_ x: Tensor, _ w: UnsafePointer<Float>, bias: Tensor?, _ l: ConvLayout,
                                      into y: UnsafeMutablePointer<Float>) {
        var shape = l.implicitShape
        let packed = ScratchBuffers.current.buffer(.packedWeight, count: gk_conv_packed_size(&shape))
        gk_conv_pack_weight(&shape, w, packed)
        let workers = l.workers, imageSize = l.imageChannels * l.imageArea, mapSize = l.mapChannels * l.mapArea
        Parallel.forWorkers(workers) { worker in
            let first = l.batch * worker / workers, end = l.batch * (worker + 1) / workers
            var s = shape
            let small = l.hasSmallMap
            let work = ScratchBuffers.current.buffer(.columns, count: small ? gk_conv_lanes_work_size(&s, end - first)
                                                                            : gk_conv_work_size(&s))
            let run = small ? gk_conv_forward_lanes : gk_conv_forward
            guard run(&s, end - first, x.data + first * imageSize, packed, bias?.data, y + first * mapSize, work) == 0 else {
                fatalError("GANTensor: implicit convolution given a \(l.kernelHeight)x\(l.kernelWidth) kernel")
            }
        }
    }

    /// dw [Cm, Ci, kh, kw] = the map gy [N, Cm, Hm, Wm] times the unfolded image x [N, Ci, H, W]
    /// transposed, on the implicit GEMM: each worker computes a contiguous range of dw's column
    /// rows (whole 32-row panels) over the whole batch. On a small map the image is first laid
    /// out channels-last (in parallel over the samples) and the rows counted in its order.
    static func implicitWeightGradient(image x: Tensor, map gy: Tensor, _ l: ConvLayout, into dw: Tensor) {
        let shape = l.implicitShape, panels = (l.columnRows + 31) / 32
        let workers = Swift.max(1, Swift.min(BLASInfo.threads, panels))
        var image = UnsafePointer(x.data), run = gk_conv_weight_gradient
        if l.hasSmallMap {
            let last = ScratchBuffers.current.buffer(.transposed, count: x.count), size = l.imageChannels * l.imageArea
            Parallel.forChunks(l.batch, grain: Swift.max(1, Parallel.grain / Swift.max(1, size))) { s, e in
                var sh = shape
                gk_conv_channels_last(&sh, e - s, x.data + s * size, last + s * size)
            }
            (image, run) = (UnsafePointer(last), gk_conv_weight_gradient_channels_last)
        }
        Parallel.forWorkers(workers) { worker in
            let first = panels * worker / workers * 32, end = Swift.min(l.columnRows, panels * (worker + 1) / workers * 32)
            guard end > first else { return }
            var s = shape
            let work = ScratchBuffers.current.buffer(.columns, count: gk_conv_weight_gradient_work_size(&s, end - first))
            guard run(&s, l.batch, image, gy.data, first, end - first, dw.data, work) == 0 else {
                fatalError("GANTensor: implicit convolution given a \(l.kernelHeight)x\(l.kernelWidth) kernel")
            }
        }
    }
}
