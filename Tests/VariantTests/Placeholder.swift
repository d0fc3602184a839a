import XCTest
final class VariantTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
