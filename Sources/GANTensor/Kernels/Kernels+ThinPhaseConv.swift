import CKernels

/// The thin layers with DCGAN's geometry (stride 2, 4x4 kernel, padding 1; 1-3 image channels)
/// by stride phases in C, without a column matrix:
/// - convTranspose2d forward, and so conv2d's input gradient (Sources/CKernels/thin_transposed.c):
///   each of the image's 4 phases is a 2x2 correlation of the map; all phases and image channels
///   of a block of positions accumulate together on the vector lanes and are written once (no
///   small-A product into 16-48 column rows per position, no col2im summing them again).
/// - conv2d forward, and so convTranspose2d's input gradient (thin_conv.c): each sample's image is
///   split once into its 4 stride phases, which every tap then reads as contiguous vectors from
///   L1 (no im2col into a column matrix read back from L2); the same chain as the small-A
///   product, so the same bits.
/// - the weight gradient (thin_wgrad.c): the long reduction of the thin path, its column rows
///   copied chunk by chunk from each sample's phases into a buffer of one chunk (no column
///   matrix of the whole group); the same chain, so the same bits.
/// Each output is one fma chain in a fixed order (CKernels.h), so a result depends only on the
/// operands, not on the kernel level or the thread count.
extension ConvLayout {
    /// Whether conv2d and convTranspose2d forward run by the thin phase kernels: a thin layer of 1
    /// to GK_THIN_MAX_CHANNELS image channels, stride 2, a 4x4 kernel, padding 1, no dilation (any
    /// image and map sizes). Other thin layers keep im2col / col2im and the small-A product.
    var isThinPhased: Bool {
        let g = geometry
        return isThin && Kernels.thinPhasedConvolutions && imageChannels <= Int(GK_THIN_MAX_CHANNELS)
            && kernelHeight == 4 && kernelWidth == 4 && g.stride == (2, 2) && g.padding == (1, 1) && g.dilation == (1, 1)
    }

    var thinShape: gk_thin_shape {
        gk_thin_shape(channels: imageChannels, height: imageHeight, width: imageWidth, maps: mapChannels,
                      map_height: mapHeight, map_width: mapWidth)
    }
}

extension Kernels {
    /// Whether thin layers of DCGAN's geometry take the phase kernels (a switch for tests and
    /// comparisons; off, they take im2col / col2im and the small-A product).
    static var thinPhasedConvolutions = true

    /// y [N, Ci, H, W] = convTranspose2d(x [N, Cm, Hm, Wm], w [Cm, Ci, 4, 4]) + bias.
    static func thinPhasedConvTranspose2dForward(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ l: ConvLayout, into y: Tensor) {
        forEachShare(l) { s, first, count in
            gk_thin_transposed_conv(&s, count, x.data + first * l.mapChannels * l.mapArea, w.data, bias?.data,
                                    y.data + first * l.imageChannels * l.imageArea)
        }
    }

    /// y [N, Cm, Hm, Wm] = conv2d(x [N, Ci, H, W], w [Cm, Ci, 4, 4]) + bias, the phases of each
    /// worker's current sample in its scratch.
    static func thinPhasedConv2dForward(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ l: ConvLayout, into y: Tensor) {
        forEachShare(l) { s, first, count in
            let work = ScratchBuffers.current.buffer(.columns, count: gk_thin_conv_work_size(&s))
            return gk_thin_conv(&s, count, x.data + first * l.imageChannels * l.imageArea, w.data, bias?.data,
                                y.data + first * l.mapChannels * l.mapArea, work)
        }
    }

    /// dw (+)= the map (gy) against the image's columns, each group of `forEachGroup` into its
    /// worker's `sums` as `thinWeightGradient` sums it (the first group stores, later ones add).
    static func thinPhasedWeightGradient(image x: Tensor, map gy: Tensor, _ l: ConvLayout,
                                         sums: (Int) -> UnsafeMutablePointer<Float>) {
        forEachSampleGroup(l) { group in
            var s = l.thinShape
            let n0 = group.firstSample
            let work = ScratchBuffers.current.buffer(.columns, count: gk_thin_weight_gradient_work_size(&s))
            guard gk_thin_weight_gradient(&s, group.samples, x.data + n0 * l.imageChannels * l.imageArea,
                                          gy.data + n0 * l.mapChannels * l.mapArea, sums(group.worker),
                                          group.isWorkersFirst ? 0 : 1, work) == 0 else {
                fatalError("GANTensor: thin phase kernel given \(l.imageChannels) image channels")
            }
        }
    }

    /// Runs `body(shape, first, count)` for each worker's contiguous share of the batch; the C
    /// kernels return nonzero only for image channels they do not take.
    private static func forEachShare(_ l: ConvLayout, _ body: (inout gk_thin_shape, Int, Int) -> Int32) {
        let workers = l.workers
        Parallel.forWorkers(workers) { worker in
            let first = l.batch * worker / workers, end = l.batch * (worker + 1) / workers
            var s = l.thinShape
            guard body(&s, first, end - first) == 0 else {
                fatalError("GANTensor: thin phase kernel given \(l.imageChannels) image channels")
            }
        }
    }
}
