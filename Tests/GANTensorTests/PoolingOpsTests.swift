import XCTest
@testable import GANTensor

/// avgPool2d, maxPool2d, nearest upsampling and their modules.
final class PoolingOpsTests: XCTestCase {
    let rng = RandomGenerator(seed: 21)

    /// Distinct values at least 0.1 apart (in shuffled order), so a finite-difference step of
    /// 0.01 never changes which element wins a max window.
    func distinct(_ shape: [Int]) -> Tensor {
        let n = Shape.count(shape)
        return try! Tensor(rng.permutation(n).map { Float($0) * 0.1 - Float(n) * 0.05 }, shape: shape)
    }

    func assertClose(_ a: [Float], _ b: [Float], _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, message, file: file, line: line)
        for (i, (x, y)) in zip(a, b).enumerated() where abs(x - y) > 1e-5 * max(1, abs(y)) {
            XCTFail("\(message) element \(i): \(x) vs \(y)", file: file, line: line)
            return
        }
    }

    func testHandComputedPools() throws {
        let x = Reference.arange([1, 1, 4, 4])
        XCTAssertEqual(try x.avgPool2d(kernel: 2).scalars, [2.5, 4.5, 10.5, 12.5])
        XCTAssertEqual(try x.maxPool2d(kernel: 2).scalars, [5, 7, 13, 15])
        // kernel 3, stride 2, padding 1: the zero padding counts in the mean (divisor 9).
        let avg = try x.avgPool2d(kernel: 3, stride: 2, padding: 1)
        XCTAssertEqual(avg.shape, [1, 1, 2, 2])
        assertClose(avg.scalars, [10.0 / 9, 24.0 / 9, 51.0 / 9, 10])
        XCTAssertEqual(try x.maxPool2d(kernel: 3, stride: 2, padding: 1).scalars, [5, 7, 13, 15])
        // Padding never wins a max, even over negative inputs.
        XCTAssertEqual(try (x - 100).maxPool2d(kernel: 2, stride: 1, padding: 1).scalars.first, -100)
    }

    func testMaxPoolPropagatesNaN() throws {
        // As in PyTorch, a NaN in a window is its maximum, and the gradient goes to it.
        let x = try Tensor([1, .nan, 3, 4, 5, 6, 7, 8], shape: [1, 2, 2, 2]).requiringGrad()
        let y = try x.maxPool2d(kernel: 2)
        XCTAssertTrue(y.data[0].isNaN)
        XCTAssertEqual(y.data[1], 8)
        XCTAssertEqual(try gradients(of: y, wrt: [x], seed: Tensor(repeating: 1, shape: [1, 2, 1, 1]))[0].scalars,
                       [0, 1, 0, 0, 0, 0, 0, 1])
    }

    func testPoolsMatchReference() throws {
        let x = rng.uniform([4, 16, 32, 32], low: -1, high: 1)
        for (k, s, p) in [(2, 2, 0), (3, 2, 1), (3, 1, 1), (4, 3, 2)] {
            assertClose(try x.avgPool2d(kernel: k, stride: s, padding: p).scalars,
                        Reference.pool(x, kernel: k, stride: s, padding: p, max: false), "avg \(k) \(s) \(p)")
            XCTAssertEqual(try x.maxPool2d(kernel: k, stride: s, padding: p).scalars,
                           Reference.pool(x, kernel: k, stride: s, padding: p, max: true), "max \(k) \(s) \(p)")
        }
        XCTAssertEqual(try x.avgPool2d(kernel: 3, stride: 2).shape, [4, 16, 15, 15])
    }

    func testAvgPoolGradients() throws {
        let x = rng.uniform([2, 2, 5, 5], low: -1, high: 1)
        try assertGradients([x]) { try $0[0].avgPool2d(kernel: 2) }
        try assertGradients([x]) { try $0[0].avgPool2d(kernel: 3, stride: 2, padding: 1) }
        try assertSecondOrderGradients([x], firstOrderWrt: [0]) { try $0[0].avgPool2d(kernel: 3, stride: 1, padding: 1).curved() }
    }

    func testMaxPoolGradientsRouteToTheWinner() throws {
        let x = distinct([2, 2, 5, 5])
        try assertGradients([x]) { try $0[0].maxPool2d(kernel: 2) }
        // Overlapping windows: an element that wins twice receives both gradients.
        try assertGradients([x]) { try $0[0].maxPool2d(kernel: 3, stride: 1, padding: 1) }
        try assertSecondOrderGradients([x], firstOrderWrt: [0]) { try $0[0].maxPool2d(kernel: 3, stride: 2, padding: 1).curved() }
        let y = try Tensor([1, 9, 3, 4], shape: [1, 1, 2, 2]).requiringGrad()
        let g = try gradients(of: y.maxPool2d(kernel: 2, stride: 1, padding: 1).sum(), wrt: [y])[0]
        // Nine 2x2 windows over the padded 2x2 input: 9 wins the 4 that hold it, 3 and 4 win
        // 2 each (the one-element window and the one shared with the other), 1 only its own.
        XCTAssertEqual(g.scalars, [1, 4, 2, 2])
    }

    func testUpsampleNearest() throws {
        let x = try Tensor([1, 2, 3, 4], shape: [1, 1, 2, 2])
        let y = try x.upsampledNearest(scale: 2)
        XCTAssertEqual(y.shape, [1, 1, 4, 4])
        XCTAssertEqual(y.scalars, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
        XCTAssertTrue(try x.upsampledNearest(scale: 1) === x)
        let big = rng.uniform([4, 8, 16, 16])
        XCTAssertEqual(try big.upsampledNearest(scale: 3).scalars,
                       Reference.gather(big, into: [4, 8, 48, 48]) { [$0[0], $0[1], $0[2] / 3, $0[3] / 3] })
    }

    func testUpsampleBackwardIsSumPooling() throws {
        let x = rng.uniform([2, 3, 4, 5], low: -1, high: 1).requiringGrad()
        let r = rng.uniform([2, 3, 12, 15], low: -1, high: 1)
        let g = try gradients(of: (x.upsampledNearest(scale: 3) * r).sum(), wrt: [x])[0]
        assertClose(g.scalars, try r.avgPool2d(kernel: 3).scalars.map { $0 * 9 })
        let small = rng.uniform([1, 2, 3, 2], low: -1, high: 1)
        try assertGradients([small]) { try $0[0].upsampledNearest(scale: 2) }
        try assertSecondOrderGradients([small], firstOrderWrt: [0]) { try $0[0].upsampledNearest(scale: 2).curved() }
    }

    func testErrorsNameOpAndShape() {
        XCTAssertThrowsError(try Tensor(zeros: [1, 4, 4]).avgPool2d(kernel: 2)) {
            XCTAssertEqual("\($0)", "avgPool2d: invalid shape [1, 4, 4]: expects NCHW input (rank 4)")
        }
        XCTAssertThrowsError(try Tensor(zeros: [1, 1, 2, 2]).maxPool2d(kernel: 3)) {
            XCTAssertEqual("\($0)", "maxPool2d: invalid shape [1, 1, 2, 2]: the padded input is smaller than the kernel 3")
        }
        XCTAssertThrowsError(try Tensor(zeros: [1, 1, 4, 4]).maxPool2d(kernel: 2, padding: 2)) {
            XCTAssertEqual("\($0)", "maxPool2d: kernel 2, stride 2, padding 2: need kernel, stride >= 1 and 0 <= padding <= kernel / 2")
        }
        XCTAssertThrowsError(try Tensor(zeros: [1, 1, 4, 4]).avgPool2d(kernel: 2, stride: 0))
        XCTAssertThrowsError(try Tensor(zeros: [1, 1, 4, 4]).upsampledNearest(scale: 0))
        XCTAssertThrowsError(try Tensor(zeros: [4, 4]).upsampledNearest(scale: 2))
    }

    func testModules() throws {
        let x = rng.uniform([2, 3, 8, 8])
        XCTAssertEqual(try AvgPool2d(2)(x).scalars, try x.avgPool2d(kernel: 2).scalars)
        XCTAssertEqual(try MaxPool2d(3, stride: 2, padding: 1)(x).scalars, try x.maxPool2d(kernel: 3, stride: 2, padding: 1).scalars)
        XCTAssertEqual(try Upsample(scale: 2)(x).shape, [2, 3, 16, 16])
        let net = Sequential(Upsample(scale: 2), AvgPool2d(2), MaxPool2d(2))
        XCTAssertTrue(net.stateDict().isEmpty)
        XCTAssertEqual(try net(x).scalars, try x.maxPool2d(kernel: 2).scalars)
    }
}
