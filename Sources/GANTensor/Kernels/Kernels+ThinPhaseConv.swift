import CKernels

/// convTranspose2d forward of a thin layer with DCGAN's geometry (stride 2, 4x4 kernel, padding 1),
/// and so conv2d's input gradient of such a layer, by output phases in one C kernel
/// (Sources/CKernels/thin_transposed.c): each of the 4 phases of the image is a 2x2 correlation of
/// the map, all phases and image channels of a block of positions are accumulated together on the
/// vector lanes and written once. No column matrix and no col2im: on the thin path those were the
/// small-A product's 16-48 outputs per position, summed again into the image. Each output is one
/// fma chain in a fixed order (CKernels.h), so the result depends only on the operands, not on the
/// kernel level or the thread count; it differs from the column path's only by rounding.
extension ConvLayout {
    /// Whether convTranspose2d forward runs by the thin phase kernel: a thin layer of 1 to
    /// GK_THIN_MAX_CHANNELS image channels, stride 2, a 4x4 kernel, padding 1, no dilation (any
    /// image and map sizes). Other thin layers keep the small-A product and col2im.
    var isThinPhased: Bool {
        let g = geometry
        return isThin && Kernels.thinPhasedConvolutions && imageChannels <= Int(GK_THIN_MAX_CHANNELS)
            && kernelHeight == 4 && kernelWidth == 4 && g.stride == (2, 2) && g.padding == (1, 1) && g.dilation == (1, 1)
    }
}

extension Kernels {
    /// Whether thin layers of DCGAN's geometry take the phase kernel (a switch for tests and
    /// comparisons; off, they take the small-A product and col2im).
    static var thinPhasedConvolutions = true

    /// y [N, Ci, H, W] = convTranspose2d(x [N, Cm, Hm, Wm], w [Cm, Ci, 4, 4]) + bias, each worker
    /// taking a contiguous share of the batch.
    static func thinPhasedConvTranspose2dForward(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ l: ConvLayout, into y: Tensor) {
        let shape = gk_thin_shape(channels: l.imageChannels, height: l.imageHeight, width: l.imageWidth,
                                  maps: l.mapChannels, map_height: l.mapHeight, map_width: l.mapWidth)
        let workers = l.workers, imageSize = l.imageChannels * l.imageArea, mapSize = l.mapChannels * l.mapArea
        Parallel.forWorkers(workers) { worker in
            let first = l.batch * worker / workers, end = l.batch * (worker + 1) / workers
            var s = shape
            guard gk_thin_transposed_conv(&s, end - first, x.data + first * mapSize, w.data, bias?.data,
                                          y.data + first * imageSize) == 0 else {
                fatalError("GANTensor: thin phase kernel given \(l.imageChannels) image channels")
            }
        }
    }
}
