import XCTest
@testable import GANTensor

/// im2col/col2im have several walks over the same column matrix (plain rows for column stride 1,
/// a table of offsets, four-wide row steps for column stride 2); they move the same floats in the
/// same order, so every convolution op must give bit for bit the same result on each.
final class UnfoldPathTests: XCTestCase {
    /// Random convolution shapes with column stride 2, odd sizes, padding and dilation included.
    func randomStride2Cases(count: Int) -> [(x: [Int], w: [Int], g: Conv2dGeometry)] {
        let rng = RandomGenerator(seed: 23)
        func pick(_ range: ClosedRange<Int>) -> Int { range.lowerBound + rng.nextInt(below: range.count) }
        var cases: [(x: [Int], w: [Int], g: Conv2dGeometry)] = []
        while cases.count < count {
            let g = Conv2dGeometry(stride: (pick(1...2), 2), padding: (pick(0...2), pick(0...3)), dilation: (pick(1...2), pick(1...2)))
            let x = [pick(1...3), pick(1...3), pick(3...24), pick(3...45)], w = [pick(1...3), x[1], pick(1...4), pick(1...5)]
            let out = g.convOutputSize(input: (x[2], x[3]), kernel: (w[2], w[3]))
            if out.0 > 0, out.1 > 0 { cases.append((x, w, g)) }
        }
        return cases
    }

    /// conv2d, convTranspose2d (conv2d's adjoint on the same shapes) and the weight gradient, with
    /// the stride-2 maps unfolded through the table (`minimumWidth` unreachable) or row-wise.
    func convolutions(_ x: Tensor, _ w: Tensor, _ g: Conv2dGeometry, minimumWidth: Int) throws -> [[Float]] {
        let saved = Unfolding.rowWiseStride2MinimumWidth
        defer { Unfolding.rowWiseStride2MinimumWidth = saved }
        Unfolding.rowWiseStride2MinimumWidth = minimumWidth
        let y = try x.conv2d(w, geometry: g)
        let back = try y.transposeConvolved(w, bias: nil, g, outputSize: (x.shape[2], x.shape[3]))
        return [y.scalars, back.scalars, try x.convWeightGrad(y, kernelSize: (w.shape[2], w.shape[3]), geometry: g).scalars]
    }

    func testRowWiseStride2WalkEqualsTableWalk() throws {
        let rng = RandomGenerator(seed: 5), threads = BLASInfo.threads
        defer { BLASInfo.setThreads(threads) }
        var rowWiseMaps = 0
        for (xs, ws, g) in randomStride2Cases(count: 40) {
            let x = rng.uniform(xs, low: -1, high: 1), w = rng.uniform(ws, low: -1, high: 1)
            for t in [1, 3] {
                BLASInfo.setThreads(t)
                let byTable = try convolutions(x, w, g, minimumWidth: .max)
                // Minimum width 1 runs even 1- to 3-wide maps row-wise (scalar tails only).
                let byRows = try convolutions(x, w, g, minimumWidth: 1)
                XCTAssertEqual(byRows, byTable, "x\(xs) w\(ws) \(g) on \(t) threads")
                XCTAssertEqual(try convolutions(x, w, g, minimumWidth: 1), byRows, "run to run")
            }
            if g.convOutputSize(input: (xs[2], xs[3]), kernel: (ws[2], ws[3])).1 >= 4 { rowWiseMaps += 1 }
        }
        XCTAssertGreaterThan(rowWiseMaps, 10, "too few cases reach the four-wide steps")
    }
}
