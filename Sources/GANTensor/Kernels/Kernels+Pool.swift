import Foundation

/// The geometry of a square 2-D pooling window over NCHW planes (floor mode, as PyTorch's default).
struct PoolWindow {
    let kernel: Int, stride: Int, padding: Int
    let inH: Int, inW: Int, outH: Int, outW: Int

    /// Input coordinates covered by output coordinate `o` along an axis of `size`, clipped to it.
    @inline(__always)
    func span(_ o: Int, size: Int) -> Range<Int> {
        let lo = o * stride - padding
        return Swift.max(lo, 0)..<Swift.min(lo + kernel, size)
    }
}

/// For each output element, the position (within its own H*W plane) of the input element it came
/// from. Max pooling's backward routes gradients along it; the map is a constant.
struct PlaneIndexMap {
    let inShape: [Int], outShape: [Int]
    let index: [Int32]
    var inPlane: Int { inShape.suffix(2).reduce(1, *) }
    var outPlane: Int { outShape.suffix(2).reduce(1, *) }
    var planes: Int { inShape.dropLast(2).reduce(1, *) }
}

extension Kernels {
    /// Max over each window and, per output, the in-plane index of the first maximum (a NaN wins,
    /// as in PyTorch). Padding never wins: windows are clipped to the input.
    static func maxPool2d(_ x: Tensor, _ w: PoolWindow) -> (Tensor, PlaneIndexMap) {
        let planes = x.shape[0] * x.shape[1]
        let outShape = [x.shape[0], x.shape[1], w.outH, w.outW]
        let out = Tensor(uninitialized: outShape)
        let inPlane = w.inH * w.inW, outPlane = w.outH * w.outW
        let xp = x.data, op = out.data
        let index = [Int32](unsafeUninitializedCapacity: planes * outPlane) { ib, initialized in
            let ip = ib.baseAddress!
            Parallel.forChunks(planes, grain: Swift.max(1, Parallel.grain / Swift.max(1, outPlane * w.kernel * w.kernel))) { s, e in
                for p in s..<e {
                    let src = xp + p * inPlane, dst = op + p * outPlane, arg = ip + p * outPlane
                    for oh in 0..<w.outH {
                        let hs = w.span(oh, size: w.inH)
                        for ow in 0..<w.outW {
                            let ws = w.span(ow, size: w.inW)
                            let (best, at) = windowMax(src, rows: hs, cols: ws, width: w.inW)
                            dst[oh * w.outW + ow] = best
                            arg[oh * w.outW + ow] = Int32(truncatingIfNeeded: at)
                        }
                    }
                }
            }
            initialized = planes * outPlane
        }
        return (out, PlaneIndexMap(inShape: x.shape, outShape: outShape, index: index))
    }

    /// The first maximum of src over rows x cols (row length `width`) and its position; a NaN
    /// wins, the last one as in PyTorch. The scan is branch-free (which element wins is data
    /// dependent, so branches mispredict); NaNs are rare and handled by a second scan.
    @inline(__always)
    private static func windowMax(_ src: UnsafePointer<Float>, rows: Range<Int>, cols: Range<Int>, width: Int) -> (Float, Int) {
        var best = -Float.infinity, at = rows.lowerBound * width + cols.lowerBound
        var nans = 0
        for r in rows {
            let row = r * width
            for c in cols {
                let v = src[row + c]
                let wins = v > best
                best = wins ? v : best
                at &+= (row + c &- at) & (wins ? -1 : 0)
                nans &+= v.isNaN ? 1 : 0
            }
        }
        if nans > 0 {
            for r in rows {
                for c in cols where src[r * width + c].isNaN { best = .nan; at = r * width + c }
            }
        }
        return (best, at)
    }

    /// out[p, j] = x[p, index[p, j]] over planes.
    static func gatherPlanes(_ x: Tensor, _ map: PlaneIndexMap) -> Tensor {
        let out = Tensor(uninitialized: map.outShape)
        let inPlane = map.inPlane, outPlane = map.outPlane
        let xp = x.data, op = out.data
        forEachPlane(map) { p, idx in
            let src = xp + p * inPlane, dst = op + p * outPlane
            for j in 0..<outPlane { dst[j] = src[Int(idx[j])] }
        }
        return out
    }

    /// out[p, index[p, j]] += g[p, j]: each plane is summed by one thread, in order.
    static func scatterAddPlanes(_ g: Tensor, _ map: PlaneIndexMap) -> Tensor {
        let out = Tensor(zeros: map.inShape)
        let inPlane = map.inPlane, outPlane = map.outPlane
        let gp = g.data, op = out.data
        forEachPlane(map) { p, idx in
            let src = gp + p * outPlane, dst = op + p * inPlane
            for j in 0..<outPlane { dst[Int(idx[j])] += src[j] }
        }
        return out
    }

    /// body(plane, that plane's indices) for every plane, planes split across threads.
    private static func forEachPlane(_ map: PlaneIndexMap, _ body: (Int, UnsafePointer<Int32>) -> Void) {
        let outPlane = map.outPlane
        map.index.withUnsafeBufferPointer { ib in
            let ip = ib.baseAddress!
            Parallel.forChunks(map.planes, grain: Swift.max(1, Parallel.grain / Swift.max(1, outPlane))) { s, e in
                for p in s..<e { body(p, ip + p * outPlane) }
            }
        }
    }
}
