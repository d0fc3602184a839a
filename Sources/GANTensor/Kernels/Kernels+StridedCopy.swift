import Foundation

extension Kernels {
    /// Copies a box of `extent` elements: the element at coordinates c goes from
    /// src[sum c_d * srcStrides[d]] to dst[sum c_d * dstStrides[d]]. Permute and concat are this
    /// copy with different strides. Dimensions that are contiguous in both buffers are merged
    /// first, so most calls end up as a few long memcpys.
    public static func copyStrided(extent: [Int], src: UnsafePointer<Float>, srcStrides: [Int],
                                   dst: UnsafeMutablePointer<Float>, dstStrides: [Int]) {
        if extent.contains(0) { return }
        var ext: [Int] = [], ss: [Int] = [], ds: [Int] = []
        for d in extent.indices where extent[d] != 1 {
            if let p = ext.indices.last, ss[p] == srcStrides[d] * extent[d], ds[p] == dstStrides[d] * extent[d] {
                ext[p] *= extent[d]; ss[p] = srcStrides[d]; ds[p] = dstStrides[d]
            } else {
                ext.append(extent[d]); ss.append(srcStrides[d]); ds.append(dstStrides[d])
            }
        }
        guard let inner = ext.last else {
            dst[0] = src[0]
            return
        }
        let k = ext.count
        let outer = Array(ext.dropLast())
        let rows = Shape.count(outer)
        let rowStrides = Shape.strides(outer)
        // Offsets of row r (a coordinate over all but the last dimension) in both buffers.
        @inline(__always) func offsets(_ r: Int) -> (Int, Int) {
            var rem = r, so = 0, dO = 0
            for d in 0..<outer.count {
                let c = rem / rowStrides[d]
                rem -= c * rowStrides[d]
                so += c * ss[d]; dO += c * ds[d]
            }
            return (so, dO)
        }
        let si = ss[k - 1], di = ds[k - 1]
        if si == 1 && di == 1 {
            // Contiguous rows: split the flat range so even a single long row uses every core.
            Parallel.forChunks(rows * inner) { s, e in
                var i = s
                while i < e {
                    let r = i / inner, c = i - r * inner
                    let len = Swift.min(inner - c, e - i)
                    let (so, dO) = offsets(r)
                    (dst + dO + c).update(from: src + so + c, count: len)
                    i += len
                }
            }
        } else if k >= 2 && di == 1 && ss[k - 2] == 1 {
            transposeTiles(ext: ext, ss: ss, ds: ds, src: src, dst: dst)
        } else {
            Parallel.forChunks(rows, grain: Swift.max(1, Parallel.grain / inner)) { s, e in
                for r in s..<e {
                    let (so, dO) = offsets(r)
                    let sp = src + so, dp = dst + dO
                    for j in 0..<inner { dp[j * di] = sp[j * si] }
                }
            }
        }
    }

    /// The last two dimensions swap which one is contiguous (a batched matrix transpose): copy in
    /// square tiles so both the reads and the writes stay in cache.
    private static func transposeTiles(ext: [Int], ss: [Int], ds: [Int],
                                       src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) {
        let tile = 32
        let k = ext.count
        let a = ext[k - 2], b = ext[k - 1]
        let dA = ds[k - 2], sB = ss[k - 1]
        let batch = Array(ext.dropLast(2))
        let batchStrides = Shape.strides(batch)
        let tilesA = (a + tile - 1) / tile
        Parallel.forChunks(Shape.count(batch) * tilesA, grain: Swift.max(1, Parallel.grain / (tile * b))) { s, e in
            for t in s..<e {
                let n = t / tilesA, a0 = (t - n * tilesA) * tile
                var rem = n, so = 0, dO = 0
                for d in 0..<batch.count {
                    let c = rem / batchStrides[d]
                    rem -= c * batchStrides[d]
                    so += c * ss[d]; dO += c * ds[d]
                }
                let a1 = Swift.min(a, a0 + tile)
                var b0 = 0
                while b0 < b {
                    let b1 = Swift.min(b, b0 + tile)
                    for i in a0..<a1 {
                        let sp = src + so + i, dp = dst + dO + i * dA
                        for j in b0..<b1 { dp[j] = sp[j * sB] }
                    }
                    b0 = b1
                }
            }
        }
    }
}
