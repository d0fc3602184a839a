/// im2col and col2im for a column stride of 2 (every DCGAN layer) on maps at least
/// `Unfolding.rowWiseStride2MinimumWidth` wide: one loop per map row that moves four map positions
/// at a time (eight image floats loaded, the even ones kept, or added to and stored back). The
/// table walk (`im2colByTable`, a scalar gather per element) is what the 4x4 and 8x8 maps keep:
/// there the per-row overhead loses. The same loops on their own, one core, 8 samples of
/// DCGAN-64's 64-channel 32x32 layer: im2col 0.90 ms by table, 0.67 ms here, col2im 1.00 against
/// 0.62 ms; on 16x16 -> 8x8 the table im2col is 20% faster. The 14-wide maps of DCGAN-28's edge
/// layers go row by row: D.conv1's thin weight gradient 0.25-0.29 -> 0.24-0.25 ms (3 Dec).
/// col2im adds each tap in the same order as the table walk, so results are bit for bit the same.
extension Kernels {
    static func im2colStride2(_ image: UnsafePointer<Float>, _ u: Unfolding, into cols: UnsafeMutablePointer<Float>) {
        let w = u.layout.imageWidth
        im2colByRows(image, u, into: cols) { out, line, t in
            var ow = t.lo
            for _ in 0..<vectorSteps(t, imageWidth: w) {
                let v = UnsafeRawPointer(line + 2 * ow).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(out + ow).storeBytes(of: v.evenHalf, as: SIMD4<Float>.self)
                ow += 4
            }
            while ow < t.hi { out[ow] = line[2 * ow]; ow += 1 }
        }
    }

    static func col2imStride2(_ cols: UnsafePointer<Float>, _ u: Unfolding, into image: UnsafeMutablePointer<Float>,
                              bias: UnsafePointer<Float>?) {
        let w = u.layout.imageWidth
        col2imByRows(cols, u, into: image, bias: bias) { src, line, t in
            var ow = t.lo
            for _ in 0..<vectorSteps(t, imageWidth: w) {
                let at = UnsafeMutableRawPointer(line + 2 * ow)
                var v = at.loadUnaligned(as: SIMD8<Float>.self)
                v.evenHalf += UnsafeRawPointer(src + ow).loadUnaligned(as: SIMD4<Float>.self)
                at.storeBytes(of: v, as: SIMD8<Float>.self)
                ow += 4
            }
            while ow < t.hi { line[2 * ow] += src[ow]; ow += 1 }
        }
    }

    /// How many four-wide steps a map row takes from tap.lo: a step from `ow` covers map columns
    /// ow..<ow+4 and touches image columns offset + 2ow ..< offset + 2ow + 8, which must all lie
    /// inside the image row; the rest is left to the scalar tail.
    @inline(__always)
    private static func vectorSteps(_ t: Unfolding.Tap, imageWidth w: Int) -> Int {
        let room = w - 8 - t.offset - 2 * t.lo
        return room < 0 ? 0 : Swift.min((t.hi - t.lo) / 4, room / 8 + 1)
    }
}
