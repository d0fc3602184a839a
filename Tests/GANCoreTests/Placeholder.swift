import XCTest
final class GANCoreTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
