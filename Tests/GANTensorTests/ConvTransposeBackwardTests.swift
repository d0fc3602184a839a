import XCTest
@testable import GANTensor

/// convTranspose2d's backward unfolds its output gradient once for both the input and the weight
/// gradient (`Kernels.convTransposeBackward`) when both are needed on the gemm path: it must give
/// bit for bit the separate ops' results, match a double-precision reference, and stay
/// differentiable (gradient penalties through a generator's layers).
final class ConvTransposeBackwardTests: XCTestCase {
    let rng = RandomGenerator(seed: 31)

    /// Shapes past the thin-layer limit (more than 64 column rows), odd sizes, strides, padding
    /// and output padding included: x [N, Cin, H, W], w [Cin, Cout, kh, kw].
    static let cases: [(x: [Int], w: [Int], g: Conv2dGeometry)] = [
        ([3, 6, 7, 7], [6, 5, 4, 4], Conv2dGeometry(stride: 2, padding: 1)),  // DCGAN-28's convT1, scaled down
        ([2, 4, 5, 3], [4, 9, 3, 3], Conv2dGeometry(stride: 2, padding: 1, outputPadding: 1)),
        ([5, 3, 4, 6], [3, 7, 3, 4], Conv2dGeometry(stride: (3, 2), padding: (1, 2), dilation: (1, 2), outputPadding: (2, 0))),
        ([3, 5, 9, 8], [5, 5, 4, 4], Conv2dGeometry(stride: 2, padding: 1)),  // 16+ wide: row-wise unfolding
    ]

    /// The input and weight gradients of y = convTranspose2d(x, w) for the upstream gradient gy,
    /// through autograd (the fused path) and as the separate ops.
    func gradients(_ x: Tensor, _ w: Tensor, _ gy: Tensor, _ g: Conv2dGeometry) throws -> (fused: [[Float]], separate: [[Float]]) {
        let y = try x.requiringGrad().convTranspose2d(w.requiringGrad(), geometry: g)
        let fused = try GANTensor.gradients(of: y, wrt: [x, w], seed: gy).map(\.scalars)
        let dx = try withoutGrad { try gy.convolved(w, bias: nil, g, outputSize: (x.shape[2], x.shape[3])) }
        let dw = withoutGrad { gy.weightGradient(x, kernelSize: (w.shape[2], w.shape[3]), g) }
        return (fused, [dx.scalars, dw.scalars])
    }

    func testFusedBackwardEqualsSeparateOpsOnEveryThreadCountAndGrouping() throws {
        let budget = Kernels.convColumnBudget, threads = BLASInfo.threads
        defer { Kernels.convColumnBudget = budget; BLASInfo.setThreads(threads) }
        for (xs, ws, g) in Self.cases {
            let x = rng.uniform(xs, low: -1, high: 1), w = rng.uniform(ws, low: -1, high: 1)
            let out = g.transposedOutputSize(input: (xs[2], xs[3]), kernel: (ws[2], ws[3]))
            XCTAssertGreaterThan(ws[1] * ws[2] * ws[3], 64, "the case must not be thin")
            let gy = rng.uniform([xs[0], ws[1], out.0, out.1], low: -1, high: 1)
            for t in [1, 3] {
                BLASInfo.setThreads(t)
                for columns in [budget, 1] {  // whole shares, and one sample per group
                    Kernels.convColumnBudget = columns
                    let (fused, separate) = try gradients(x, w, gy, g)
                    XCTAssertEqual(fused, separate, "x\(xs) w\(ws) \(g), \(t) threads, budget \(columns)")
                    XCTAssertEqual(try gradients(x, w, gy, g).fused, fused, "run to run")
                }
            }
        }
    }

    func testFusedBackwardMatchesDoubleReference() throws {
        for (xs, ws, g) in Self.cases {
            let x = rng.uniform(xs, low: -1, high: 1), w = rng.uniform(ws, low: -1, high: 1)
            let out = g.transposedOutputSize(input: (xs[2], xs[3]), kernel: (ws[2], ws[3]))
            let gy = rng.uniform([xs[0], ws[1], out.0, out.1], low: -1, high: 1)
            let fused = try gradients(x, w, gy, g).fused
            // dx = conv2d(gy, w); dw = the weight gradient of that conv2d, x being its map.
            assertClose(fused[0], NaiveConv.conv(gy, w, nil, g), "dx x\(xs) w\(ws) \(g)")
            assertClose(fused[1], NaiveConv.weightGradient(image: gy, map: x, kernel: (ws[2], ws[3]), g), "dw x\(xs) w\(ws) \(g)")
        }
    }

    func testFusedBackwardIsDifferentiable() throws {
        // Squaring makes both first derivatives depend on x and w, so the recorded conv2d and
        // weight-gradient ops of the fused backward are differentiated in turn.
        let x = rng.uniform([2, 3, 3, 3], low: -1, high: 1), w = rng.uniform([3, 5, 4, 4], low: -0.5, high: 0.5)
        let g = Conv2dGeometry(stride: 2, padding: 1)
        try assertSecondOrderGradients([x, w], firstOrderWrt: [0, 1]) { v in
            let y = try v[0].convTranspose2d(v[1], geometry: g)
            return try y * y
        }
    }

    func assertClose(_ a: [Float], _ b: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        let worst = zip(a, b).map { Swift.abs($0 - $1) }.max() ?? 0
        XCTAssertLessThan(worst, 1e-4, what, file: file, line: line)
    }
}
