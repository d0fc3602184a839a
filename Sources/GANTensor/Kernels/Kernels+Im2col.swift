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
    /// Thin layers (`isThin`) hold only the column matrix, within `Kernels.thinColumnBudget`.
    var samplesPerGroup: Int {
        let thin = isThin
        let perSample = Swift.max(1, (thin ? columnRows : Swift.max(columnRows, mapChannels)) * mapArea)
        let budget = thin ? Swift.min(Kernels.convColumnBudget, Kernels.thinColumnBudget) : Kernels.convColumnBudget
        let share = (batch + workers - 1) / workers
        return Swift.max(1, Swift.min(share, budget / perSample))
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
    /// With a column stride above 1 (every DCGAN layer): for each tap, the plane offset each map
    /// position reads, or -1 in the padding. Unfolding a (plane, tap) is then one flat loop over
    /// the map instead of one loop per map row, which on 7x7 to 16x16 maps was mostly overhead
    /// (im2col was 12% of a DCGAN-28 step). Empty for column stride 1 (rows are plain copies) and
    /// for the row-wise stride-2 walk.
    let sourceOffsets: [Int32]

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
        isRowWiseStride2 = g.stride.1 == 2 && l.mapWidth >= Self.rowWiseStride2MinimumWidth
        sourceOffsets = g.stride.1 == 1 || isRowWiseStride2 ? [] : Self.sourceOffsets(l, rows: rows, columns: columns)
    }

    /// Column stride 2 on maps this wide or wider unfolds row by row, four map positions a step
    /// (`Kernels.im2colStride2`); narrower maps go through the table. A variable so the tests can
    /// run both walks on the same shapes.
    static var rowWiseStride2MinimumWidth = 12
    let isRowWiseStride2: Bool

    static func sourceOffsets(_ l: ConvLayout, rows: [Tap], columns: [Tap]) -> [Int32] {
        let mw = l.mapWidth, (sh, sw) = l.geometry.stride
        var table = [Int32](repeating: -1, count: rows.count * columns.count * l.mapArea)
        for (i, r) in rows.enumerated() {
            for (j, t) in columns.enumerated() {
                let base = (i * columns.count + j) * l.mapArea
                for oh in r.lo..<r.hi {
                    for ow in t.lo..<t.hi {
                        table[base + oh * mw + ow] = Int32((oh * sh + r.offset) * l.imageWidth + t.offset + ow * sw)
                    }
                }
            }
        }
        return table
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
        if u.isRowWiseStride2 { return im2colStride2(image, u, into: cols) }
        if !u.sourceOffsets.isEmpty { return im2colByTable(image, u, into: cols) }
        im2colByRows(image, u, into: cols) { out, line, t in
            (out + t.lo).update(from: line + t.lo, count: t.hi - t.lo)  // sw == 1
        }
    }

    /// The row-by-row walk of `im2col`: zeroes the padding, and `copy(out, line, tap)` fills map
    /// columns tap.lo..<tap.hi of one map row, whose column ow reads line[ow * stride].
    @inline(__always)
    static func im2colByRows(_ image: UnsafePointer<Float>, _ u: Unfolding, into cols: UnsafeMutablePointer<Float>,
                             copy: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, Unfolding.Tap) -> Void) {
        let l = u.layout, mh = l.mapHeight, mw = l.mapWidth, w = l.imageWidth, sh = l.geometry.stride.0
        u.forEachPlane { _, imageOffset, columnOffset in
            let plane = image + imageOffset
            for (i, r) in u.rows.enumerated() {
                for (j, t) in u.columns.enumerated() {
                    let row = cols + columnOffset + u.tapRow(i, j)
                    row.update(repeating: 0, count: r.lo * mw)
                    for oh in r.lo..<r.hi {
                        let out = row + oh * mw
                        for ow in 0..<t.lo { out[ow] = 0 }
                        copy(out, plane + (oh * sh + r.offset) * w + t.offset, t)
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
        if u.isRowWiseStride2 { return col2imStride2(cols, u, into: image, bias: bias) }
        if !u.sourceOffsets.isEmpty { return col2imByTable(cols, u, into: image, bias: bias) }
        col2imByRows(cols, u, into: image, bias: bias) { src, line, t in
            for ow in t.lo..<t.hi { line[ow] += src[ow] }  // sw == 1
        }
    }

    /// The row-by-row walk of `col2im`: fills each plane with its bias, then for each tap and map
    /// row `add(src, line, tap)` adds map columns tap.lo..<tap.hi into line[ow * stride].
    @inline(__always)
    static func col2imByRows(_ cols: UnsafePointer<Float>, _ u: Unfolding, into image: UnsafeMutablePointer<Float>,
                             bias: UnsafePointer<Float>?,
                             add: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Unfolding.Tap) -> Void) {
        let l = u.layout, mw = l.mapWidth, w = l.imageWidth, sh = l.geometry.stride.0
        u.forEachPlane { ch, imageOffset, columnOffset in
            let plane = image + imageOffset
            plane.update(repeating: bias?[ch] ?? 0, count: l.imageArea)
            for (i, r) in u.rows.enumerated() {
                for (j, t) in u.columns.enumerated() {
                    let row = cols + columnOffset + u.tapRow(i, j)
                    for oh in r.lo..<r.hi {
                        add(row + oh * mw, plane + (oh * sh + r.offset) * w + t.offset, t)
                    }
                }
            }
        }
    }

    /// `im2col` through `Unfolding.sourceOffsets`: per (plane, tap) one flat gather (padding reads
    /// a clamped offset and is then replaced by 0, so the loop has no branch).
    private static func im2colByTable(_ image: UnsafePointer<Float>, _ u: Unfolding, into cols: UnsafeMutablePointer<Float>) {
        let area = u.layout.mapArea, taps = u.layout.kernelHeight * u.layout.kernelWidth
        u.sourceOffsets.withUnsafeBufferPointer { table in
            let offsets = table.baseAddress!
            u.forEachPlane { _, imageOffset, columnOffset in
                let plane = image + imageOffset
                for tap in 0..<taps {
                    let out = cols + columnOffset + tap * u.ld, source = offsets + tap * area
                    for k in 0..<area {
                        let o = Int(source[k])
                        let v = plane[o < 0 ? 0 : o]
                        out[k] = o < 0 ? 0 : v
                    }
                }
            }
        }
    }

    /// `col2im` through `Unfolding.sourceOffsets`: per (plane, tap) one flat scatter-add.
    private static func col2imByTable(_ cols: UnsafePointer<Float>, _ u: Unfolding, into image: UnsafeMutablePointer<Float>,
                                      bias: UnsafePointer<Float>?) {
        let l = u.layout, area = l.mapArea, taps = l.kernelHeight * l.kernelWidth
        u.sourceOffsets.withUnsafeBufferPointer { table in
            let offsets = table.baseAddress!
            u.forEachPlane { ch, imageOffset, columnOffset in
                let plane = image + imageOffset
                plane.update(repeating: bias?[ch] ?? 0, count: l.imageArea)
                for tap in 0..<taps {
                    let src = cols + columnOffset + tap * u.ld, target = offsets + tap * area
                    for k in 0..<area {
                        let o = Int(target[k])
                        if o >= 0 { plane[o] += src[k] }
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

    /// x [samples, channels, area] += bias per channel.
    static func addChannels(_ x: UnsafeMutablePointer<Float>, samples: Int, channels: Int, area: Int,
                            bias: UnsafePointer<Float>) {
        Parallel.forChunks(samples * channels, grain: Swift.max(1, Parallel.grain / Swift.max(1, area))) { s, e in
            for unit in s..<e {
                let b = bias[unit % channels], p = x + unit * area
                for i in 0..<area { p[i] = p[i] + b }
            }
        }
    }
}
