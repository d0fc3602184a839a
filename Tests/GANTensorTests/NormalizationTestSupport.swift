import XCTest
@testable import GANTensor

/// Elementwise closeness of a tensor's values to expected ones, naming the first offender.
func assertScalarsClose(_ actual: Tensor, _ expected: [Float], accuracy: Float = 1e-5,
                        file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "element count", file: file, line: line)
    for (i, (a, e)) in zip(actual.scalars, expected).enumerated() where !(abs(a - e) <= accuracy * max(1, abs(e))) {
        XCTFail("element \(i): \(a) vs expected \(e)", file: file, line: line)
        return
    }
}

extension Tensor {
    /// Test shorthand: a tensor from literal values (shapes in tests are always consistent).
    static func given(_ values: [Float], _ shape: [Int]) -> Tensor { try! Tensor(values, shape: shape) }
}
