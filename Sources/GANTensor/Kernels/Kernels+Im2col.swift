/// The sizes of one convolution seen from its "image" side (the tensor that is unfolded into
/// columns: conv2d's input, convTranspose2d's output) and its "map" side (the tensor on the other
/// side of the gemm: conv2d's output, convTranspose2d's input). Map sizes are explicit rather than
/// derived, so a conv and its adjoint transposed conv always agree (the map may be cropped or
/// extended; positions outside the image read zero and scatter nothing).
struct ConvLayout {
    let batch: Int
    let imageChannels: Int, imageHeight: Int, imageWidth: Int
    let mapChannels: Int, mapHeight: Int, mapWidth: Int
    let kernelHeight: Int, kernelWidth: Int
    let geometry: Conv2dGeometry

    var imageArea: Int { imageHeight * imageWidth }
    var mapArea: Int { mapHeight * mapWidth }
    /// Rows of the column matrix: one per (image channel, kernel row, kernel column).
    var columnRows: Int { imageChannels * kernelHeight * kernelWidth }
    /// One map position whose receptive field is exactly the unpadded image, each pixel once and
    /// in order: the column matrix of a sample is its image, flattened.
    var isDense: Bool {
        mapArea == 1 && imageHeight == kernelHeight && imageWidth == kernelWidth
            && geometry.padding == (0, 0) && geometry.dilation == (1, 1)
    }

    /// Threads the batch is shared over: one per gemm thread, at most one per sample.
    var workers: Int { Swift.max(1, Swift.min(BLASInfo.threads, batch)) }

    /// Samples unfolded together: enough for one wide gemm, capped so the column matrix and the
    /// transposed map each stay within `Kernels.convColumnBudget` floats (a whole DCGAN-64 batch
    /// would take 64 MB and more), and at most one worker's share.
    var samplesPerGroup: Int {
        let perSample = Swift.max(1, Swift.max(columnRows, mapChannels) * mapArea)
        let share = (batch + workers - 1) / workers
        return Swift.max(1, Swift.min(share, Kernels.convColumnBudget / perSample))
    }
}

/// How one group of samples is unfolded, shared by im2col and its adjoint col2im.
///
/// For each kernel row (or column) tap: the image coordinate of map position 0, and the half-open
/// range of map positions whose image coordinate o*stride + offset lies inside the image. These
/// are computed once per call, so the loops neither test bounds per element nor redo the
/// arithmetic per channel (which would dominate on 1x1 to 4x4 maps).
struct Unfolding {
    struct Tap { let offset: Int, lo: Int, hi: Int }
    let layout: ConvLayout
    let samples: Int
    let rows: [Tap], columns: [Tap]
    /// Leading dimension of the column matrix [C*kh*kw, samples*mapArea].
    let ld: Int

    init(_ l: ConvLayout, samples: Int) {
        let g = l.geometry
        layout = l
        self.samples = samples
        ld = samples * l.mapArea
        rows = (0..<l.kernelHeight).map {
            Self.tap(offset: $0 * g.dilation.0 - g.padding.0, stride: g.stride.0, size: l.imageHeight, count: l.mapHeight)
        }
        columns = (0..<l.kernelWidth).map {
            Self.tap(offset: $0 * g.dilation.1 - g.padding.1, stride: g.stride.1, size: l.imageWidth, count: l.mapWidth)
        }
    }

    static func tap(offset: Int, stride: Int, size: Int, count: Int) -> Tap {
        let hi = size - 1 - offset < 0 ? 0 : Swift.min(count, (size - 1 - offset) / stride + 1)
        let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        return Tap(offset: offset, lo: Swift.min(lo, hi), hi: hi)
    }

    /// Calls `body(channel, image plane offset, column offset)` for every (channel, sample) plane,
    /// in parallel over planes; the column offset locates the plane's stretch of column row
    /// (channel, 0, 0), and tap (i, j)'s row lies `tapRow(i, j)` further. Channel-major, so
    /// neighbouring planes touch neighbouring stretches of the same rows; no two planes share
    /// memory on either side, so the walk is race-free and independent of the thread count.
    func forEachPlane(_ body: (Int, Int, Int) -> Void) {
        let l = layout, c = l.imageChannels, n = samples, taps = l.kernelHeight * l.kernelWidth
        Parallel.forChunks(c * n, grain: Swift.max(1, Parallel.grain / Swift.max(1, taps * l.mapArea))) { s, e in
            for unit in s..<e {
                let ch = unit / n, sample = unit % n
                body(ch, (sample * c + ch) * l.imageArea, ch * taps * ld + sample * l.mapArea)
            }
        }
    }

    @inline(__always)
    func tapRow(_ i: Int, _ j: Int) -> Int { (i * layout.kernelWidth + j) * ld }
}

extension Kernels {
    /// Unfolds `samples` consecutive images [samples, C, H, W] into the column matrix
    /// [C*kh*kw, samples*mapArea]: entry ((c*kh + i)*kw + j, n*mapArea + oh*mapW + ow) is
    /// image[n, c, oh*sh - ph + i*dh, ow*sw - pw + j*dw], or 0 in the padding.
    static func im2col(_ image: UnsafePointer<Float>, samples: Int, _ l: ConvLayout,
                       into cols: UnsafeMutablePointer<Float>) {
        let u = Unfolding(l, samples: samples)
        let mh = l.mapHeight, mw = l.mapWidth, w = l.imageWidth, (sh, sw) = l.geometry.stride
        u.forEachPlane { _, imageOffset, columnOffset in
            let plane = image + imageOffset
            for (i, r) in u.rows.enumerated() {
                for (j, t) in u.columns.enumerated() {
                    let row = cols + columnOffset + u.tapRow(i, j)
                    row.update(repeating: 0, count: r.lo * mw)
                    for oh in r.lo..<r.hi {
                        let out = row + oh * mw
                        let line = plane + (oh * sh + r.offset) * w + t.offset
                        for ow in 0..<t.lo { out[ow] = 0 }
                        // Stride 2 (every DCGAN layer) spelled out: a constant stride and
                        // wrapping index arithmetic let the loop vectorise.
                        if sw == 1 {
                            (out + t.lo).update(from: line + t.lo, count: t.hi - t.lo)
                        } else if sw == 2 {
                            for ow in t.lo..<t.hi { out[ow] = line[ow &<< 1] }
                        } else {
                            for ow in t.lo..<t.hi { out[ow] = line[ow &* sw] }
                        }
                        for ow in t.hi..<mw { out[ow] = 0 }
                    }
                    (row + r.hi * mw).update(repeating: 0, count: (mh - r.hi) * mw)
                }
            }
        }
    }

    /// The adjoint of `im2col`: sums the column matrix [C*kh*kw, samples*mapArea] back into images
    /// [samples, C, H, W], each plane starting from `bias[c]` (or 0) and accumulated by one thread
    /// in a fixed order.
    static func col2im(_ cols: UnsafePointer<Float>, samples: Int, _ l: ConvLayout,
                       into image: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?) {
        let u = Unfolding(l, samples: samples)
        let mw = l.mapWidth, w = l.imageWidth, (sh, sw) = l.geometry.stride
        u.forEachPlane { ch, imageOffset, columnOffset in
            let plane = image + imageOffset
            plane.update(repeating: bias?[ch] ?? 0, count: l.imageArea)
            for (i, r) in u.rows.enumerated() {
                for (j, t) in u.columns.enumerated() {
                    let row = cols + columnOffset + u.tapRow(i, j)
                    for oh in r.lo..<r.hi {
                        let src = row + oh * mw
                        let line = plane + (oh * sh + r.offset) * w + t.offset
                        if sw == 2 {
                            for ow in t.lo..<t.hi { line[ow &<< 1] += src[ow] }
                        } else {
                            for ow in t.lo..<t.hi { line[ow &* sw] += src[ow] }
                        }
                    }
                }
            }
        }
    }

    /// [samples, C, area] -> [C, samples*area]: lays a batch side by side as one gemm operand.
    static func samplesToColumns(_ src: UnsafePointer<Float>, samples: Int, channels: Int, area: Int,
                                 into dst: UnsafeMutablePointer<Float>) {
        Parallel.forChunks(samples * channels, grain: Swift.max(1, Parallel.grain / Swift.max(1, area))) { s, e in
            for unit in s..<e {
                let ch = unit / samples, n = unit % samples
                (dst + unit * area).update(from: src + (n * channels + ch) * area, count: area)
            }
        }
    }

    /// [C, samples*area] -> [samples, C, area], adding `bias[c]` when given (the inverse of
    /// `samplesToColumns`).
    static func columnsToSamples(_ src: UnsafePointer<Float>, samples: Int, channels: Int, area: Int,
                                 into dst: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?) {
        Parallel.forChunks(samples * channels, grain: Swift.max(1, Parallel.grain / Swift.max(1, area))) { s, e in
            for unit in s..<e {
                let ch = unit / samples, n = unit % samples
                let from = src + unit * area, to = dst + (n * channels + ch) * area
                if let bias {
                    let b = bias[ch]
                    for k in 0..<area { to[k] = from[k] + b }
                } else {
                    to.update(from: from, count: area)
                }
            }
        }
    }

    /// Sets every plane of [samples, C, area] to `bias[c]`, or to 0 without a bias.
    static func fillChannels(_ x: UnsafeMutablePointer<Float>, samples: Int, channels: Int, area: Int,
                             bias: UnsafePointer<Float>?) {
        guard let bias else { return x.update(repeating: 0, count: samples * channels * area) }
        Parallel.forChunks(samples * channels, grain: Swift.max(1, Parallel.grain / Swift.max(1, area))) { s, e in
            for unit in s..<e { (x + unit * area).update(repeating: bias[unit % channels], count: area) }
        }
    }
}
