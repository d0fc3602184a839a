import XCTest
@testable import GANTensor

/// The C kernels of thin layers (`ThinKernels`): each output's order of operations is specified
/// (CKernels.h), so the tests rebuild that order here with Float fused multiply-adds and demand
/// the same bits from every version the CPU runs, check the result against a Double reference,
/// and check that strided gaps are never written. Then the convolutions that use them against the
/// im2col + gemm path and the direct loops, on 1 and 3 threads.
final class ThinKernelTests: XCTestCase {
    let rng = RandomGenerator(seed: 31)

    func pick(_ range: ClosedRange<Int>) -> Int { range.lowerBound + rng.nextInt(below: range.count) }

    func randomFloats(_ count: Int) -> [Float] { (0..<count).map { _ in rng.nextFloat() * 2 - 1 } }

    /// Every version this CPU runs (scalar at least), each forced in turn.
    var levels: [ThinKernels.Level] { ThinKernels.Level.allCases.filter { $0.rawValue <= ThinKernels.bestLevel.rawValue } }

    /// `body` under each version; fails unless all give the same bits. Returns them.
    func sameOnEveryLevel(_ what: String, _ body: () throws -> [Float]) rethrows -> [Float] {
        defer { ThinKernels.force(nil) }
        var first: [UInt32]?, result: [Float] = []
        for level in levels {
            XCTAssertEqual(ThinKernels.force(level), level)
            result = try body()
            let bits = result.map(\.bitPattern)
            if let first { XCTAssertEqual(bits, first, "\(what): \(level) differs from scalar") } else { first = bits }
        }
        return result
    }

    func testSmallAProductFollowsItsChainOnEveryLevel() {
        for trial in 0..<60 {
            // n crosses the vector widths (8, 16, 32) with tails; m crosses the row blocks (4, 8).
            let m = pick(1...70), n = trial % 5 == 0 ? pick(1...3) : pick(1...100), k = trial == 0 ? 0 : pick(1...66)
            let batch = pick(1...3), transA = trial % 2 == 1
            let lda = (transA ? m : k) + pick(0...3), ldb = n + pick(0...5), ldc = n + pick(0...5)
            let bStride = k * ldb + pick(0...7), cStride = m * ldc + pick(0...7)
            let a = randomFloats((transA ? k : m) * lda + 1), b = randomFloats(batch * bStride + ldb)
            let bias: [Float]? = trial % 3 == 0 ? nil : randomFloats(m)
            let sentinel = Float(bitPattern: 0x7FC0_1234)
            let what = "m \(m) n \(n) k \(k) batch \(batch) transA \(transA)"
            let c = sameOnEveryLevel(what) {
                var c = [Float](repeating: sentinel, count: batch * cStride)
                a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                    let (ap, bp, cp) = (ap.baseAddress!, bp.baseAddress!, cp.baseAddress!)
                    let run = { (biasPointer: UnsafePointer<Float>?) in
                        ThinKernels.smallAProduct(transA: transA, m: m, n: n, k: k, a: ap, lda: lda, batch: batch,
                                                  b: bp, ldb: ldb, bStride: bStride, c: cp,
                                                  ldc: ldc, cStride: cStride, bias: biasPointer)
                    }
                    if let bias { bias.withUnsafeBufferPointer { run($0.baseAddress!) } } else { run(nil) }
                } } }
                return c
            }
            for s in 0..<batch {
                for i in 0..<m {
                    for j in 0..<n {
                        var chain: Float = 0, exact = 0.0, scale = 0.0
                        for kk in 0..<k {
                            let av = transA ? a[kk * lda + i] : a[i * lda + kk], bv = b[s * bStride + kk * ldb + j]
                            chain = chain.addingProduct(av, bv)
                            exact += Double(av) * Double(bv)
                            scale += Swift.abs(Double(av) * Double(bv))
                        }
                        if let bias { chain = chain + bias[i]; exact += Double(bias[i]) }
                        let got = c[s * cStride + i * ldc + j]
                        XCTAssertEqual(got.bitPattern, chain.bitPattern, "\(what) at \(s), \(i), \(j)")
                        XCTAssertLessThanOrEqual(Swift.abs(Double(got) - exact), 1e-6 * (scale + 1), what)
                    }
                }
            }
            // Nothing outside the outputs is written (gaps between rows and samples, masked tails).
            let written = Set((0..<batch).flatMap { s in (0..<m).flatMap { i in (0..<n).map { s * cStride + i * ldc + $0 } } })
            for (index, v) in c.enumerated() where !written.contains(index) {
                XCTAssertEqual(v.bitPattern, sentinel.bitPattern, "\(what): wrote outside C at \(index)")
            }
        }
    }

    func testLongReductionFollowsItsLanesOnEveryLevel() {
        for trial in 0..<60 {
            // m and n cross the register blocks (2 x 2, 6 x 4) with every remainder; lengths cross 8 and 16.
            let m = pick(1...9), n = pick(1...9), segments = pick(1...3)
            let length = trial == 0 ? 0 : (trial % 4 == 0 ? pick(1...17) : pick(1...70))
            let lda = length + pick(0...3), ldb = length + pick(0...3)
            let aStride = m * lda + pick(0...5), bStride = n * ldb + pick(0...5), ldc = n + pick(0...2)
            let a = randomFloats(segments * aStride + 1), b = randomFloats(segments * bStride + 1)
            let accumulate = trial % 2 == 1
            let start = randomFloats(m * ldc)
            let what = "m \(m) n \(n) segments \(segments) length \(length) accumulate \(accumulate)"
            let c = sameOnEveryLevel(what) {
                var c = start
                a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                    ThinKernels.longReductionProduct(m: m, n: n, segments: segments, length: length,
                                                     a: ap.baseAddress!, lda: lda, aStride: aStride,
                                                     b: bp.baseAddress!, ldb: ldb, bStride: bStride,
                                                     c: cp.baseAddress!, ldc: ldc, accumulate: accumulate)
                } } }
                return c
            }
            let padded = (length + 15) / 16 * 16
            for i in 0..<m {
                for j in 0..<n {
                    var lanes = [Float](repeating: 0, count: 16), exact = 0.0, scale = 0.0
                    for s in 0..<segments {
                        for p in 0..<padded {
                            let av = p < length ? a[s * aStride + i * lda + p] : 0, bv = p < length ? b[s * bStride + j * ldb + p] : 0
                            lanes[p % 16] = lanes[p % 16].addingProduct(av, bv)
                            exact += Double(av) * Double(bv)
                            scale += Swift.abs(Double(av) * Double(bv))
                        }
                    }
                    for h in [8, 4, 2, 1] { for l in 0..<h { lanes[l] = lanes[l] + lanes[l + h] } }
                    let expected = accumulate ? start[i * ldc + j] + lanes[0] : lanes[0]
                    if accumulate { exact += Double(start[i * ldc + j]) }
                    let got = c[i * ldc + j]
                    XCTAssertEqual(got.bitPattern, expected.bitPattern, "\(what) at \(i), \(j)")
                    XCTAssertLessThanOrEqual(Swift.abs(Double(got) - exact), 1e-6 * (scale + 2), what)
                }
                for j in n..<ldc { XCTAssertEqual(c[i * ldc + j], start[i * ldc + j], "\(what): wrote outside C") }
            }
        }
    }

    func layout(x: [Int], w: [Int], map: (Int, Int), _ g: Conv2dGeometry) -> ConvLayout {
        ConvLayout(batch: x[0], imageChannels: x[1], imageHeight: x[2], imageWidth: x[3], mapChannels: w[0],
                   mapHeight: map.0, mapWidth: map.1, kernelHeight: w[2], kernelWidth: w[3], geometry: g)
    }

    func testDCGANEdgeLayersAreThinAndTheOthersAreNot() {
        let g = Conv2dGeometry(stride: 2, padding: 1)
        // D.conv1 of DCGAN-28 and -64 (DCGAN-64's G.convT5 has the same layout: image side 3
        // channels, map side 64); DCGAN-28's G.convT2 (image side 1 channel, map side 128).
        XCTAssertTrue(layout(x: [64, 1, 28, 28], w: [64, 1, 4, 4], map: (14, 14), g).isThin)
        XCTAssertTrue(layout(x: [64, 3, 64, 64], w: [64, 3, 4, 4], map: (32, 32), g).isThin)
        XCTAssertTrue(layout(x: [64, 1, 28, 28], w: [128, 1, 4, 4], map: (14, 14), g).isThin)
        XCTAssertTrue(KernelBench.dcgan64.last!.isThin(batch: 64), "G.convT5")
        XCTAssertFalse(KernelBench.dcgan64[1].isThin(batch: 64), "D.conv2")
        // 64 or more channels on the image side: the column matrix is 1024 rows, gemm's case.
        XCTAssertFalse(layout(x: [64, 64, 32, 32], w: [128, 64, 4, 4], map: (16, 16), g).isThin)
        XCTAssertFalse(layout(x: [64, 64, 14, 14], w: [128, 64, 4, 4], map: (7, 7), g).isThin)
        // A weight beyond 32 KB stays on gemm even with few column rows.
        XCTAssertFalse(layout(x: [64, 3, 64, 64], w: [512, 3, 4, 4], map: (32, 32), g).isThin)
    }

    /// conv2d (with bias), its adjoint transposed convolution (with bias) and the weight gradient.
    func convolutions(_ x: Tensor, _ w: Tensor, _ b: Tensor, _ bt: Tensor, _ gy: Tensor, _ g: Conv2dGeometry) throws -> [[Float]] {
        let size = (x.shape[2], x.shape[3])
        return [try x.conv2d(w, bias: b, geometry: g).scalars,
                try gy.transposeConvolved(w, bias: bt, g, outputSize: size).scalars,
                x.weightGradient(gy, kernelSize: (w.shape[2], w.shape[3]), g).scalars]
    }

    func testThinConvolutionsMatchGemmPathAndDirectLoops() throws {
        let threads = BLASInfo.threads
        defer { BLASInfo.setThreads(threads); Kernels.thinConvolutions = true }
        for trial in 0..<24 {
            let g = Conv2dGeometry(stride: (pick(1...2), pick(1...2)), padding: (pick(0...2), pick(0...2)),
                                   dilation: (trial % 3 == 0 ? 2 : 1, 1))
            let xs = [pick(1...5), pick(1...3), pick(3...20), pick(3...37)], ws = [pick(1...40), xs[1], pick(1...4), pick(1...5)]
            let map = g.convOutputSize(input: (xs[2], xs[3]), kernel: (ws[2], ws[3]))
            guard map.0 > 0, map.1 > 0 else { continue }
            XCTAssertTrue(layout(x: xs, w: ws, map: map, g).isThin)
            let x = rng.uniform(xs, low: -1, high: 1), w = rng.uniform(ws, low: -1, high: 1)
            let b = rng.uniform([ws[0]], low: -1, high: 1), bt = rng.uniform([xs[1]], low: -1, high: 1)
            let gy = rng.uniform([xs[0], ws[0], map.0, map.1], low: -1, high: 1)
            let what = "x\(xs) w\(ws) \(g)"
            // Bounds on each output's rounding: the same ops on absolute values sum |terms|.
            Kernels.thinConvolutions = false
            let bounds = try convolutions(x.abs(), w.abs(), b.abs(), bt.abs(), gy.abs(), g)
            for t in [1, 3] {
                BLASInfo.setThreads(t)
                Kernels.thinConvolutions = false
                let byGemm = try convolutions(x, w, b, bt, gy, g)
                Kernels.thinConvolutions = true
                let thin = try sameOnEveryLevel(what) { try convolutions(x, w, b, bt, gy, g).flatMap { $0 } }
                XCTAssertEqual(try convolutions(x, w, b, bt, gy, g).flatMap { $0 }, thin, "\(what) run to run")
                let expected = byGemm.flatMap { $0 }, bound = bounds.flatMap { $0 }
                for i in thin.indices where Swift.abs(thin[i] - expected[i]) > 1e-5 * (bound[i] + 1) {
                    XCTFail("\(what) on \(t) threads: output \(i) is \(thin[i]), gemm path \(expected[i])")
                    break
                }
                let direct = NaiveConv.conv(x, w, b, g)
                XCTAssertEqual(direct.count, byGemm[0].count)
                for i in direct.indices where Swift.abs(thin[i] - direct[i]) > 1e-5 * (bound[i] + 1) {
                    XCTFail("\(what) on \(t) threads: conv output \(i) is \(thin[i]), direct loop \(direct[i])")
                    break
                }
            }
        }
    }

    func testGradientsThroughThinLayers() throws {
        // DCGAN's edge layers in miniature: 3 -> 4 channels, kernel 4, stride 2, padding 1.
        let x = rng.uniform([2, 3, 6, 6], low: -1, high: 1), w = rng.uniform([4, 3, 4, 4], low: -0.5, high: 0.5)
        let b = rng.uniform([4], low: -1, high: 1), bt = rng.uniform([3], low: -1, high: 1)
        let g = Conv2dGeometry(stride: 2, padding: 1)
        XCTAssertTrue(layout(x: x.shape, w: w.shape, map: (3, 3), g).isThin)
        try assertGradients([x, w, b]) { v in try v[0].conv2d(v[1], bias: v[2], geometry: g) }
        try assertSecondOrderGradients([x, w, b], firstOrderWrt: [0, 1]) { v in
            let y = try v[0].conv2d(v[1], bias: v[2], geometry: g)
            return try y * y
        }
        let z = rng.uniform([2, 4, 3, 3], low: -1, high: 1)
        try assertSecondOrderGradients([z, w, bt], firstOrderWrt: [0, 1]) { v in
            let y = try v[0].convTranspose2d(v[1], bias: v[2], geometry: g)
            return try y * y
        }
    }
}
