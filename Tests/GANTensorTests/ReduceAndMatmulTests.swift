import XCTest
@testable import GANTensor

final class ReduceAndMatmulTests: XCTestCase {
    let rng = RandomGenerator(seed: 2)

    func testReductionsValues() throws {
        let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        XCTAssertEqual(try x.sum(axes: [0]).scalars, [5, 7, 9])
        XCTAssertEqual(try x.sum(axes: [1], keepDims: true).shape, [2, 1])
        XCTAssertEqual(try x.mean(axes: [-1]).scalars, [2, 5])
        XCTAssertEqual(try x.variance(axes: [1]).scalars, [2.0 / 3, 2.0 / 3])
        XCTAssertEqual(try x.variance(axes: [1], unbiased: true).scalars, [1, 1])
        XCTAssertEqual(try x.max(axes: [0]).scalars, [4, 5, 6])
        XCTAssertThrowsError(try x.sum(axes: [2]))
    }

    /// Max over trailing axes takes a contiguous fast path; it must give the general path's values
    /// and argmax (first maximum wins, a NaN wins over numbers), here forced by a trailing size-1 axis.
    func testTrailingMaxMatchesGeneralPath() throws {
        var values = rng.uniform([3, 4, 5], low: -1, high: 1).scalars
        values[7] = values[6]  // a tie inside one run
        values[12] = .nan
        let x = try Tensor(values, shape: [3, 4, 5])
        let fast = Kernels.max(x, axes: [2]), general = Kernels.max(try x.reshaped([3, 4, 5, 1]), axes: [2])
        XCTAssertEqual(fast.argmax, general.argmax)
        XCTAssertEqual(fast.values.scalars.map(\.bitPattern), general.values.scalars.map(\.bitPattern))
        XCTAssertEqual(fast.argmax[2], 12)
        let whole = Kernels.max(x, axes: [1, 2]), wholeGeneral = Kernels.max(try x.reshaped([3, 4, 5, 1]), axes: [1, 2])
        XCTAssertEqual(whole.argmax, wholeGeneral.argmax)
    }

    func testReductionGradients() throws {
        let x = rng.uniform([2, 3, 4], low: -1, high: 1)
        try assertGradients([x]) { try $0[0].sum(axes: [1]) }
        try assertGradients([x]) { try $0[0].mean(axes: [0, 2], keepDims: true) }
        try assertGradients([x]) { try $0[0].variance(axes: [2]) }
        try assertGradients([x]) { try $0[0].max(axes: [1]) }
        try assertGradients([x]) { try $0[0].expanded(to: [5, 2, 3, 4]) }
        try assertGradients([x]) { try $0[0].reshaped([4, -1]) }
    }

    /// Max's backward scatters the gradient to the argmax; scatter and gather are each other's
    /// backward, so max differentiates twice (the maxout shape: pieces on the last axis).
    func testMaxSecondOrderAndFlatScatterGather() throws {
        let x = rng.uniform([3, 4, 5], low: -1, high: 1)
        try assertSecondOrderGradients([x], firstOrderWrt: [0]) { try $0[0].max(axes: [2]).tanh() * $0[0].sum(axes: [2]) }
        let v = try Tensor([1, 2, 3, 4], shape: [4])
        let scattered = v.scatteredFlat(to: [5, 0, 5, 2], shape: [2, 3])
        XCTAssertEqual(scattered.scalars, [2, 0, 4, 0, 0, 4])  // repeated positions add up
        XCTAssertEqual(scattered.gatheredFlat(at: [5, 2], shape: [2]).scalars, [4, 4])
        let y = rng.uniform([2, 3], low: -1, high: 1)
        try assertGradients([v]) { $0[0].scatteredFlat(to: [5, 0, 5, 2], shape: [2, 3]) }
        try assertGradients([y]) { $0[0].gatheredFlat(at: [5, 0, 5], shape: [3]) }
        try assertSecondOrderGradients([v], firstOrderWrt: [0]) { try $0[0].scatteredFlat(to: [5, 0, 5, 2], shape: [2, 3]).tanh() }
        try assertSecondOrderGradients([y], firstOrderWrt: [0]) { try $0[0].gatheredFlat(at: [5, 0, 5], shape: [3]).tanh() }
    }

    func testMatmulValuesAndGradients() throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let b = try Tensor([1, 0, 0, 1, 1, 1], shape: [3, 2])
        XCTAssertEqual(try a.matmul(b).scalars, [4, 5, 10, 11])
        XCTAssertEqual(try a.matmul(a, transposeOther: true).scalars, [14, 32, 32, 77])
        let x = rng.uniform([3, 5], low: -1, high: 1), y = rng.uniform([5, 2], low: -1, high: 1)
        try assertGradients([x, y]) { try $0[0].matmul($0[1]) }
        try assertGradients([x, y]) { try $0[1].matmul($0[0], transposeSelf: true, transposeOther: true) }
        let bx = rng.uniform([2, 3, 4], low: -1, high: 1), by = rng.uniform([2, 4, 3], low: -1, high: 1)
        try assertGradients([bx, by]) { try $0[0].matmul($0[1]) }
        try assertGradients([bx, by]) { try $0[0].matmul($0[1], transposeSelf: true, transposeOther: true) }
        let shared = rng.uniform([4, 2], low: -1, high: 1)
        try assertGradients([bx, shared]) { try $0[0].matmul($0[1]) }
        XCTAssertThrowsError(try x.matmul(x)) { XCTAssertTrue("\($0)".contains("[3, 5]")) }
    }

    func testMatmulSecondOrder() throws {
        let x = rng.uniform([3, 4], low: -1, high: 1), w = rng.uniform([2, 4], low: -1, high: 1)
        try assertSecondOrderGradients([x, w], firstOrderWrt: [0]) { v in
            try v[0].matmul(v[1], transposeOther: true).tanh()
        }
    }
}
