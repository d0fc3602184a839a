/// The convolution kernels of thin layers (DCGAN's 1- and 3-channel edge layers): the column
/// matrix has at most 64 rows and the weight fits in L1, so every product has one short and one
/// long side. OpenBLAS spends most of such a product packing the long operand; the kernels of
/// `ThinKernels` stream it instead, and read or write the map side straight in NCHW (no
/// `samplesToColumns` / `columnsToSamples` copy). The unfolding, the grouping of the batch and
/// the per-worker split are those of the im2col + gemm path (`forEachGroup`).
extension ConvLayout {
    /// At most 64 column rows (Ci*kh*kw) and a weight of at most 8192 floats (32 KB, one L1).
    var isThin: Bool { Kernels.thinConvolutions && isThinShaped }

    /// The shape test of `isThin`, whether or not thin kernels are switched on.
    var isThinShaped: Bool { !isDense && columnRows <= 64 && columnRows * mapChannels <= 8192 }
}

extension Kernels {
    /// Whether thin layers use `ThinKernels` (a switch for tests and `gan bench` comparisons;
    /// off, they take the im2col + gemm path like every other layer).
    static var thinConvolutions = true

    /// Largest column matrix (floats) one worker unfolds at once on a thin layer: 512 KB, so the
    /// columns im2col writes are still in L2 when the product reads them.
    static var thinColumnBudget = 1 << 17

    /// conv2d: per sample, map [Cm, mapArea] = W [Cm, Ci*kh*kw] * its columns (+ bias).
    /// DCGAN's geometry takes the phase kernel instead (`ConvLayout.isThinPhased`).
    static func thinConv2dForward(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ l: ConvLayout, into y: Tensor) {
        if l.isThinPhased { return thinPhasedConv2dForward(x, w, bias: bias, l, into: y) }
        let mapSize = l.mapChannels * l.mapArea
        forEachGroup(l) { group, cols, _ in
            let n0 = group.firstSample, g = group.samples
            im2col(x.data + n0 * l.imageChannels * l.imageArea, samples: g, l, into: cols)
            ThinKernels.smallAProduct(transA: false, m: l.mapChannels, n: l.mapArea, k: l.columnRows, a: w.data,
                                      lda: l.columnRows, batch: g, b: cols, ldb: g * l.mapArea, bStride: l.mapArea,
                                      c: y.data + n0 * mapSize, ldc: l.mapArea, cStride: mapSize, bias: bias?.data)
        }
    }

    /// convTranspose2d: per sample, columns = W^T * map [Cm, mapArea], folded by col2im.
    /// DCGAN's geometry takes the phase kernel instead (`ConvLayout.isThinPhased`).
    static func thinConvTranspose2dForward(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ l: ConvLayout, into y: Tensor) {
        if l.isThinPhased { return thinPhasedConvTranspose2dForward(x, w, bias: bias, l, into: y) }
        let mapSize = l.mapChannels * l.mapArea
        forEachGroup(l) { group, cols, _ in
            let n0 = group.firstSample, g = group.samples
            ThinKernels.smallAProduct(transA: true, m: l.columnRows, n: l.mapArea, k: l.mapChannels, a: w.data,
                                      lda: l.columnRows, batch: g, b: x.data + n0 * mapSize, ldb: l.mapArea,
                                      bStride: mapSize, c: cols, ldc: g * l.mapArea, cStride: l.mapArea, bias: nil)
            col2im(cols, samples: g, l, into: y.data + n0 * l.imageChannels * l.imageArea, bias: bias?.data)
        }
    }

    /// Weight gradient: each worker sums map rows against column rows over its samples into
    /// `sums(worker)`, its first group storing and later ones adding (the caller adds the
    /// workers' sums in order, as on the gemm path).
    /// DCGAN's geometry takes the phase kernel instead (`ConvLayout.isThinPhased`).
    static func thinWeightGradient(image x: Tensor, map gy: Tensor, _ l: ConvLayout,
                                   sums: (Int) -> UnsafeMutablePointer<Float>) {
        if l.isThinPhased { return thinPhasedWeightGradient(image: x, map: gy, l, sums: sums) }
        let mapSize = l.mapChannels * l.mapArea
        forEachGroup(l) { group, cols, _ in
            let n0 = group.firstSample, g = group.samples
            im2col(x.data + n0 * l.imageChannels * l.imageArea, samples: g, l, into: cols)
            ThinKernels.longReductionProduct(m: l.mapChannels, n: l.columnRows, segments: g, length: l.mapArea,
                                             a: gy.data + n0 * mapSize, lda: l.mapArea, aStride: mapSize,
                                             b: cols, ldb: g * l.mapArea, bStride: l.mapArea,
                                             c: sums(group.worker), ldc: l.columnRows, accumulate: !group.isWorkersFirst)
        }
    }
}
