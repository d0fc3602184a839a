import XCTest
final class GANDataTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
