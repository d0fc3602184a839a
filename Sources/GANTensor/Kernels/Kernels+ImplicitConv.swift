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

    /// Whether conv2d forward on the implicit GEMM puts the samples on the vector lanes
    /// (gk_conv_forward_lanes): by default where the NCHW form gathers every panel row and the
    /// gathers weigh most, i.e. map rows under 8 wide (no run of 8 columns in one row) read with
    /// a stride above 1 (no runs of consecutive floats either), and at most 128 maps (each
    /// gathered row feeds maps / 8 tiles). Measured (C driver, 3 Dec, loaded machine, same run):
    /// DCGAN-28's D.conv2 (64 -> 128 maps, 14x14 -> 7x7) 1.11-1.15x faster; level on G.convT1's
    /// backward (128 -> 256, 14x14 -> 7x7); 4-8% slower on DCGAN-64's 8x8 -> 4x4 (256 -> 512)
    /// and up to 10% on the stride-1 phases from 7x7 maps. Same bits either way.
    var hasSamplesOnLanes: Bool {
        Kernels.samplesOnLanes ?? (mapWidth < 8 && geometry.stride.1 > 1 && mapChannels <= 128)
    }

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

    /// nil: the forward puts the samples on the lanes where `ConvLayout.hasSamplesOnLanes` says;
    /// true or false force it on or off for every implicit layer (tests, bench comparisons).
    static var samplesOnLanes: Bool? = nil

    /// y = conv2d(x, w) + bias on the implicit GEMM.
    static func implicitConv2dForward(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ l: ConvLayout, into y: Tensor) {
        var shape = l.implicitShape
        let packed = ScratchBuffers.current.buffer(.packedWeight, count: gk_conv_packed_size(&shape))
        gk_conv_pack_weight(&shape, w.data, packed)
        let workers = l.workers, imageSize = l.imageChannels * l.imageArea, mapSize = l.mapChannels * l.mapArea
        Parallel.forWorkers(workers) { worker in
            let first = l.batch * worker / workers, end = l.batch * (worker + 1) / workers
            implicitForward(l, samples: end - first, image: x.data + first * imageSize, packed: packed, bias: bias,
                            into: y.data + first * mapSize)
        }
    }

    /// `samples` samples from `image` through the implicit conv2d forward of layout `l` (its
    /// weight already packed), on the calling thread with its scratch.
    static func implicitForward(_ l: ConvLayout, samples: Int, image: UnsafePointer<Float>, packed: UnsafePointer<Float>,
                                bias: Tensor?, into map: UnsafeMutablePointer<Float>) {
        var s = l.implicitShape
        let lanes = l.hasSamplesOnLanes
        let work = ScratchBuffers.current.buffer(.columns, count: lanes ? gk_conv_lanes_work_size(&s, samples)
                                                                        : gk_conv_work_size(&s))
        let run = lanes ? gk_conv_forward_lanes : gk_conv_forward
        guard run(&s, samples, image, packed, bias?.data, map, work) == 0 else {
            fatalError("GANTensor: implicit convolution given a \(l.kernelHeight)x\(l.kernelWidth) kernel")
        }
    }

    /// dw [Cm, Ci, kh, kw] = the map gy [N, Cm, Hm, Wm] times the unfolded image x [N, Ci, H, W]
    /// transposed, on the implicit GEMM: each worker computes a contiguous range of dw's column
    /// rows (whole 32-row panels) over the whole batch.
    static func implicitWeightGradient(image x: Tensor, map gy: Tensor, _ l: ConvLayout, into dw: Tensor) {
        let shape = l.implicitShape, panels = (l.columnRows + 31) / 32
        let workers = Swift.max(1, Swift.min(BLASInfo.threads, panels))
        Parallel.forWorkers(workers) { worker in
            let first = panels * worker / workers * 32, end = Swift.min(l.columnRows, panels * (worker + 1) / workers * 32)
            guard end > first else { return }
            var s = shape
            let work = ScratchBuffers.current.buffer(.columns, count: gk_conv_weight_gradient_work_size(&s, end - first))
            guard gk_conv_weight_gradient(&s, l.batch, x.data, gy.data, first, end - first, dw.data, work) == 0 else {
                fatalError("GANTensor: implicit convolution given a \(l.kernelHeight)x\(l.kernelWidth) kernel")
            }
        }
    }
}
