import XCTest
@testable import GANTensor

final class SoftmaxTests: XCTestCase {
    let rng = RandomGenerator(seed: 11)
    typealias Reference = NormalizationReference

    func testHandValuesOnLastAxis() throws {
        // softmax(0, ln 2, ln 3) = (1, 2, 3) / 6.
        let x = Tensor.given([0, Float(log(2.0)), Float(log(3.0)), 5, 5, 5], [2, 3])
        assertScalarsClose(try x.softmax(axis: -1), [1.0 / 6, 2.0 / 6, 3.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 3], accuracy: 1e-6)
        assertScalarsClose(try x.logSoftmax(axis: 1), [-Float(log(6.0)), -Float(log(3.0)), -Float(log(2.0)),
                                                       -Float(log(3.0)), -Float(log(3.0)), -Float(log(3.0))], accuracy: 1e-6)
    }

    func testMiddleAxisMatchesPyTorch() throws {
        let x = Tensor.given(Reference.smX, [2, 3, 4])
        assertScalarsClose(try x.softmax(axis: 1), Reference.smY, accuracy: 1e-6)
        assertScalarsClose(try x.logSoftmax(axis: -2), Reference.lsmY, accuracy: 1e-5)
    }

    func testLargeInputsDoNotOverflow() throws {
        let big = Tensor.given([1000, 1001, 1002, -1000], [4])
        let small = Tensor.given([0, 1, 2, -2000], [4])
        XCTAssertEqual(try big.softmax(axis: 0).scalars, try small.softmax(axis: 0).scalars)
        let logs = try big.logSoftmax(axis: 0).scalars
        XCTAssertTrue(logs.allSatisfy(\.isFinite))
        XCTAssertEqual(logs[3], logs[2] - 2002, accuracy: 1e-3)
    }

    func testGradients() throws {
        let x = rng.uniform([2, 3, 4], low: -2, high: 2)
        for axis in [0, 1, 2] {
            try assertGradients([x]) { try $0[0].softmax(axis: axis) }
            try assertGradients([x]) { try $0[0].logSoftmax(axis: axis) }
        }
    }

    func testSecondOrderGradients() throws {
        let x = rng.uniform([3, 4], low: -2, high: 2)
        try assertSecondOrderGradients([x], firstOrderWrt: [0]) { try $0[0].softmax(axis: 1) }
        try assertSecondOrderGradients([x], firstOrderWrt: [0]) { try $0[0].logSoftmax(axis: 0) }
    }

    func testInvalidAxisThrows() {
        let x = Tensor(zeros: [2, 3])
        XCTAssertThrowsError(try x.softmax(axis: 2)) { XCTAssertTrue("\($0)".contains("softmax")) }
        XCTAssertThrowsError(try Tensor(scalar: 1).logSoftmax(axis: 0))
    }
}
