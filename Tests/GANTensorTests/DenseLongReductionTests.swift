import XCTest
@testable import GANTensor

/// Dense convolutions (the kernel covers the whole image) with few outputs and a long reduction run
/// on the long-reduction kernel (`Kernels.isLongReduction`): DCGAN-64's G.convT1 input gradient is
/// one. Each output is one specified chain, so the result must not depend on the thread count or the
/// kernel level, and it must match the direct loop.
final class DenseLongReductionTests: XCTestCase {
    let rng = RandomGenerator(seed: 83)

    var levels: [ThinKernels.Level] { ThinKernels.Level.allCases.filter { $0.rawValue <= ThinKernels.bestLevel.rawValue } }

    /// `body()` on 1, 2 and 3 threads and every kernel level; fails unless every run gives the
    /// same bits, and returns them.
    func sameEverywhere(_ what: String, _ body: () throws -> [Float]) rethrows -> [Float] {
        let threads = BLASInfo.threads
        defer { BLASInfo.setThreads(threads); ThinKernels.force(nil) }
        var first: [Float]?
        for t in [1, 2, 3] {
            BLASInfo.setThreads(t)
            for level in levels {
                ThinKernels.force(level)
                let y = try body()
                if let first {
                    if let i = y.indices.first(where: { y[$0].bitPattern != first[$0].bitPattern }) {
                        XCTFail("\(what) on \(t) threads, \(level): output \(i) is \(y[i]), first run \(first[i])")
                    }
                } else {
                    first = y
                }
            }
        }
        return first ?? []
    }

    func testDenseConvolutionsOnTheLongReductionMatchTheDirectLoop() throws {
        // conv2d over the whole 4x4 image of 65 channels (a reduction of 1040), 7 outputs, with bias;
        // 5 samples split unevenly over 2 and 3 workers.
        let x = rng.uniform([5, 65, 4, 4], low: -1, high: 1), w = rng.uniform([7, 65, 4, 4], low: -1, high: 1)
        let b = rng.uniform([7], low: -1, high: 1)
        XCTAssertTrue(Kernels.isLongReduction(inner: 65 * 16, outer: 7))
        let y = try sameEverywhere("dense conv2d") { try x.conv2d(w, bias: b).scalars }
        let expected = NaiveConv.conv(x, w, b, Conv2dGeometry())
        let bound = NaiveConv.conv(x.abs(), w.abs(), b.abs(), Conv2dGeometry())
        XCTAssertEqual(y.count, expected.count)
        for i in y.indices where Swift.abs(y[i] - expected[i]) > 1e-5 * bound[i] {
            XCTFail("output \(i) is \(y[i]), direct loop \(expected[i])")
            break
        }

        // The input gradient of a transposed convolution from 1x1 (DCGAN's first generator layer
        // with 64 output channels: a reduction of 1024 per latent): the adjoint of its forward.
        let z = rng.uniform([3, 9, 1, 1], low: -1, high: 1), wt = rng.uniform([9, 64, 4, 4], low: -1, high: 1)
        let gy = rng.uniform([3, 64, 4, 4], low: -1, high: 1)
        XCTAssertTrue(Kernels.isLongReduction(inner: 64 * 16, outer: 9))
        let dz = try sameEverywhere("convTranspose2d input gradient") {
            try gy.convolved(wt, bias: nil, Conv2dGeometry(), outputSize: (1, 1)).scalars
        }
        let fromLoop = NaiveConv.conv(gy, wt, nil, Conv2dGeometry())
        let scale = NaiveConv.conv(gy.abs(), wt.abs(), nil, Conv2dGeometry())
        for i in dz.indices where Swift.abs(dz[i] - fromLoop[i]) > 1e-5 * scale[i] {
            XCTFail("input gradient \(i) is \(dz[i]), direct loop \(fromLoop[i])")
            break
        }
        // <convT(z), gy> = <z, dz>: the gradient is the forward's adjoint.
        let forward = try z.convTranspose2d(wt).scalars
        let lhs = zip(forward, gy.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let rhs = zip(z.scalars, dz).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        XCTAssertEqual(lhs, rhs, accuracy: 1e-3 * Swift.max(1, Swift.abs(lhs)))
    }

    func testGradientsThroughTheLongReduction() throws {
        // First and second order through a dense layer that takes the long-reduction path both
        // ways: conv2d forward (reduction 1024) and the transposed conv's input gradient.
        let x = rng.uniform([2, 64, 4, 4], low: -1, high: 1), w = rng.uniform([3, 64, 4, 4], low: -0.1, high: 0.1)
        let b = rng.uniform([3], low: -1, high: 1)
        try assertGradients([x, w, b]) { v in try v[0].conv2d(v[1], bias: v[2]) }
        let z = rng.uniform([2, 3, 1, 1], low: -1, high: 1)
        try assertSecondOrderGradients([z, w], firstOrderWrt: [0, 1]) { v in
            let y = try v[0].convTranspose2d(v[1])
            return try y * y
        }
    }
}
