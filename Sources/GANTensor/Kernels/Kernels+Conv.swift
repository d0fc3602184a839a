/// The three gemm-driving convolution kernels. With the image side unfolded by im2col into
/// columns X [Ci*kh*kw, n*mapArea] and the weight viewed as W [Cm, Ci*kh*kw]:
///   conv2d forward            map   = W X            (then laid out as NCHW)
///   convTranspose2d forward   image = col2im(W^T map)
///   weight gradient           dW    = map X^T
/// The batch is processed in groups of samples (`ConvLayout.samplesPerGroup`), each group as one
/// wide gemm with the map side transposed to [Cm, n*mapArea]. Measured on the DCGAN shapes this
/// beats one gemm per sample straight on the NCHW tensors by 1.5-3x even on 32x32 maps: the
/// transpose is cheap next to the better blocking of a wide product.
/// The batch is first cut into one contiguous share per thread (`ConvLayout.workers`); each
/// thread unfolds, multiplies and folds its own samples with its own buffers, so the columns
/// stay in that core's cache and there is no hand-off between the steps. The weight gradient
/// sums each share into its own buffer and adds the shares in order at the end, so the result
/// depends only on the shapes and the thread count.
/// A layer whose kernel covers the whole unpadded image at a single map position (DCGAN's first
/// generator layer, 1x1 -> 4x4, and last critic layer) is a fully connected layer: its column
/// matrix is the image itself, so it skips im2col/col2im and runs as one plain gemm.
/// Thin layers (`ConvLayout.isThin`) run their products through `ThinKernels` instead of gemm;
/// conv2d forward and the weight gradient of the other layers run as implicit GEMMs where that
/// is faster (`ConvLayout.isImplicit`), and so does convTranspose2d forward with a stride that
/// divides the kernel, phase by phase (`ConvLayout.isPhased`).
extension Kernels {
    /// Largest column matrix or transposed map (floats) one worker holds at once; its share of
    /// the batch is split into groups below it. 8 MB each keeps both workers' columns inside a
    /// 32 MB L3 (measured against 4 and 16 MB: within noise on the mid layers, 4 MB slightly
    /// better on the thin edge layers, 16 MB on the wide ones).
    static var convColumnBudget = 1 << 21

    /// y [N, Cm, Hm, Wm] = conv2d(x [N, Ci, H, W], w [Cm, Ci, kh, kw]) + bias.
    static func conv2dForward(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ l: ConvLayout) -> Tensor {
        let y = Tensor(uninitialized: [l.batch, l.mapChannels, l.mapHeight, l.mapWidth])
        if l.isDense {
            denseForward(x, w, transposeWeight: true, bias: bias, into: y)
            return y
        }
        if l.isThin {
            thinConv2dForward(x, w, bias: bias, l, into: y)
            return y
        }
        if l.isImplicit {
            implicitConv2dForward(x, w, bias: bias, l, into: y)
            return y
        }
        forEachGroup(l) { group, cols, wide in
            im2col(x.data + group.firstSample * l.imageChannels * l.imageArea, samples: group.samples, l, into: cols)
            mapFromColumns(cols, w, bias: bias, l, group, wide: wide, into: y)
        }
        return y
    }

    /// One group's conv2d output from its unfolded image: map = W cols, laid out as NCHW in `y`.
    private static func mapFromColumns(_ cols: UnsafeMutablePointer<Float>, _ w: Tensor, bias: Tensor?, _ l: ConvLayout,
                                       _ group: ConvGroup, wide: UnsafeMutablePointer<Float>, into y: Tensor) {
        let ld = group.samples * l.mapArea
        gemm(transA: false, transB: false, m: l.mapChannels, n: ld, k: l.columnRows, a: w.data, lda: l.columnRows,
             b: cols, ldb: ld, c: wide, ldc: ld)
        columnsToSamples(wide, samples: group.samples, channels: l.mapChannels, area: l.mapArea,
                         into: y.data + group.firstSample * l.mapChannels * l.mapArea, bias: bias?.data)
    }

    /// y [N, Ci, H, W] = convTranspose2d(x [N, Cm, Hm, Wm], w [Cm, Ci, kh, kw]) + bias: the columns
    /// W^T x folded back by col2im (bias fused into col2im's initialisation).
    static func convTranspose2dForward(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ l: ConvLayout) -> Tensor {
        let y = Tensor(uninitialized: [l.batch, l.imageChannels, l.imageHeight, l.imageWidth])
        if l.isDense {
            denseForward(x, w, transposeWeight: false, bias: bias, into: y)
            return y
        }
        if l.isThin {
            thinConvTranspose2dForward(x, w, bias: bias, l, into: y)
            return y
        }
        if l.isPhased {
            phasedConvTranspose2dForward(x, w, bias: bias, l, into: y)
            return y
        }
        forEachGroup(l) { group, cols, wide in
            let n0 = group.firstSample, g = group.samples, ld = g * l.mapArea
            samplesToColumns(x.data + n0 * l.mapChannels * l.mapArea, samples: g, channels: l.mapChannels,
                             area: l.mapArea, into: wide)
            gemm(transA: true, transB: false, m: l.columnRows, n: ld, k: l.mapChannels, a: w.data, lda: l.columnRows,
                 b: wide, ldb: ld, c: cols, ldc: ld)
            col2im(cols, samples: g, l, into: y.data + n0 * l.imageChannels * l.imageArea, bias: bias?.data)
        }
        return y
    }

    /// dw [Cm, Ci, kh, kw] = sum over the batch of the map (gy [N, Cm, Hm, Wm]) times the unfolded
    /// image (x [N, Ci, H, W]) transposed. Each worker's first group writes its sum (beta 0, so
    /// nothing is zero-filled), later groups accumulate in order, and the workers' sums are added
    /// in order (`summingWorkers`).
    static func convWeightGradient(image x: Tensor, map gy: Tensor, _ l: ConvLayout) -> Tensor {
        let dw = Tensor(uninitialized: [l.mapChannels, l.imageChannels, l.kernelHeight, l.kernelWidth])
        if l.isDense {
            gemm(transA: true, transB: false, m: l.mapChannels, n: l.columnRows, k: l.batch, a: gy.data, lda: l.mapChannels,
                 b: x.data, ldb: l.columnRows, c: dw.data, ldc: l.columnRows)
            return dw
        }
        if l.isImplicit {
            implicitWeightGradient(image: x, map: gy, l, into: dw)
            return dw
        }
        summingWorkers(l, into: dw) { sums in
            if l.isThin {
                thinWeightGradient(image: x, map: gy, l, sums: sums)
            } else {
                forEachGroup(l) { group, cols, wide in
                    im2col(x.data + group.firstSample * l.imageChannels * l.imageArea, samples: group.samples, l, into: cols)
                    addWeightGradient(cols, map: gy, l, group, wide: wide, into: sums(group.worker))
                }
            }
        }
        return dw
    }

    /// convTranspose2d's input gradient conv2d(gy, w) and weight gradient weightGrad(gy, x) at
    /// once, on the gemm path (not thin or dense layers): both products read the columns of gy,
    /// so each group is unfolded once instead of twice (im2col was 9% of a DCGAN-28 step, this
    /// pair a fifth of it). Every product is the separate ops' own, so results are bit for bit
    /// theirs.
    /// On an implicit layer (`ConvLayout.isImplicit`) there are no columns to share: the two
    /// products are the implicit GEMMs of `conv2dForward` and `convWeightGradient`.
    static func convTransposeBackward(image gy: Tensor, map x: Tensor, _ w: Tensor, _ l: ConvLayout) -> (dx: Tensor, dw: Tensor) {
        let dx = Tensor(uninitialized: [l.batch, l.mapChannels, l.mapHeight, l.mapWidth])
        let dw = Tensor(uninitialized: [l.mapChannels, l.imageChannels, l.kernelHeight, l.kernelWidth])
        if l.isImplicit {
            implicitConv2dForward(gy, w, bias: nil, l, into: dx)
            implicitWeightGradient(image: gy, map: x, l, into: dw)
            return (dx, dw)
        }
        summingWorkers(l, into: dw) { sums in
            forEachGroup(l) { group, cols, wide in
                im2col(gy.data + group.firstSample * l.imageChannels * l.imageArea, samples: group.samples, l, into: cols)
                addWeightGradient(cols, map: x, l, group, wide: wide, into: sums(group.worker))
                mapFromColumns(cols, w, bias: nil, l, group, wide: wide, into: dx)
            }
        }
        return (dx, dw)
    }

    /// One group's share of the weight gradient: sum (+)= map cols^T, the map laid side by side in
    /// `wide`; the worker's first group stores (beta 0, so nothing is zero-filled), later ones add.
    private static func addWeightGradient(_ cols: UnsafeMutablePointer<Float>, map gy: Tensor, _ l: ConvLayout,
                                          _ group: ConvGroup, wide: UnsafeMutablePointer<Float>,
                                          into sum: UnsafeMutablePointer<Float>) {
        let ld = group.samples * l.mapArea
        samplesToColumns(gy.data + group.firstSample * l.mapChannels * l.mapArea, samples: group.samples,
                         channels: l.mapChannels, area: l.mapArea, into: wide)
        gemm(transA: false, transB: true, m: l.mapChannels, n: l.columnRows, k: ld, a: wide, lda: ld,
             b: cols, ldb: ld, beta: group.isWorkersFirst ? 0 : 1, c: sum, ldc: l.columnRows)
    }

    /// Runs `body(sums)` where worker 0 sums into `dw` and worker w > 0 into a partial buffer,
    /// then adds the partials to `dw` in worker order: deterministic for a given thread count.
    private static func summingWorkers(_ l: ConvLayout, into dw: Tensor, _ body: ((Int) -> UnsafeMutablePointer<Float>) -> Void) {
        let workers = l.workers, size = dw.count
        let partials = workers > 1 ? Tensor(uninitialized: [workers - 1, size]) : nil
        body { worker in worker == 0 ? dw.data : partials!.data + (worker - 1) * size }
        if let partials {
            let d = dw.data, p = partials.data
            Parallel.forChunks(size) { s, e in
                for w in 0..<(workers - 1) {
                    for i in s..<e { d[i] += p[w * size + i] }
                }
            }
        }
    }

    /// A fully connected layer on the flattened tensors: y [N, *] = x [N, *] op(w) + bias per
    /// channel (dimension 1 of y), w being [Cm, Ci*kh*kw] (conv: op = transpose) or used as is.
    private static func denseForward(_ x: Tensor, _ w: Tensor, transposeWeight: Bool, bias: Tensor?, into y: Tensor) {
        let batch = y.shape[0]
        guard batch > 0 else { return }
        let inner = x.count / batch, outer = y.count / batch
        if !transposeWeight && isSmallA(m: batch, k: inner) {
            smallAByColumns(m: batch, n: outer, k: inner, a: x.data, lda: inner, b: w.data, ldb: outer, c: y.data, ldc: outer)
            if let bias { addChannels(y.data, samples: batch, channels: y.shape[1], area: y.shape[2] * y.shape[3], bias: bias.data) }
            return
        }
        fillChannels(y.data, samples: batch, channels: y.shape[1], area: y.shape[2] * y.shape[3], bias: bias?.data)
        if transposeWeight && isLongReduction(inner: inner, outer: outer) {
            denseLongReduction(x, w, batch: batch, inner: inner, outer: outer, into: y)
            return
        }
        gemm(transA: false, transB: transposeWeight, m: batch, n: outer, k: inner, a: x.data, lda: inner,
             b: w.data, ldb: w.shape[1] * w.shape[2] * w.shape[3], beta: 1, c: y.data, ldc: outer)
    }

    /// Whether a dense transposed convolution's forward y = x w runs on the small-A kernel: x of at
    /// most 8192 floats (32 KB, one L1), as DCGAN-64's G.convT1 (64 samples x 100 latents). On two
    /// threads (C driver against cblas_sgemm, median of 300 calls, 3 Dec 17:14 UTC) 64x100 *
    /// 100x8192 took 0.59-0.62 ms against OpenBLAS's 0.70-0.73; in `gan bench` (interleaved, 3
    /// rounds each, 17:18 UTC) 0.557-0.565 ms against 0.668-0.693. Its weight gradient, (100x64)
    /// transposed * 64x8192, stays on OpenBLAS: 0.734-0.782 ms on small-A against 0.686-0.905.
    static func isSmallA(m: Int, k: Int) -> Bool { m * k <= 8192 }

    /// C [m, n] = A [m, k] B [k, n] by the small-A kernel, the columns split over the threads in
    /// stretches of whole 16-column vectors: each output is one chain over k (CKernels.h), so the
    /// bits depend on neither the level nor the thread count (OpenBLAS's do).
    private static func smallAByColumns(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                        b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let workers = Swift.max(1, Swift.min(BLASInfo.threads, n / 256))
        Parallel.forWorkers(workers) { worker in
            let first = n * worker / workers / 16 * 16, end = worker + 1 == workers ? n : n * (worker + 1) / workers / 16 * 16
            guard end > first else { return }
            ThinKernels.smallAProduct(transA: false, m: m, n: end - first, k: k, a: a, lda: lda, batch: 1, b: b + first,
                                      ldb: ldb, bStride: 0, c: c + first, ldc: ldc, cStride: 0, bias: nil)
        }
    }

    /// Few outputs per sample over a long reduction (DCGAN-64's G.convT1 input gradient: 100 outputs,
    /// each a sum over 8192 = 512x4x4 products): OpenBLAS runs such a product single-threaded at
    /// 67 GFLOP/s and the gemm's split into column stripes leaves one thread two thirds of it; the
    /// long-reduction kernel measured 75-88 GFLOP/s a thread on 16-256 outputs (C driver against
    /// cblas_sgemm, one thread, m = 32, k 1024-8192).
    static func isLongReduction(inner: Int, outer: Int) -> Bool { inner >= 1024 && outer >= 2 && outer <= 256 }

    /// y (+)= x w^T with the samples split over the workers, each output one chain of the long-
    /// reduction kernel (CKernels.h) added to y's bias: the same bits for any thread count.
    private static func denseLongReduction(_ x: Tensor, _ w: Tensor, batch: Int, inner: Int, outer: Int, into y: Tensor) {
        let workers = Swift.max(1, Swift.min(BLASInfo.threads, batch))
        Parallel.forWorkers(workers) { worker in
            let first = batch * worker / workers, end = batch * (worker + 1) / workers
            guard end > first else { return }
            ThinKernels.longReductionProduct(m: end - first, n: outer, segments: 1, length: inner,
                                             a: x.data + first * inner, lda: inner, aStride: 0,
                                             b: w.data, ldb: inner, bStride: 0,
                                             c: y.data + first * outer, ldc: outer, accumulate: true)
        }
    }

    /// One group of samples, unfolded and multiplied at once by one worker.
    struct ConvGroup {
        let firstSample: Int, samples: Int, worker: Int
        /// The first group of its worker's share.
        let isWorkersFirst: Bool
    }

    /// Calls `body(group, columns, wideMap)` for each group of the batch: each worker takes its
    /// contiguous share of the samples in order, with its thread's scratch buffers sized for the
    /// largest group: columns [Ci*kh*kw, samples*mapArea] and the map transposed to
    /// [Cm, samples*mapArea].
    static func forEachGroup(_ l: ConvLayout,
                             _ body: (ConvGroup, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
        forEachSampleGroup(l) { group in
            let scratch = ScratchBuffers.current
            body(group, scratch.buffer(.columns, count: l.columnRows * l.samplesPerGroup * l.mapArea),
                 scratch.buffer(.transposed, count: l.mapChannels * l.samplesPerGroup * l.mapArea))
        }
    }

    /// The groups of `forEachGroup`, on the same workers, without its buffers.
    static func forEachSampleGroup(_ l: ConvLayout, _ body: (ConvGroup) -> Void) {
        let size = l.samplesPerGroup, workers = l.workers
        Parallel.forWorkers(workers) { worker in
            let first = l.batch * worker / workers, end = l.batch * (worker + 1) / workers
            for n0 in stride(from: first, to: end, by: size) {
                body(ConvGroup(firstSample: n0, samples: Swift.min(size, end - n0), worker: worker, isWorkersFirst: n0 == first))
            }
        }
    }
}
