import XCTest
@testable import GANTensor

/// conv2d forward and weight gradient on the implicit GEMMs (Sources/CKernels/implicit_conv.c,
/// implicit_wgrad.c): each output's chain of fused multiply-adds is specified (CKernels.h), so the
/// tests rebuild it here in Float and demand the same bits from every kernel level and thread
/// count, check it against a Double reference, then check the ops that use it against the
/// im2col + gemm path, and their gradients.
final class ImplicitConvTests: XCTestCase {
    let rng = RandomGenerator(seed: 47)

    func pick(_ range: ClosedRange<Int>) -> Int { range.lowerBound + rng.nextInt(below: range.count) }

    /// Fails at the first output whose bits differ (without printing whole tensors).
    func assertSameBits(_ a: [Float], _ b: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        if let i = a.indices.first(where: { a[$0].bitPattern != b[$0].bitPattern }) {
            XCTFail("\(what): output \(i) is \(a[i]), expected \(b[i])", file: file, line: line)
        }
    }

    var levels: [ThinKernels.Level] { ThinKernels.Level.allCases.filter { $0.rawValue <= ThinKernels.bestLevel.rawValue } }

    /// `Kernels.samplesOnLanes` values that force the forward's NCHW form, then the samples on
    /// the lanes, on any shape.
    let forms = [false, true]

    func formName(_ l: ConvLayout) -> String { l.hasSamplesOnLanes ? "samples on lanes" : "NCHW form" }

    func layout(x: [Int], w: [Int], _ g: Conv2dGeometry) -> ConvLayout {
        let map = g.convOutputSize(input: (x[2], x[3]), kernel: (w[2], w[3]))
        return ConvLayout(batch: x[0], imageChannels: x[1], imageHeight: x[2], imageWidth: x[3], mapChannels: w[0],
                          mapHeight: map.0, mapWidth: map.1, kernelHeight: w[2], kernelWidth: w[3], geometry: g)
    }

    /// One output's specified chain in Float, its exact value and the sum of |terms| (the scale
    /// of its rounding error), for every output in turn.
    struct Chains {
        var values: [Float] = [], exact: [Double] = [], scale: [Double] = []
        private var acc: Float = 0, e = 0.0, s = 0.0

        mutating func add(_ a: Float, _ b: Float) {
            acc = acc.addingProduct(a, b)
            e += Double(a) * Double(b)
            s += Swift.abs(Double(a) * Double(b))
        }

        mutating func finish(bias: Float? = nil) {
            if let bias { acc = acc + bias; e += Double(bias); s += Swift.abs(Double(bias)) }
            values.append(acc)
            exact.append(e)
            scale.append(s)
            (acc, e, s) = (0, 0, 0)
        }
    }

    /// The specified chain for every output, and a bound on its rounding error (sum of |terms|).
    func chain(_ x: Tensor, _ w: Tensor, _ b: Tensor?, _ l: ConvLayout) -> Chains {
        let g = l.geometry, k = l.columnRows
        var chains = Chains()
        for n in 0..<l.batch { for o in 0..<l.mapChannels { for oy in 0..<l.mapHeight { for ox in 0..<l.mapWidth {
            for kk in 0..<k {
                let c = kk / (l.kernelHeight * l.kernelWidth), i = kk / l.kernelWidth % l.kernelHeight, j = kk % l.kernelWidth
                let y = oy * g.stride.0 - g.padding.0 + i * g.dilation.0, xx = ox * g.stride.1 - g.padding.1 + j * g.dilation.1
                let inside = y >= 0 && y < l.imageHeight && xx >= 0 && xx < l.imageWidth
                let v = inside ? x.data[((n * l.imageChannels + c) * l.imageHeight + y) * l.imageWidth + xx] : 0
                chains.add(w.data[o * k + kk], v)
            }
            chains.finish(bias: b?.data[o])
        } } } }
        return chains
    }

    func testForwardFollowsItsChainOnEveryLevelAndThreadCount() {
        let threads = BLASInfo.threads
        defer { BLASInfo.setThreads(threads); ThinKernels.force(nil); Kernels.samplesOnLanes = nil }
        for trial in 0..<40 {
            // Maps cross the 8-row blocks, columns the 32-wide panels and 128-wide blocks (and
            // samples inside a panel), K the 256-long steps (trial % 4 == 0); map rows of 16 and
            // more (trial % 4 == 1) give halves read as runs of stride 1 or 2, the rest gathers.
            let g = Conv2dGeometry(stride: (pick(1...3), pick(1...2)), padding: (pick(0...2), pick(0...2)),
                                   dilation: (trial % 5 == 0 ? 2 : 1, trial % 7 == 0 ? 2 : 1))
            let big = trial % 4 == 0, wide = trial % 4 == 1
            let xs = [pick(1...4), big ? pick(20...30) : pick(1...6), pick(2...14), wide ? pick(32...40) : pick(2...19)]
            let ws = [pick(1...21), xs[1], big ? 4 : pick(1...4), big ? pick(4...5) : pick(1...5)]
            let l = layout(x: xs, w: ws, g)
            guard l.mapHeight > 0, l.mapWidth > 0 else { continue }
            if big { XCTAssertGreaterThan(l.columnRows, 256) }
            let x = rng.uniform(xs, low: -1, high: 1), w = rng.uniform(ws, low: -1, high: 1)
            let b = trial % 3 == 0 ? nil : rng.uniform([ws[0]], low: -1, high: 1)
            let what = "x\(xs) w\(ws) \(g)"
            let expected = chain(x, w, b, l)
            for (form, level) in forms.flatMap({ f in levels.map { (f, $0) } }) {
                Kernels.samplesOnLanes = form
                XCTAssertEqual(ThinKernels.force(level), level)
                for t in [1, 3] {
                    BLASInfo.setThreads(t)
                    let y = Tensor(uninitialized: [xs[0], ws[0], l.mapHeight, l.mapWidth])
                    Kernels.implicitConv2dForward(x, w, bias: b, l, into: y)
                    assertSameBits(y.scalars, expected.values, "\(what) on \(level), \(t) threads, \(formName(l))")
                    for i in 0..<y.count where Swift.abs(Double(y.data[i]) - expected.exact[i]) > 1e-6 * (expected.scale[i] + 1) {
                        XCTFail("\(what): output \(i) is \(y.data[i]), exact \(expected.exact[i])")
                        break
                    }
                }
            }
        }
    }

    /// The weight gradient's chain: dW(o, kk) over positions n * area + pos ascending, from 0.
    func weightChain(_ x: Tensor, _ gy: Tensor, _ l: ConvLayout) -> Chains {
        let g = l.geometry, k = l.columnRows, area = l.mapArea
        var chains = Chains()
        for o in 0..<l.mapChannels {
            for kk in 0..<k {
                let c = kk / (l.kernelHeight * l.kernelWidth), i = kk / l.kernelWidth % l.kernelHeight, j = kk % l.kernelWidth
                for n in 0..<l.batch {
                    for p in 0..<area {
                        let oy = p / l.mapWidth, ox = p % l.mapWidth
                        let y = oy * g.stride.0 - g.padding.0 + i * g.dilation.0, xx = ox * g.stride.1 - g.padding.1 + j * g.dilation.1
                        let inside = y >= 0 && y < l.imageHeight && xx >= 0 && xx < l.imageWidth
                        let v = inside ? x.data[((n * l.imageChannels + c) * l.imageHeight + y) * l.imageWidth + xx] : 0
                        chains.add(gy.data[(n * l.mapChannels + o) * area + p], v)
                    }
                }
                chains.finish()
            }
        }
        return chains
    }

    func testWeightGradientFollowsItsChainOnEveryLevelAndThreadCount() {
        let threads = BLASInfo.threads
        defer { BLASInfo.setThreads(threads); ThinKernels.force(nil) }
        for trial in 0..<30 {
            // Positions cross the 256-long steps (trial % 3 == 0: up to 5 x 17 x 17 maps), column
            // rows the 32-wide panels and the threads' shares, maps the 8-row blocks.
            let g = Conv2dGeometry(stride: (pick(1...2), pick(1...3)), padding: (pick(0...2), pick(0...2)),
                                   dilation: (trial % 5 == 0 ? 2 : 1, trial % 7 == 0 ? 2 : 1))
            let long = trial % 3 == 0
            let xs = [pick(1...5), pick(1...9), long ? pick(20...34) : pick(2...12), long ? pick(20...34) : pick(2...15)]
            let ws = [pick(1...19), xs[1], pick(1...4), pick(1...5)]
            let l = layout(x: xs, w: ws, g)
            guard l.mapHeight > 0, l.mapWidth > 0 else { continue }
            if long { XCTAssertGreaterThan(l.batch * l.mapArea, 256) }
            let x = rng.uniform(xs, low: -1, high: 1), gy = rng.uniform([xs[0], ws[0], l.mapHeight, l.mapWidth], low: -1, high: 1)
            let what = "x\(xs) w\(ws) \(g)"
            let expected = weightChain(x, gy, l)
            for level in levels {
                XCTAssertEqual(ThinKernels.force(level), level)
                for t in [1, 2, 3] {
                    BLASInfo.setThreads(t)
                    let dw = Tensor(uninitialized: ws)
                    Kernels.implicitWeightGradient(image: x, map: gy, l, into: dw)
                    assertSameBits(dw.scalars, expected.values, "\(what) on \(level), \(t) threads")
                    for i in 0..<dw.count where Swift.abs(Double(dw.data[i]) - expected.exact[i]) > 1e-6 * (expected.scale[i] + 1) {
                        XCTFail("\(what): output \(i) is \(dw.data[i]), exact \(expected.exact[i])")
                        break
                    }
                }
            }
        }
    }

    /// Small maps as in DCGAN-28: 7x7, 5x7 and 3x3 maps, batches of 1, 5 and 33 (thread shares
    /// that fill a panel with one position's samples, several positions, or leave a ragged end),
    /// 4x4 kernels of stride 2 (the samples on the lanes by default) and 3x3 of stride 1 (not);
    /// forward in both forms and the weight gradient, each output its chain bit for bit, on every
    /// level and 1-3 threads.
    func testSmallMapsFollowTheChainsOnDCGAN28Shapes() {
        let threads = BLASInfo.threads
        defer { BLASInfo.setThreads(threads); ThinKernels.force(nil); Kernels.samplesOnLanes = nil }
        let cases: [(batch: Int, map: (Int, Int), strided: Bool)] = [
            (33, (7, 7), true), (5, (5, 7), true), (1, (3, 3), true), (5, (7, 7), false), (33, (3, 3), false), (1, (5, 7), false),
        ]
        for (batch, map, strided) in cases {
            let g = strided ? Conv2dGeometry(stride: 2, padding: 1) : Conv2dGeometry(stride: 1, padding: 1)
            let side = strided ? (2 * map.0, 2 * map.1) : map
            let xs = [batch, pick(17...40), side.0, side.1], ws = [pick(9...40), xs[1], strided ? 4 : 3, strided ? 4 : 3]
            let l = layout(x: xs, w: ws, g)
            XCTAssertEqual([l.mapHeight, l.mapWidth], [map.0, map.1])
            Kernels.samplesOnLanes = nil
            XCTAssertEqual(l.hasSamplesOnLanes, strided, "the default")
            let x = rng.uniform(xs, low: -1, high: 1), w = rng.uniform(ws, low: -1, high: 1)
            let b = rng.uniform([ws[0]], low: -1, high: 1), gy = rng.uniform([batch, ws[0], map.0, map.1], low: -1, high: 1)
            let expected = chain(x, w, b, l), expectedWeights = weightChain(x, gy, l)
            let what = "x\(xs) w\(ws) \(g)"
            for (form, level) in forms.flatMap({ f in levels.map { (f, $0) } }) {
                Kernels.samplesOnLanes = form
                XCTAssertEqual(ThinKernels.force(level), level)
                for t in [1, 2, 3] {
                    BLASInfo.setThreads(t)
                    let y = Tensor(uninitialized: [batch, ws[0], map.0, map.1]), dw = Tensor(uninitialized: ws)
                    Kernels.implicitConv2dForward(x, w, bias: b, l, into: y)
                    Kernels.implicitWeightGradient(image: x, map: gy, l, into: dw)
                    assertSameBits(y.scalars, expected.values, "\(what) on \(level), \(t) threads, \(formName(l))")
                    assertSameBits(dw.scalars, expectedWeights.values, "\(what) weights on \(level), \(t) threads")
                }
            }
            for i in expected.values.indices where Swift.abs(Double(expected.values[i]) - expected.exact[i]) > 1e-6 * (expected.scale[i] + 1) {
                XCTFail("\(what): chain \(i) is \(expected.values[i]), exact \(expected.exact[i])")
                break
            }
        }
    }

    func testDCGANMiddleLayersAreImplicitOnAVX512AndEdgeLayersAreNot() {
        defer { Kernels.implicitConvolutions = nil }
        let onAVX512 = ThinKernels.level == .avx512
        for c in KernelBench.dcgan64 + KernelBench.dcgan28 {
            let wide = !c.isThin(batch: 64) && !c.layout(batch: 64).isDense
            XCTAssertEqual(c.isImplicit(batch: 64), wide && onAVX512, c.name)
            Kernels.implicitConvolutions = true
            XCTAssertEqual(c.isImplicit(batch: 64), wide, c.name)
            Kernels.implicitConvolutions = nil
        }
        XCTAssertTrue(KernelBench.dcgan64[2].layout(batch: 64).columnRows > 64, "D.conv3 is wide")
        // Transposed convolutions (and conv2d's input gradients) by phases from 7x7 inputs up, not
        // on 4x4 ones (G.convT2, D.conv4's input gradient).
        Kernels.implicitConvolutions = true
        XCTAssertEqual(KernelBench.dcgan64.filter { $0.layout(batch: 64).isPhased }.map(\.name),
                       ["dcgan64.D.conv2", "dcgan64.D.conv3", "dcgan64.G.convT3", "dcgan64.G.convT4"])
        XCTAssertEqual(KernelBench.dcgan28.filter { $0.layout(batch: 64).isPhased }.map(\.name),
                       ["dcgan28.D.conv2", "dcgan28.G.convT1"])
        // The samples on the lanes by default only for D.conv2's forward of DCGAN-28.
        XCTAssertEqual((KernelBench.dcgan64 + KernelBench.dcgan28).filter { $0.layout(batch: 64).hasSamplesOnLanes }.map(\.name),
                       ["dcgan28.D.conv2"])
        Kernels.implicitConvolutions = nil
        // Kernels beyond GK_CONV_MAX_KERNEL stay on gemm.
        Kernels.implicitConvolutions = true
        XCTAssertFalse(layout(x: [2, 8, 40, 40], w: [16, 8, 17, 3], Conv2dGeometry()).isImplicit)
        // The logs name what the wide layers run on.
        XCTAssertEqual(Kernels.wideLayerKernels, "implicit GEMM \(ThinKernels.level)")
        XCTAssertTrue(BLASInfo.summary.hasSuffix("wide layers implicit GEMM \(ThinKernels.level)"), BLASInfo.summary)
        Kernels.implicitConvolutions = false
        XCTAssertEqual(Kernels.wideLayerKernels, "im2col + OpenBLAS")
    }

    /// conv2d (with bias), the weight gradient and convTranspose2d's fused backward, implicit
    /// against the gemm path (and conv2d against the direct loops), on 1 and 3 threads.
    func testConvolutionsMatchGemmPathAndDirectLoops() throws {
        let threads = BLASInfo.threads
        defer { BLASInfo.setThreads(threads); Kernels.implicitConvolutions = nil }
        for trial in 0..<12 {
            let g = Conv2dGeometry(stride: (pick(1...2), pick(1...2)), padding: (pick(0...2), pick(0...2)),
                                   dilation: (trial % 3 == 0 ? 2 : 1, 1))
            // At least 6 channels x 4x3 taps: 72 column rows, past the thin layers' 64.
            let xs = [pick(1...5), pick(6...12), pick(4...17), pick(4...23)], ws = [pick(1...40), xs[1], 4, pick(3...4)]
            let l = layout(x: xs, w: ws, g)
            guard l.mapHeight > 0, l.mapWidth > 0 else { continue }
            Kernels.implicitConvolutions = true
            XCTAssertTrue(l.isImplicit)
            let x = rng.uniform(xs, low: -1, high: 1), w = rng.uniform(ws, low: -1, high: 1)
            let b = rng.uniform([ws[0]], low: -1, high: 1)
            let gy = rng.uniform([xs[0], ws[0], l.mapHeight, l.mapWidth], low: -1, high: 1)
            let what = "x\(xs) w\(ws) \(g)"
            let k = (ws[2], ws[3])
            Kernels.implicitConvolutions = false
            let bound = try x.abs().conv2d(w.abs(), bias: b.abs(), geometry: g).scalars
            let byGemm = try x.conv2d(w, bias: b, geometry: g).scalars
            let direct = NaiveConv.conv(x, w, b, g)
            let weightBound = x.abs().weightGradient(gy.abs(), kernelSize: k, g).scalars
            let weightByGemm = x.weightGradient(gy, kernelSize: k, g).scalars
            Kernels.implicitConvolutions = true
            var first: [Float]?
            for t in [1, 3] {
                BLASInfo.setThreads(t)
                let y = try x.conv2d(w, bias: b, geometry: g).scalars
                if let first { assertSameBits(y, first, "\(what) on \(t) threads") }
                first = y
                for i in y.indices where Swift.abs(y[i] - byGemm[i]) > 1e-5 * (bound[i] + 1)
                    || Swift.abs(y[i] - direct[i]) > 1e-5 * (bound[i] + 1) {
                    XCTFail("\(what): output \(i) is \(y[i]), gemm path \(byGemm[i]), direct \(direct[i])")
                    break
                }
                let dw = x.weightGradient(gy, kernelSize: k, g).scalars
                for i in dw.indices where Swift.abs(dw[i] - weightByGemm[i]) > 1e-5 * (weightBound[i] + 1) {
                    XCTFail("\(what): weight gradient \(i) is \(dw[i]), gemm path \(weightByGemm[i])")
                    break
                }
                // convTranspose2d with x on its output side: its fused backward is conv2d and the
                // weight gradient, bit for bit.
                let fused = Kernels.convTransposeBackward(image: x, map: gy, w, l)
                assertSameBits(fused.dx.scalars, try x.conv2d(w, bias: nil, geometry: g).scalars, "\(what): input gradient")
                assertSameBits(fused.dw.scalars, dw, "\(what): weight gradient")
            }
        }
    }

    /// convTranspose2d forward by phases (and so conv2d's input gradient) against the gemm path
    /// and the direct loops, the same bits on every level and on 1 and 3 threads.
    func testPhasedTransposedConvolutionMatchesGemmPathAndDirectLoops() throws {
        let threads = BLASInfo.threads
        defer {
            BLASInfo.setThreads(threads)
            Kernels.implicitConvolutions = nil
            Kernels.phasedMinimumMapArea = 32
            Kernels.phasedChunkFloats = 1 << 18
            Kernels.samplesOnLanes = nil
            ThinKernels.force(nil)
        }
        Kernels.phasedMinimumMapArea = 1
        for trial in 0..<16 {
            // Odd trials one sample per chunk: several chunks in each worker's share.
            Kernels.phasedChunkFloats = trial % 2 == 1 ? 1 : 1 << 18
            // Strides 2-3 dividing kernels of 2-6, any padding below the kernel (phases whose
            // slice starts inside the input: padding above the stride), output padding.
            // Every fourth trial DCGAN's stride 2 and 4x4 kernel on a map wide enough for two
            // vectors of each column phase (the interleave's vector path).
            let wide = trial % 4 == 0
            let s = wide ? (2, 2) : (pick(2...3), pick(2...3))
            let k = wide ? (4, 4) : (s.0 * pick(1...2), s.1 * pick(1...2))
            let g = Conv2dGeometry(stride: s, padding: (pick(0...(k.0 - 1)), pick(0...(k.1 - 1))),
                                   outputPadding: (pick(0...(s.0 - 1)), pick(0...(s.1 - 1))))
            let xs = [pick(1...4), pick(1...9), pick(2...9), wide ? pick(17...20) : pick(2...11)]
            let channels = pick(1...3) * 24 / (k.0 * k.1) + 4  // image side: past 64 column rows
            let ws = [xs[1], channels, k.0, k.1]
            let out = g.transposedOutputSize(input: (xs[2], xs[3]), kernel: k)
            guard out.0 > 0, out.1 > 0 else { continue }
            let l = ConvLayout(batch: xs[0], imageChannels: channels, imageHeight: out.0, imageWidth: out.1,
                               mapChannels: xs[1], mapHeight: xs[2], mapWidth: xs[3], kernelHeight: k.0,
                               kernelWidth: k.1, geometry: g)
            Kernels.implicitConvolutions = true
            guard l.columnRows > 64 else { continue }
            XCTAssertTrue(l.isPhased, "\(l)")
            let x = rng.uniform(xs, low: -1, high: 1), w = rng.uniform(ws, low: -1, high: 1)
            let b = rng.uniform([channels], low: -1, high: 1)
            let what = "x\(xs) w\(ws) \(g)"
            Kernels.implicitConvolutions = false
            let bound = try x.abs().transposeConvolved(w.abs(), bias: b.abs(), g, outputSize: out).scalars
            let byGemm = try x.transposeConvolved(w, bias: b, g, outputSize: out).scalars
            let direct = NaiveConv.convTranspose(x, w, b, g)
            Kernels.implicitConvolutions = true
            var first: [Float]?
            for (form, level) in forms.flatMap({ f in levels.map { (f, $0) } }) {
                Kernels.samplesOnLanes = form
                XCTAssertEqual(ThinKernels.force(level), level)
                for t in [1, 3] {
                    BLASInfo.setThreads(t)
                    // The output's buffer comes back from the tensor cache: poisoned, so an output
                    // left unwritten shows.
                    _ = Tensor(repeating: .nan, shape: [xs[0], channels, out.0, out.1])
                    let y = try x.transposeConvolved(w, bias: b, g, outputSize: out).scalars
                    if let first { assertSameBits(y, first, "\(what) on \(level), \(t) threads, small maps below \(form)") }
                    first = y
                }
            }
            let y = first ?? []
            XCTAssertEqual(y.count, direct.count, what)
            for i in y.indices where Swift.abs(y[i] - byGemm[i]) > 1e-5 * (bound[i] + 1)
                || Swift.abs(y[i] - direct[i]) > 1e-5 * (bound[i] + 1) {
                XCTFail("\(what): output \(i) is \(y[i]), gemm path \(byGemm[i]), direct \(direct[i])")
                break
            }
        }
    }

    func testGradientsThroughImplicitLayers() throws {
        defer { Kernels.implicitConvolutions = nil; Kernels.samplesOnLanes = nil }
        Kernels.implicitConvolutions = true
        for form in forms {
            Kernels.samplesOnLanes = form
            try checkGradientsThroughImplicitLayers()
        }
    }

    /// First and second order gradients of conv2d and convTranspose2d on the implicit GEMMs, in
    /// the forward's form `Kernels.samplesOnLanes` selects (3x3 maps).
    func checkGradientsThroughImplicitLayers() throws {
        // 5 channels x 4x4 taps: 80 column rows, past the thin layers' 64.
        let x = rng.uniform([2, 5, 6, 6], low: -1, high: 1), w = rng.uniform([3, 5, 4, 4], low: -0.5, high: 0.5)
        let b = rng.uniform([3], low: -1, high: 1), bt = rng.uniform([5], low: -1, high: 1)
        let g = Conv2dGeometry(stride: 2, padding: 1)
        XCTAssertTrue(layout(x: x.shape, w: w.shape, g).isImplicit)
        try assertGradients([x, w, b]) { v in try v[0].conv2d(v[1], bias: v[2], geometry: g) }
        try assertSecondOrderGradients([x, w, b], firstOrderWrt: [0, 1]) { v in
            let y = try v[0].conv2d(v[1], bias: v[2], geometry: g)
            return try y * y
        }
        // The transposed convolution's backward takes conv2d's implicit product for its input gradient.
        let z = rng.uniform([2, 3, 3, 3], low: -1, high: 1)
        try assertSecondOrderGradients([z, w, bt], firstOrderWrt: [0, 1]) { v in
            let y = try v[0].convTranspose2d(v[1], bias: v[2], geometry: g)
            return try y * y
        }
    }
}
