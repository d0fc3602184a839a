import XCTest
@testable import GANTensor

/// The thin phase kernels for 1-3 image channels with stride 2, a 4x4 kernel and padding 1:
/// convTranspose2d forward (Sources/CKernels/thin_transposed.c, and so conv2d's input gradient)
/// and conv2d forward (thin_conv.c, and so convTranspose2d's input gradient). Each output's chain
/// is specified (CKernels.h), so the tests rebuild it in Float and demand the same bits on every
/// kernel level and thread count, check it against a Double reference, then the ops against the
/// column path (im2col / col2im and the small-A product) and the direct loops, and gradients.
final class ThinPhaseConvTests: XCTestCase, ThinPhaseTesting {
    let rng = RandomGenerator(seed: 53)

    typealias Chains = ImplicitConvTests.Chains

    /// convTranspose2d's chain for each output in Float (over map channels, then map rows, then
    /// map columns ascending, zero terms included, bias last), its exact value and sum of |terms|.
    func chains(_ x: Tensor, _ w: Tensor, _ b: Tensor?, _ l: ConvLayout) -> Chains {
        var chains = Chains()
        let (ci, cm, mh, mw) = (l.imageChannels, l.mapChannels, l.mapHeight, l.mapWidth)
        for n in 0..<l.batch { for o in 0..<ci { for y in 0..<l.imageHeight { for xx in 0..<l.imageWidth {
            for c in 0..<cm {
                // Kernel row i takes map row a = (y + 1 - i) / 2 when that divides: i descending is
                // a ascending (and columns alike).
                for i in stride(from: 3, through: 0, by: -1) where (y + 1 - i) % 2 == 0 {
                    for j in stride(from: 3, through: 0, by: -1) where (xx + 1 - j) % 2 == 0 {
                        let a = (y + 1 - i) / 2, bb = (xx + 1 - j) / 2
                        let inside = a >= 0 && a < mh && bb >= 0 && bb < mw
                        chains.add(w.data[((c * ci + o) * 4 + i) * 4 + j], inside ? x.data[((n * cm + c) * mh + a) * mw + bb] : 0)
                    }
                }
            }
            chains.finish(bias: b?.data[o])
        } } } }
        return chains
    }

    func testKernelFollowsItsChainOnEveryLevelAndThreadCount() {
        // Random sizes: image twice the map (plus output padding), or an odd image whose conv2d
        // map this is (the input gradient), or maps cropped or extended against the image; then
        // DCGAN's four thin layers at batch 1 (28x28 from 64 and 128 maps, 64x64 from 64).
        var cases: [(ConvLayout, String)] = []
        for trial in 0..<40 {
            let batch = trial % 4 == 0 ? 5 : pick(1...3), channels = pick(1...3), maps = pick(1...24)
            let map = (pick(1...17), pick(1...35))
            let image: (Int, Int)
            switch trial % 3 {
            case 0: image = (2 * map.0 + pick(0...1), 2 * map.1 + pick(0...1))
            case 1: image = (2 * map.0 + pick(-1...1), 2 * map.1 + pick(-1...1))
            default: image = (pick(1...40), pick(1...40))
            }
            guard image.0 > 0, image.1 > 0 else { continue }
            cases.append((layout(batch: batch, channels: channels, image: image, maps: maps, map: map), "trial \(trial)"))
        }
        cases.append((layout(batch: 5, channels: 1, image: (13, 11), maps: 7, map: (7, 6)), "13x11"))
        cases.append((layout(batch: 1, channels: 1, image: (28, 28), maps: 128, map: (14, 14)), "DCGAN-28 G.convT2"))
        cases.append((layout(batch: 2, channels: 1, image: (28, 28), maps: 64, map: (14, 14)), "DCGAN-28 D.conv1 input gradient"))
        cases.append((layout(batch: 1, channels: 3, image: (64, 64), maps: 64, map: (32, 32)), "DCGAN-64 G.convT5"))
        assertKernelFollowsChains(cases, transposed: true)
    }

    /// conv2d's chain: for each output, the taps kk = (ci * 4 + i) * 4 + j ascending from 0 over
    /// the image (0 outside), then bias.
    func convChains(_ x: Tensor, _ w: Tensor, _ b: Tensor?, _ l: ConvLayout) -> Chains {
        var chains = Chains()
        let (ci, h, wd, k) = (l.imageChannels, l.imageHeight, l.imageWidth, l.columnRows)
        for n in 0..<l.batch { for o in 0..<l.mapChannels { for y in 0..<l.mapHeight { for xx in 0..<l.mapWidth {
            for kk in 0..<k {
                let c = kk / 16, iy = 2 * y - 1 + kk / 4 % 4, ix = 2 * xx - 1 + kk % 4
                let inside = iy >= 0 && iy < h && ix >= 0 && ix < wd
                chains.add(w.data[o * k + kk], inside ? x.data[((n * ci + c) * h + iy) * wd + ix] : 0)
            }
            chains.finish(bias: b?.data[o])
        } } } }
        return chains
    }

    func testConvKernelFollowsItsChainOnEveryLevelAndThreadCount() {
        // Odd images with their conv2d maps, and maps cropped or extended against the image (as
        // adjoints give them); maps across the 16- and 8-lane vectors and the 8- and 4-channel
        // blocks; then DCGAN's thin layers at batch 1.
        var cases = randomConvLayouts(trials: 40, maxMaps: 27)
        cases.append((layout(batch: 5, channels: 1, image: (13, 11), maps: 7, map: (6, 5)), "13x11"))
        cases.append((layout(batch: 1, channels: 1, image: (28, 28), maps: 64, map: (14, 14)), "DCGAN-28 D.conv1"))
        cases.append((layout(batch: 2, channels: 1, image: (28, 28), maps: 128, map: (14, 14)), "DCGAN-28 G.convT2 input gradient"))
        cases.append((layout(batch: 1, channels: 3, image: (64, 64), maps: 64, map: (32, 32)), "DCGAN-64 D.conv1"))
        assertKernelFollowsChains(cases, transposed: false)
    }

    /// For each case: random operands, the kernel (transposed: thin_transposed.c from the map,
    /// else thin_conv.c from the image) on every level and 1-3 threads against the chain, bit for
    /// bit and within rounding of the exact value; conv2d also against the column path's bits.
    func assertKernelFollowsChains(_ cases: [(ConvLayout, String)], transposed: Bool,
                                   file: StaticString = #filePath, line: UInt = #line) {
        let threads = BLASInfo.threads
        defer { BLASInfo.setThreads(threads); ThinKernels.force(nil); Kernels.thinPhasedConvolutions = true }
        for (l, name) in cases {
            XCTAssertTrue(l.isThinPhased, name, file: file, line: line)
            let mapShape = [l.batch, l.mapChannels, l.mapHeight, l.mapWidth]
            let imageShape = [l.batch, l.imageChannels, l.imageHeight, l.imageWidth]
            let (inShape, outShape) = transposed ? (mapShape, imageShape) : (imageShape, mapShape)
            let x = rng.uniform(inShape, low: -1, high: 1), w = rng.uniform([l.mapChannels, l.imageChannels, 4, 4], low: -1, high: 1)
            let b = l.batch % 2 == 0 ? nil : rng.uniform([outShape[1]], low: -1, high: 1)
            let what = "\(name): \(inShape) -> \(outShape)"
            let expected = transposed ? chains(x, w, b, l) : convChains(x, w, b, l)
            let run = { (y: Tensor) in
                if transposed {
                    Kernels.thinPhasedConvTranspose2dForward(x, w, bias: b, l, into: y)
                } else {
                    Kernels.thinPhasedConv2dForward(x, w, bias: b, l, into: y)
                }
            }
            for level in levels {
                XCTAssertEqual(ThinKernels.force(level), level, file: file, line: line)
                for t in [1, 2, 3] {
                    BLASInfo.setThreads(t)
                    let y = Tensor(repeating: .nan, shape: outShape)  // an output left unwritten shows
                    run(y)
                    let got = y.scalars
                    if let i = got.indices.first(where: { got[$0].bitPattern != expected.values[$0].bitPattern }) {
                        XCTFail("\(what) on \(level), \(t) threads: output \(i) is \(got[i]), chain \(expected.values[i])",
                                file: file, line: line)
                    }
                    if let i = got.indices.first(where: { Swift.abs(Double(got[$0]) - expected.exact[$0]) > 1e-6 * (expected.scale[$0] + 1) }) {
                        XCTFail("\(what) on \(level): output \(i) is \(got[i]), exact \(expected.exact[i])", file: file, line: line)
                    }
                }
                guard !transposed else { continue }
                // The small-A product of the columns runs conv2d's chain: the same bits.
                Kernels.thinPhasedConvolutions = false
                let columns = Tensor(repeating: .nan, shape: outShape)
                Kernels.thinConv2dForward(x, w, bias: b, l, into: columns)
                Kernels.thinPhasedConvolutions = true
                XCTAssertEqual(columns.scalars.map(\.bitPattern), expected.values.map(\.bitPattern), "\(what): column path on \(level)",
                               file: file, line: line)
            }
        }
    }

    func testLayoutsTheKernelTakesAndDeclines() {
        defer { Kernels.thinPhasedConvolutions = true; Kernels.thinConvolutions = true }
        // DCGAN's thin layers take it (a transposed layer's image side is its output).
        for c in [KernelBench.dcgan28[0], KernelBench.dcgan28[3], KernelBench.dcgan64[0], KernelBench.dcgan64[8]] {
            XCTAssertTrue(c.layout(batch: 64).isThinPhased, c.name)
        }
        for c in KernelBench.dcgan28 + KernelBench.dcgan64 where !c.isThin(batch: 64) {
            XCTAssertFalse(c.layout(batch: 64).isThinPhased, c.name)
        }
        // Other geometries, 4 image channels, or the switches off: the small-A path.
        let declined: [(ConvLayout, String)] = [
            (layout(batch: 2, channels: 1, image: (14, 14), maps: 8, map: (14, 14), Conv2dGeometry(stride: 1, padding: 1)), "stride 1"),
            (layout(batch: 2, channels: 1, image: (14, 14), maps: 8, map: (6, 6), Conv2dGeometry(stride: 2, padding: 0)), "padding 0"),
            (layout(batch: 2, channels: 1, image: (14, 14), maps: 8, map: (7, 7), Conv2dGeometry(stride: 2, padding: 2)), "padding 2"),
            (layout(batch: 2, channels: 1, image: (14, 14), maps: 8, map: (6, 6),
                    Conv2dGeometry(stride: 2, padding: 1, dilation: 2)), "dilation 2"),
            (layout(batch: 2, channels: 1, image: (14, 14), maps: 8, map: (5, 5), Conv2dGeometry(stride: 3, padding: 1)), "stride 3"),
            (layout(batch: 2, channels: 4, image: (14, 14), maps: 8, map: (7, 7)), "4 channels"),
        ]
        for (l, name) in declined {
            XCTAssertTrue(l.isThin, name)
            XCTAssertFalse(l.isThinPhased, name)
        }
        let k3 = ConvLayout(batch: 2, imageChannels: 1, imageHeight: 14, imageWidth: 14, mapChannels: 8, mapHeight: 7,
                            mapWidth: 7, kernelHeight: 3, kernelWidth: 3, geometry: dcgan)
        XCTAssertFalse(k3.isThinPhased, "3x3 kernel")
        let dcgan28 = KernelBench.dcgan28[3].layout(batch: 64)
        Kernels.thinPhasedConvolutions = false
        XCTAssertFalse(dcgan28.isThinPhased)
        Kernels.thinPhasedConvolutions = true
        Kernels.thinConvolutions = false
        XCTAssertFalse(dcgan28.isThinPhased)
    }

    /// convTranspose2d and conv2d (with bias) and their input gradients through the ops against
    /// the column path and the direct loops, on 1 and 3 threads.
    func testOpsMatchColumnPathAndDirectLoops() throws {
        let threads = BLASInfo.threads
        defer { BLASInfo.setThreads(threads); Kernels.thinPhasedConvolutions = true }
        for trial in 0..<12 {
            let batch = trial % 3 == 0 ? 5 : pick(1...2), channels = pick(1...3), maps = pick(1...40)
            let z = rng.uniform([batch, maps, pick(1...16), pick(1...16)], low: -1, high: 1)
            let w = rng.uniform([maps, channels, 4, 4], low: -1, high: 1), b = rng.uniform([channels], low: -1, high: 1)
            // conv2d of an odd image: its input gradient is a transposed convolution onto it.
            let x = rng.uniform([batch, channels, pick(4...21), pick(4...21)], low: -1, high: 1)
            let wc = rng.uniform([maps, channels, 4, 4], low: -1, high: 1)
            let what = "z\(z.shape) x\(x.shape) w\(w.shape)"
            let b0 = rng.uniform([maps], low: -1, high: 1)
            let zy = rng.uniform([batch, channels, 2 * z.shape[2], 2 * z.shape[3]], low: -1, high: 1)
            let y0 = try x.conv2d(wc, geometry: dcgan)
            let gy = rng.uniform(y0.shape, low: -1, high: 1)
            let inputGradient = {
                try gy.transposeConvolved(wc, bias: nil, self.dcgan, outputSize: (x.shape[2], x.shape[3])).scalars
            }
            Kernels.thinPhasedConvolutions = false
            let bound = try z.abs().convTranspose2d(w.abs(), bias: b.abs(), geometry: dcgan).scalars
            let byColumns = try z.convTranspose2d(w, bias: b, geometry: dcgan).scalars
            let gradientBound = try gy.abs().transposeConvolved(wc.abs(), bias: nil, dcgan, outputSize: (x.shape[2], x.shape[3])).scalars
            let gradientByColumns = try inputGradient()
            Kernels.thinPhasedConvolutions = true
            let direct = NaiveConv.convTranspose(z, w, b, dcgan)
            // conv2d forward and convTranspose2d's input gradient take thin_conv.c: the column
            // path's chain, so its bits.
            Kernels.thinPhasedConvolutions = false
            let convByColumns = try x.conv2d(wc, bias: b0, geometry: dcgan).scalars
            let zGradientByColumns = try zy.convolved(w, bias: nil, dcgan, outputSize: (z.shape[2], z.shape[3])).scalars
            Kernels.thinPhasedConvolutions = true
            let convDirect = NaiveConv.conv(x, wc, b0, dcgan)
            for t in [1, 3] {
                BLASInfo.setThreads(t)
                let y = try z.convTranspose2d(w, bias: b, geometry: dcgan).scalars
                XCTAssertEqual(y.count, direct.count, what)
                for i in y.indices where Swift.abs(y[i] - byColumns[i]) > 1e-5 * (bound[i] + 1)
                    || Swift.abs(y[i] - direct[i]) > 1e-5 * (bound[i] + 1) {
                    XCTFail("\(what) on \(t) threads: output \(i) is \(y[i]), columns \(byColumns[i]), direct \(direct[i])")
                    break
                }
                let conv = try x.conv2d(wc, bias: b0, geometry: dcgan).scalars
                XCTAssertEqual(conv.map(\.bitPattern), convByColumns.map(\.bitPattern), "\(what) conv2d on \(t) threads")
                for i in conv.indices where Swift.abs(Double(conv[i]) - Double(convDirect[i])) > 1e-4 {
                    XCTFail("\(what) on \(t) threads: conv2d output \(i) is \(conv[i]), direct \(convDirect[i])")
                    break
                }
                let zGradient = try zy.convolved(w, bias: nil, dcgan, outputSize: (z.shape[2], z.shape[3])).scalars
                XCTAssertEqual(zGradient.map(\.bitPattern), zGradientByColumns.map(\.bitPattern), "\(what) convTranspose2d input gradient")
                let dx = try inputGradient()
                for i in dx.indices where Swift.abs(dx[i] - gradientByColumns[i]) > 1e-5 * (gradientBound[i] + 1) {
                    XCTFail("\(what) on \(t) threads: input gradient \(i) is \(dx[i]), columns \(gradientByColumns[i])")
                    break
                }
            }
        }
    }

    /// First and second derivatives with the phase kernel in use: conv2d's input gradient (the
    /// WGAN-GP penalty's double backward through the critic's first layer) and convTranspose2d.
    func testGradientsThroughThePhaseKernel() throws {
        let x = rng.uniform([2, 1, 7, 6], low: -1, high: 1), w = rng.uniform([3, 1, 4, 4], low: -0.5, high: 0.5)
        let b = rng.uniform([3], low: -1, high: 1)
        XCTAssertTrue(layout(batch: 2, channels: 1, image: (7, 6), maps: 3, map: (3, 3)).isThinPhased)
        try assertGradients([x, w, b]) { v in try v[0].conv2d(v[1], bias: v[2], geometry: self.dcgan) }
        try assertSecondOrderGradients([x, w, b], firstOrderWrt: [0, 1]) { v in
            let y = try v[0].conv2d(v[1], bias: v[2], geometry: self.dcgan)
            return try y * y
        }
        let z = rng.uniform([2, 4, 3, 3], low: -1, high: 1), wt = rng.uniform([4, 3, 4, 4], low: -0.5, high: 0.5)
        let bt = rng.uniform([3], low: -1, high: 1)
        XCTAssertTrue(layout(batch: 2, channels: 3, image: (6, 6), maps: 4, map: (3, 3)).isThinPhased)
        try assertGradients([z, wt, bt]) { v in try v[0].convTranspose2d(v[1], bias: v[2], geometry: self.dcgan) }
        try assertSecondOrderGradients([z, wt, bt], firstOrderWrt: [0, 1]) { v in
            let y = try v[0].convTranspose2d(v[1], bias: v[2], geometry: self.dcgan)
            return try y * y
        }
    }
}
