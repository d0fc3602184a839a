import XCTest
@testable import GANTensor

/// Direct-loop references, written from the definitions (PyTorch's Conv2d / ConvTranspose2d docs):
/// conv       y[n,o,a,b]  = bias[o] + sum_{c,i,j} x[n,c, a*sh-ph+i*dh, b*sw-pw+j*dw] w[o,c,i,j]
/// transposed y[n,o, a*sh-ph+i*dh, b*sw-pw+j*dw] += x[n,c,a,b] w[c,o,i,j]   (from bias[o])
enum NaiveConv {
    static func conv(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ g: Conv2dGeometry) -> [Float] {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let (ho, wo) = g.convOutputSize(input: (h, wd), kernel: (kh, kw))
        var y = [Float](repeating: 0, count: n * o * ho * wo)
        for s in 0..<n { for oc in 0..<o { for a in 0..<ho { for b in 0..<wo {
            var acc = Double(bias?.data[oc] ?? 0)
            for ic in 0..<c { for i in 0..<kh { for j in 0..<kw {
                let r = a * g.stride.0 - g.padding.0 + i * g.dilation.0
                let q = b * g.stride.1 - g.padding.1 + j * g.dilation.1
                guard r >= 0, r < h, q >= 0, q < wd else { continue }
                acc += Double(x.data[((s * c + ic) * h + r) * wd + q]) * Double(w.data[((oc * c + ic) * kh + i) * kw + j])
            } } }
            y[((s * o + oc) * ho + a) * wo + b] = Float(acc)
        } } } }
        return y
    }

    static func convTranspose(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ g: Conv2dGeometry) -> [Float] {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, kh, kw) = (w.shape[1], w.shape[2], w.shape[3])
        let (ho, wo) = g.transposedOutputSize(input: (h, wd), kernel: (kh, kw))
        var y = [Double](repeating: 0, count: n * o * ho * wo)
        for s in 0..<n { for oc in 0..<o { for p in 0..<(ho * wo) { y[(s * o + oc) * ho * wo + p] = Double(bias?.data[oc] ?? 0) } } }
        for s in 0..<n { for ic in 0..<c { for a in 0..<h { for b in 0..<wd {
            for oc in 0..<o { for i in 0..<kh { for j in 0..<kw {
                let r = a * g.stride.0 - g.padding.0 + i * g.dilation.0
                let q = b * g.stride.1 - g.padding.1 + j * g.dilation.1
                guard r >= 0, r < ho, q >= 0, q < wo else { continue }
                y[((s * o + oc) * ho + r) * wo + q] += Double(x.data[((s * c + ic) * h + a) * wd + b])
                    * Double(w.data[((ic * o + oc) * kh + i) * kw + j])
            } } }
        } } } }
        return y.map(Float.init)
    }

    /// The weight gradient of conv2d(image, w) for the map's gradient:
    /// dw[m,c,i,j] = sum_{n,a,b} image[n,c, a*sh-ph+i*dh, b*sw-pw+j*dw] map[n,m,a,b]
    /// (also convTranspose2d's weight gradient, with its output gradient as the image).
    static func weightGradient(image x: Tensor, map gy: Tensor, kernel: (Int, Int), _ g: Conv2dGeometry) -> [Float] {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (m, ho, wo) = (gy.shape[1], gy.shape[2], gy.shape[3])
        var dw = [Double](repeating: 0, count: m * c * kernel.0 * kernel.1)
        for s in 0..<n { for mc in 0..<m { for a in 0..<ho { for b in 0..<wo {
            for ic in 0..<c { for i in 0..<kernel.0 { for j in 0..<kernel.1 {
                let r = a * g.stride.0 - g.padding.0 + i * g.dilation.0
                let q = b * g.stride.1 - g.padding.1 + j * g.dilation.1
                guard r >= 0, r < h, q >= 0, q < wd else { continue }
                dw[((mc * c + ic) * kernel.0 + i) * kernel.1 + j] += Double(x.data[((s * c + ic) * h + r) * wd + q])
                    * Double(gy.data[((s * m + mc) * ho + a) * wo + b])
            } } }
        } } } }
        return dw.map(Float.init)
    }
}

final class ConvTests: XCTestCase {
    let rng = RandomGenerator(seed: 11)

    /// Runs `body` with the whole batch in one group and with one sample per group, each on one
    /// thread (one worker, the gemm split by stripes) and on three (the batch shared by up to
    /// three workers, uneven shares included), with thin layers on `ThinKernels` and on gemm.
    func withEveryKernelPath(_ body: () throws -> Void) rethrows {
        let budget = Kernels.convColumnBudget, threads = BLASInfo.threads
        defer { Kernels.convColumnBudget = budget; BLASInfo.setThreads(threads); Kernels.thinConvolutions = true }
        for t in [1, 3] {
            BLASInfo.setThreads(t)
            for columns in [budget, 1] {
                Kernels.convColumnBudget = columns
                for thin in [true, false] {
                    Kernels.thinConvolutions = thin
                    try body()
                }
            }
        }
    }

    func assertClose(_ a: [Float], _ b: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        let worst = zip(a, b).map { Swift.abs($0 - $1) }.max() ?? 0
        XCTAssertLessThan(worst, 1e-4, what, file: file, line: line)
    }

    static let convCases: [Case] = [
        ([2, 3, 7, 9], [4, 3, 3, 3], Conv2dGeometry(stride: 2, padding: 1)),
        ([1, 2, 8, 5], [3, 2, 3, 2], Conv2dGeometry(padding: 2, dilation: 2)),
        ([3, 2, 9, 6], [2, 2, 2, 3], Conv2dGeometry(stride: (2, 1), padding: (1, 0), dilation: (1, 2))),
        ([3, 2, 20, 17], [5, 2, 3, 3], Conv2dGeometry(padding: 1)),
        ([2, 1, 28, 28], [4, 1, 4, 4], Conv2dGeometry(stride: 2, padding: 1)),
        ([3, 4, 4, 3], [5, 4, 4, 3], Conv2dGeometry(stride: 2)),  // kernel covers the image: dense
        // Maps 16 and more wide with column stride 2 unfold row by row, four positions a step:
        // odd widths leave scalar tails, and the last taps run out of image row before the map ends.
        ([2, 2, 37, 35], [3, 2, 4, 4], Conv2dGeometry(stride: 2, padding: 1)),
        ([1, 2, 9, 40], [2, 2, 3, 3], Conv2dGeometry(stride: (1, 2), padding: (1, 3), dilation: (1, 2))),
    ]

    static let transposedCases: [Case] = [
        ([2, 3, 4, 5], [3, 2, 3, 3], Conv2dGeometry(stride: 2, padding: 1, outputPadding: 1)),
        ([1, 2, 5, 3], [2, 3, 3, 2], Conv2dGeometry(padding: 1, dilation: 2, outputPadding: 1)),
        ([2, 2, 3, 4], [2, 2, 4, 3], Conv2dGeometry(stride: (3, 2), padding: (1, 2), dilation: (1, 2), outputPadding: (2, 0))),
        ([3, 4, 1, 1], [4, 3, 4, 4], Conv2dGeometry()),  // DCGAN's first generator layer: dense
        ([2, 4, 1, 1], [4, 3, 3, 3], Conv2dGeometry(padding: 1)),  // padded: not dense
        ([2, 3, 14, 14], [3, 2, 4, 4], Conv2dGeometry(stride: 2, padding: 1)),
        ([2, 3, 16, 17], [3, 2, 4, 4], Conv2dGeometry(stride: 2, padding: 1, outputPadding: 1)),  // row-wise col2im
    ]

    typealias Case = (x: [Int], w: [Int], g: Conv2dGeometry)

    /// Each case with and without bias, on every kernel path, against the direct loop; the output
    /// shape must be [N, w.shape[outAxis], size(x, w)].
    func assertMatchesDirectLoop(_ cases: [Case], outAxis: Int,
                                 _ op: (Tensor, Tensor, Tensor?, Conv2dGeometry) throws -> Tensor,
                                 reference: (Tensor, Tensor, Tensor?, Conv2dGeometry) -> [Float],
                                 size: (Conv2dGeometry, (Int, Int), (Int, Int)) -> (Int, Int)) throws {
        for (xs, ws, g) in cases {
            let x = rng.uniform(xs, low: -1, high: 1), w = rng.uniform(ws, low: -1, high: 1)
            let b = rng.uniform([ws[outAxis]], low: -1, high: 1)
            let (expected, expectedPlain) = (reference(x, w, b, g), reference(x, w, nil, g))
            let (ho, wo) = size(g, (xs[2], xs[3]), (ws[2], ws[3]))
            try withEveryKernelPath {
                let y = try op(x, w, b, g)
                XCTAssertEqual(y.shape, [xs[0], ws[outAxis], ho, wo])
                assertClose(y.scalars, expected, "x\(xs) w\(ws) \(g)")
                assertClose(try op(x, w, nil, g).scalars, expectedPlain, "x\(xs) w\(ws) \(g) without bias")
            }
        }
    }

    func testConv2dMatchesDirectLoop() throws {
        try assertMatchesDirectLoop(Self.convCases, outAxis: 0, { try $0.conv2d($1, bias: $2, geometry: $3) },
                                    reference: NaiveConv.conv, size: { $0.convOutputSize(input: $1, kernel: $2) })
        // The square-parameter overload is the same op.
        let x = rng.uniform([1, 2, 6, 6]), w = rng.uniform([3, 2, 3, 3])
        XCTAssertEqual(try x.conv2d(w, stride: 2, padding: 1, dilation: 2).scalars,
                       try x.conv2d(w, geometry: Conv2dGeometry(stride: 2, padding: 1, dilation: 2)).scalars)
    }

    func testConvTranspose2dMatchesDirectLoop() throws {
        try assertMatchesDirectLoop(Self.transposedCases, outAxis: 1, { try $0.convTranspose2d($1, bias: $2, geometry: $3) },
                                    reference: NaiveConv.convTranspose, size: { $0.transposedOutputSize(input: $1, kernel: $2) })
        let x = rng.uniform([1, 2, 3, 3]), w = rng.uniform([2, 3, 4, 4])
        XCTAssertEqual(try x.convTranspose2d(w, stride: 2, padding: 1, outputPadding: 1).shape, [1, 3, 7, 7])
    }

    func testWeightGradMatchesAdjointIdentity() throws {
        // <conv2d(x, w), gy> = <w, convWeightGrad(x, gy)> for every w, so with w = e_k the weight
        // gradient's entry k is the conv of x with a one-hot kernel, projected on gy.
        let g = Conv2dGeometry(stride: (2, 1), padding: (1, 2), dilation: (2, 1))
        let x = rng.uniform([2, 3, 7, 6], low: -1, high: 1)
        let y = try x.conv2d(Tensor(zeros: [2, 3, 3, 2]), geometry: g)
        let gy = rng.uniform(y.shape, low: -1, high: 1)
        try withEveryKernelPath {
            let dw = try x.convWeightGrad(gy, kernelSize: (3, 2), geometry: g)
            XCTAssertEqual(dw.shape, [2, 3, 3, 2])
            var expected = [Float]()
            for k in 0..<dw.count {
                let onehot = Tensor(zeros: dw.shape)
                onehot.data[k] = 1
                let yk = NaiveConv.conv(x, onehot, nil, g)
                expected.append(Float(zip(yk, gy.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }))
            }
            assertClose(dw.scalars, expected, "convWeightGrad")
            // The workers' sums are added in a fixed order: identical run to run.
            XCTAssertEqual(try x.convWeightGrad(gy, kernelSize: (3, 2), geometry: g).scalars, dw.scalars)
        }
    }

    func testConv2dGradients() throws {
        let x = rng.uniform([2, 2, 5, 4], low: -1, high: 1)
        let w = rng.uniform([3, 2, 3, 2], low: -1, high: 1), b = rng.uniform([3], low: -1, high: 1)
        for g in [Conv2dGeometry(stride: 2, padding: 1), Conv2dGeometry(stride: (1, 2), padding: (2, 1), dilation: (2, 1))] {
            try assertGradients([x, w, b]) { v in try v[0].conv2d(v[1], bias: v[2], geometry: g) }
        }
        // Input sizes the stride does not divide: the last rows/columns never reach an output.
        let odd = rng.uniform([1, 2, 6, 7], low: -1, high: 1)
        try assertGradients([odd, w]) { v in try v[0].conv2d(v[1], stride: 2) }
    }

    func testConvTranspose2dGradients() throws {
        let x = rng.uniform([2, 3, 3, 4], low: -1, high: 1)
        let w = rng.uniform([3, 2, 3, 3], low: -1, high: 1), b = rng.uniform([2], low: -1, high: 1)
        let geometries = [Conv2dGeometry(stride: 2, padding: 1, outputPadding: 1),
                          Conv2dGeometry(padding: 1, dilation: 2, outputPadding: 1),  // output padding >= stride
                          Conv2dGeometry(stride: (2, 3), padding: (0, 1), outputPadding: (1, 2))]
        for g in geometries {
            try assertGradients([x, w, b]) { v in try v[0].convTranspose2d(v[1], bias: v[2], geometry: g) }
        }
        // From 1x1, the fully connected fast path, and its adjoints (a dense conv and weight gradient).
        let z = rng.uniform([3, 3, 1, 1], low: -1, high: 1)
        try assertSecondOrderGradients([z, w, b], firstOrderWrt: [0, 1]) { v in
            let y = try v[0].convTranspose2d(v[1], bias: v[2])
            return try y * y
        }
    }

    func testConvWeightGradGradients() throws {
        let g = Conv2dGeometry(stride: (2, 2), padding: (1, 1), dilation: (1, 2))
        let x = rng.uniform([2, 2, 5, 6], low: -1, high: 1)
        let gy = rng.uniform(try x.conv2d(Tensor(zeros: [3, 2, 2, 2]), geometry: g).shape, low: -1, high: 1)
        try assertGradients([x, gy]) { v in try v[0].convWeightGrad(v[1], kernelSize: (2, 2), geometry: g) }
    }

    func testSecondOrderThroughConvolutions() throws {
        // Squaring makes every first derivative depend on x and w, so all three ops' backwards
        // are differentiated.
        let x = rng.uniform([2, 2, 5, 4], low: -1, high: 1)
        let w = rng.uniform([2, 2, 3, 3], low: -1, high: 1), b = rng.uniform([2], low: -1, high: 1)
        let g = Conv2dGeometry(stride: 2, padding: 1)
        try assertSecondOrderGradients([x, w, b], firstOrderWrt: [0, 1]) { v in
            let y = try v[0].conv2d(v[1], bias: v[2], geometry: g)
            return try y * y
        }
        let t = rng.uniform([2, 2, 3, 2], low: -1, high: 1)
        let gt = Conv2dGeometry(stride: 2, padding: 1, outputPadding: 1)
        try assertSecondOrderGradients([t, w, b], firstOrderWrt: [0, 1]) { v in
            let y = try v[0].convTranspose2d(v[1], bias: v[2], geometry: gt)
            return try y * y
        }
    }

    func testGradientPenaltyThroughTwoConvLayers() throws {
        // WGAN-GP's shape: the gradient of a critic with respect to its input, differentiated
        // with respect to the input and both weights.
        let x = rng.uniform([2, 1, 6, 6], low: -1, high: 1)
        let w1 = rng.uniform([3, 1, 3, 3], low: -1, high: 1), w2 = rng.uniform([2, 3, 3, 3], low: -0.5, high: 0.5)
        try assertSecondOrderGradients([x, w1, w2], firstOrderWrt: [0]) { v in
            try v[0].conv2d(v[1], stride: 2, padding: 1).tanh().conv2d(v[2], padding: 1)
        }
    }

    func testShapeErrorsNameBothShapes() {
        let x = Tensor(zeros: [2, 3, 5, 5])
        let cases: [(() throws -> Tensor, [String])] = [
            ({ try x.conv2d(Tensor(zeros: [4, 2, 3, 3])) }, ["[2, 3, 5, 5]", "[4, 2, 3, 3]"]),
            ({ try x.conv2d(Tensor(zeros: [4, 3, 3])) }, ["[2, 3, 5, 5]", "[4, 3, 3]"]),
            ({ try x.conv2d(Tensor(zeros: [4, 3, 7, 7])) }, ["[2, 3, 5, 5]", "[4, 3, 7, 7]"]),
            ({ try x.conv2d(Tensor(zeros: [4, 3, 3, 3]), bias: Tensor(zeros: [3])) }, ["[4, 3, 3, 3]", "[3]"]),
            ({ try x.convTranspose2d(Tensor(zeros: [4, 3, 3, 3])) }, ["[2, 3, 5, 5]", "[4, 3, 3, 3]"]),
            ({ try x.convTranspose2d(Tensor(zeros: [3, 2, 3, 3]), bias: Tensor(zeros: [3])) }, ["[3, 2, 3, 3]", "[3]"]),
            ({ try x.convWeightGrad(Tensor(zeros: [1, 4, 3, 3]), kernelSize: (3, 3), geometry: Conv2dGeometry()) },
             ["[2, 3, 5, 5]", "[1, 4, 3, 3]"]),
            ({ try x.conv2d(Tensor(zeros: [4, 3, 3, 3]), stride: 0) }, ["stride"]),
            ({ try x.convTranspose2d(Tensor(zeros: [3, 2, 3, 3]), stride: 2, outputPadding: 2) }, ["output padding"]),
        ]
        for (i, (call, fragments)) in cases.enumerated() {
            XCTAssertThrowsError(try call(), "case \(i)") { error in
                for f in fragments { XCTAssertTrue("\(error)".contains(f), "case \(i): \(error) lacks \(f)") }
            }
        }
    }

    func testModulesFollowPyTorch() throws {
        let rng = RandomGenerator(seed: 4)
        let conv = Conv2d(3, 8, kernel: 4, stride: 2, padding: 1, rng: rng)
        let convT = ConvTranspose2d(8, 3, kernel: 4, stride: 2, padding: 1, rng: rng)
        let net = Sequential(conv, ConvTranspose2d(8, 5, kernel: 3, bias: false, rng: rng), convT)
        XCTAssertEqual(net.stateDict().map(\.0), ["0.weight", "0.bias", "1.weight", "2.weight", "2.bias"])
        XCTAssertEqual(net.stateDict().map(\.1.shape), [[8, 3, 4, 4], [8], [8, 5, 3, 3], [8, 3, 4, 4], [3]])
        // Init bounds 1/sqrt(fan_in): in*k*k for Conv2d, weight.size(1)*k*k = out*k*k for ConvTranspose2d.
        for (t, fanIn) in [(conv.weight, 48), (conv.bias!, 48), (convT.weight, 48), (convT.bias!, 48)] {
            let bound = 1 / Float(fanIn).squareRoot(), m = t.scalars.map(Swift.abs).max()!
            XCTAssertLessThanOrEqual(m, bound)
            XCTAssertGreaterThan(m, (t.count > 10 ? 0.9 : 0.3) * bound)
        }
        // With in != out the two fan-in conventions differ: 10*3*3 (PyTorch) against 2*3*3.
        let wide = ConvTranspose2d(2, 10, kernel: 3, rng: rng)
        let wideMax = wide.weight.scalars.map(Swift.abs).max()!
        XCTAssertLessThanOrEqual(wideMax, 1 / Float(90).squareRoot())
        XCTAssertGreaterThan(wideMax, 0.9 / Float(90).squareRoot())

        let x = rng.uniform([2, 3, 16, 16])
        let y = try conv(x)
        XCTAssertEqual(y.shape, [2, 8, 8, 8])
        XCTAssertEqual(try convT(y).shape, [2, 3, 16, 16])
        XCTAssertEqual(y.scalars, try x.conv2d(conv.weight, bias: conv.bias, stride: 2, padding: 1).scalars)
        // A replaced weight is used instead of the module's own.
        let yZero = try conv.forward(x, weight: Tensor(zeros: conv.weight.shape))
        XCTAssertEqual(yZero.scalars, try conv.bias!.reshaped([1, 8, 1, 1]).expanded(to: [2, 8, 8, 8]).scalars)
        let tZero = try convT.forward(y, weight: Tensor(zeros: convT.weight.shape))
        XCTAssertEqual(tZero.scalars, try convT.bias!.reshaped([1, 3, 1, 1]).expanded(to: [2, 3, 16, 16]).scalars)
    }

    func testBenchmarkRecordsAreWellFormed() throws {
        let records = try KernelBench.convolution(KernelBench.dcgan28[2], batch: 2, repeats: 1)
        XCTAssertEqual(records.map(\.name), ["dcgan28.G.convT1.forward", "dcgan28.G.convT1.backward"])
        XCTAssertTrue(records[0].shape.contains("[2, 128, 14, 14]"), records[0].shape)
        XCTAssertTrue(records.allSatisfy { $0.seconds > 0 && $0.gflops > 0 })
        XCTAssertFalse(BLASInfo.coreName.isEmpty)
        // The backward's two products apart: each half the backward's multiply-adds.
        let split = try KernelBench.convolution(KernelBench.dcgan28[3], batch: 2, repeats: 1, splitBackward: true)
        XCTAssertEqual(split.map(\.name), ["forward", "backward", "backward.input", "backward.weight"].map { "dcgan28.G.convT2." + $0 })
        XCTAssertEqual(split[2].gflops * split[2].seconds, split[1].gflops * split[1].seconds / 2, accuracy: 1e-9)
        XCTAssertEqual(split[3].gflops * split[3].seconds, split[0].gflops * split[0].seconds, accuracy: 1e-9)
    }

    func testBenchmarkLayerFilter() throws {
        // Only the named layers (each after its memory copy and sgemm reference), and a prefix
        // matching none is an error.
        let records = try KernelBench.all(batch: 2, repeats: 1, layers: ["dcgan64.G.convT5"])
        XCTAssertEqual(records.map(\.name).filter { !$0.hasSuffix("gemm_path") },
                       ["copy", "sgemm", "dcgan64.G.convT5.forward", "dcgan64.G.convT5.backward"])
        // Two layers, two sgemm cases: each layer's median share is against the two rates' mean.
        let two = try KernelBench.all(batch: 2, repeats: 1, layers: ["dcgan28.D.conv1", "dcgan64.G.convT1"])
        let rates = two.filter { $0.name == "sgemm" }.map(\.gflops)
        XCTAssertEqual(rates.count, 2)
        XCTAssertEqual(two.filter { $0.name == "copy" }.count, 2)
        for r in two where r.name != "sgemm" && r.name != "copy" {
            XCTAssertEqual(try XCTUnwrap(r.sgemmMedianShare), r.gflops / ((rates[0] + rates[1]) / 2), accuracy: 1e-12)
        }
        XCTAssertThrowsError(try KernelBench.all(batch: 2, repeats: 1, layers: ["dcgan99"])) { error in
            XCTAssertTrue("\(error)".contains("dcgan99"), "\(error)")
        }
    }

    func testBenchmarkCopyMovesItsBytes() throws {
        // The memory case: bytes read plus written per second, on any size and thread count.
        for threads in [1, 2] {
            let saved = BLASInfo.threads
            BLASInfo.setThreads(threads)
            defer { BLASInfo.setThreads(saved) }
            let src = RandomGenerator(seed: 5).uniform([1001]), dst = Tensor(zeros: [1001])
            let r = KernelBench.timedCopy(src, into: dst, repeats: 3)
            XCTAssertEqual(dst.scalars, src.scalars)
            XCTAssertEqual(r.name, "copy")
            XCTAssertGreaterThan(r.seconds, 0)
            XCTAssertEqual(try XCTUnwrap(r.gigabytesPerSecond) * r.seconds * 1e9, 2 * 4 * 1001, accuracy: 1e-6)
            XCTAssertEqual(r.gflops, 0)
        }
    }

    func testBenchmarkRoundsTakeEachCasesMedian() throws {
        // Three rounds of one layer: the same records as one round, each the median of its three
        // times at the same operation count, shares against the merged sgemm before it.
        let one = try KernelBench.all(batch: 2, repeats: 1, layers: ["dcgan64.G.convT5"])
        let three = try KernelBench.all(batch: 2, repeats: 1, layers: ["dcgan64.G.convT5"], rounds: 3)
        XCTAssertEqual(three.map(\.name), one.map(\.name))
        var reference = 0.0
        for (r, single) in zip(three, one) {
            let times = try XCTUnwrap(r.roundSeconds, r.name)
            XCTAssertEqual(times.count, 3, r.name)
            XCTAssertEqual(r.seconds, times.sorted()[1], r.name)
            XCTAssertEqual(r.gflops * r.seconds, single.gflops * single.seconds, accuracy: 1e-9 * single.gflops * single.seconds, r.name)
            if r.name == "copy" {
                // The bytes moved, at the median time: both tensors of 2^24 floats.
                XCTAssertEqual(try XCTUnwrap(r.gigabytesPerSecond) * r.seconds * 1e9, 2 * 4 * Double(1 << 24), accuracy: 1, r.name)
                XCTAssertNil(r.sgemmShare)
            } else if r.name == "sgemm" { reference = r.gflops } else {
                XCTAssertEqual(try XCTUnwrap(r.sgemmShare, r.name), r.gflops / reference, accuracy: 1e-12, r.name)
            }
        }
        XCTAssertNil(one[0].roundSeconds)
        XCTAssertThrowsError(try KernelBench.all(batch: 2, repeats: 1, layers: ["dcgan64.G.convT5"], rounds: 0)) { error in
            XCTAssertTrue("\(error)".contains("rounds"), "\(error)")
        }
    }

    func testDenseTransposedForwardFollowsTheSmallAChain() throws {
        // From 1x1 maps (DCGAN's first generator layer) the forward is x [N, Cm] w [Cm, Ci*k*k]
        // on the small-A kernel: each output one chain over the latents from 0, then the bias of
        // its channel; the same bits on every level and thread count.
        let threads = BLASInfo.threads
        defer { BLASInfo.setThreads(threads); ThinKernels.force(nil) }
        for (xs, ws, withBias) in [([5, 7, 1, 1], [7, 3, 4, 4], true), ([3, 2, 1, 1], [2, 1, 2, 3], false),
                                   ([64, 100, 1, 1], [100, 64, 4, 4], false)] {
            let x = rng.uniform(xs, low: -1, high: 1), w = rng.uniform(ws, low: -1, high: 1)
            let b = withBias ? rng.uniform([ws[1]], low: -1, high: 1) : nil
            let (n, k, outer, area) = (xs[0], xs[1], ws[1] * ws[2] * ws[3], ws[2] * ws[3])
            XCTAssertTrue(Kernels.isSmallA(m: n, k: k))
            var expected = [Float](repeating: 0, count: n * outer)
            for s in 0..<n {
                for j in 0..<outer {
                    var acc: Float = 0
                    for kk in 0..<k { acc = acc.addingProduct(x.data[s * k + kk], w.data[kk * outer + j]) }
                    expected[s * outer + j] = b.map { acc + $0.data[j / area] } ?? acc
                }
            }
            for level in ThinKernels.Level.allCases where level.rawValue <= ThinKernels.bestLevel.rawValue {
                ThinKernels.force(level)
                for t in [1, 2, 3] {
                    BLASInfo.setThreads(t)
                    // The output's buffer comes back from the tensor cache: poisoned, so an output
                    // left unwritten shows.
                    _ = Tensor(repeating: .nan, shape: [n, ws[1], ws[2], ws[3]])
                    let y = try x.convTranspose2d(w, bias: b)
                    XCTAssertEqual(y.shape, [n, ws[1], ws[2], ws[3]])
                    XCTAssertEqual(y.scalars.map(\.bitPattern), expected.map(\.bitPattern), "x\(xs) w\(ws) on \(level), \(t) threads")
                }
            }
        }
    }
}
