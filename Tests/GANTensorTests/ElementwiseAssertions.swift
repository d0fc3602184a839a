import XCTest

/// Elementwise comparison of Float arrays.
func XCTAssertEqualElements(_ a: [Float], _ b: [Float], accuracy: Float, file: StaticString = #filePath, line: UInt = #line) {
    guard a.count == b.count else { return XCTFail("\(a) and \(b) differ in length", file: file, line: line) }
    for (i, (x, y)) in zip(a, b).enumerated() where !(abs(x - y) <= accuracy) {
        return XCTFail("element \(i): \(x) vs \(y) (arrays \(a) and \(b))", file: file, line: line)
    }
}

/// Exact equality of long Float arrays, reporting only the first difference.
func XCTAssertBitIdentical(_ a: [Float], _ b: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    guard a.count == b.count else { return XCTFail("\(what): \(a.count) vs \(b.count) elements", file: file, line: line) }
    if let i = a.indices.first(where: { a[$0].bitPattern != b[$0].bitPattern }) {
        XCTFail("\(what): element \(i) is \(a[i]) vs \(b[i])", file: file, line: line)
    }
}
