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
    /// Multiply-adds of one pass over the batch (any of the three conv gemms).
    var multiplyAdds: Int { batch * mapChannels * mapArea * columnRows }

    /// Samples unfolded together: enough for one wide gemm, capped so the column matrix stays
    /// within `Kernels.convColumnBudget` floats (a whole DCGAN-64 batch would take 64 MB and more).
    var samplesPerGroup: Int {
        Swift.max(1, Swift.min(batch, Kernels.convColumnBudget / Swift.max(1, columnRows * mapArea)))
    }

    /// The map columns `o` whose image coordinate o*stride + offset lies in [0, size), as a
    /// half-open range of 0..<count (computed once per kernel tap instead of tested per element).
    @inline(__always)
    static func validRange(offset: Int, stride: Int, size: Int, count: Int) -> (Int, Int) {
        let hi = size - 1 - offset < 0 ? 0 : Swift.min(count, (size - 1 - offset) / stride + 1)
        let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        return (Swift.min(lo, hi), hi)
    }
}

extension Kernels {
    /// Unfolds `samples` consecutive images [samples, C, H, W] into the column matrix
    /// [C*kh*kw, samples*mapArea]: entry ((c*kh + i)*kw + j, n*mapArea + oh*mapW + ow) is
    /// image[n, c, oh*sh - ph + i*dh, ow*sw - pw + j*dw], or 0 in the padding.
    /// Parallel over (sample, channel); every unit writes its own rows segment.
    static func im2col(_ image: UnsafePointer<Float>, samples: Int, _ l: ConvLayout,
                       into cols: UnsafeMutablePointer<Float>) {
        let c = l.imageChannels, h = l.imageHeight, w = l.imageWidth
        let mh = l.mapHeight, mw = l.mapWidth, area = l.mapArea, ld = samples * area
        let kh = l.kernelHeight, kw = l.kernelWidth, g = l.geometry
        let (sh, sw) = g.stride, (ph, pw) = g.padding, (dh, dw) = g.dilation
        Parallel.forChunks(samples * c, grain: Swift.max(1, Parallel.grain / Swift.max(1, kh * kw * area))) { s, e in
            for unit in s..<e {
                let n = unit / c, ch = unit % c
                let plane = image + unit * h * w
                for i in 0..<kh {
                    let (rowLo, rowHi) = ConvLayout.validRange(offset: i * dh - ph, stride: sh, size: h, count: mh)
                    for j in 0..<kw {
                        let colOffset = j * dw - pw
                        let (lo, hi) = ConvLayout.validRange(offset: colOffset, stride: sw, size: w, count: mw)
                        let row = cols + ((ch * kh + i) * kw + j) * ld + n * area
                        row.update(repeating: 0, count: rowLo * mw)
                        for oh in rowLo..<rowHi {
                            let out = row + oh * mw
                            let line = plane + (oh * sh + i * dh - ph) * w + colOffset
                            for ow in 0..<lo { out[ow] = 0 }
                            if sw == 1 {
                                (out + lo).update(from: line + lo, count: hi - lo)
                            } else {
                                for ow in lo..<hi { out[ow] = line[ow * sw] }
                            }
                            for ow in hi..<mw { out[ow] = 0 }
                        }
                        (row + rowHi * mw).update(repeating: 0, count: (mh - rowHi) * mw)
                    }
                }
            }
        }
    }

    /// The adjoint of `im2col`: sums the column matrix [C*kh*kw, samples*mapArea] back into images
    /// [samples, C, H, W], each plane starting from `bias[c]` (or 0). Parallel over (sample,
    /// channel) planes, each accumulated by one thread in a fixed order, so the result does not
    /// depend on the thread count.
    static func col2im(_ cols: UnsafePointer<Float>, samples: Int, _ l: ConvLayout,
                       into image: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?) {
        let c = l.imageChannels, h = l.imageHeight, w = l.imageWidth
        let mh = l.mapHeight, mw = l.mapWidth, area = l.mapArea, ld = samples * area
        let kh = l.kernelHeight, kw = l.kernelWidth, g = l.geometry
        let (sh, sw) = g.stride, (ph, pw) = g.padding, (dh, dw) = g.dilation
        Parallel.forChunks(samples * c, grain: Swift.max(1, Parallel.grain / Swift.max(1, kh * kw * area))) { s, e in
            for unit in s..<e {
                let n = unit / c, ch = unit % c
                let plane = image + unit * h * w
                plane.update(repeating: bias?[ch] ?? 0, count: h * w)
                for i in 0..<kh {
                    let (rowLo, rowHi) = ConvLayout.validRange(offset: i * dh - ph, stride: sh, size: h, count: mh)
                    for j in 0..<kw {
                        let colOffset = j * dw - pw
                        let (lo, hi) = ConvLayout.validRange(offset: colOffset, stride: sw, size: w, count: mw)
                        let row = cols + ((ch * kh + i) * kw + j) * ld + n * area
                        for oh in rowLo..<rowHi {
                            let src = row + oh * mw
                            let line = plane + (oh * sh + i * dh - ph) * w + colOffset
                            for ow in lo..<hi { line[ow * sw] += src[ow] }
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
                let n = unit / channels, ch = unit % channels
                (dst + (ch * samples + n) * area).update(from: src + unit * area, count: area)
            }
        }
    }

    /// [C, samples*area] -> [samples, C, area], adding `bias[c]` when given (the inverse of
    /// `samplesToColumns`).
    static func columnsToSamples(_ src: UnsafePointer<Float>, samples: Int, channels: Int, area: Int,
                                 into dst: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?) {
        Parallel.forChunks(samples * channels, grain: Swift.max(1, Parallel.grain / Swift.max(1, area))) { s, e in
            for unit in s..<e {
                let n = unit / channels, ch = unit % channels
                let from = src + (ch * samples + n) * area, to = dst + unit * area
                if let bias {
                    let b = bias[ch]
                    for k in 0..<area { to[k] = from[k] + b }
                } else {
                    to.update(from: from, count: area)
                }
            }
        }
    }

    /// Adds `bias[c]` to every plane of [samples, C, area].
    static func addChannelBias(_ x: UnsafeMutablePointer<Float>, samples: Int, channels: Int, area: Int,
                               bias: UnsafePointer<Float>) {
        Parallel.forChunks(samples * channels, grain: Swift.max(1, Parallel.grain / Swift.max(1, area))) { s, e in
            for unit in s..<e {
                let b = bias[unit % channels], p = x + unit * area
                for k in 0..<area { p[k] += b }
            }
        }
    }
}
