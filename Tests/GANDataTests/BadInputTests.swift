import CImageCodecs
import Foundation
import XCTest
@testable import GANData
import GANTensor

/// Every broken input gives a DataError naming the file: never a crash, never a silent result.
final class BadInputTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws { dir = try codecTestFolder(name) }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// Writes `bytes` to a file and asserts that `read` throws a DataError about that file.
    private func assertRejected(_ name: String, _ bytes: [UInt8], contains needle: String? = nil,
                                file: StaticString = #filePath, line: UInt = #line,
                                _ read: (String) throws -> Void) throws {
        let path = dir + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try read(path), name, file: file, line: line) { error in
            guard let dataError = error as? DataError else { return XCTFail("\(name): \(error)", file: file, line: line) }
            XCTAssertEqual(dataError.path, path, name, file: file, line: line)
            if let needle { XCTAssertTrue("\(dataError)".contains(needle), "\(name): \(dataError)", file: file, line: line) }
        }
    }

    private func readImage(_ path: String) throws { _ = try ImageCodec.readFile(path) }

    func testBadPNGs() throws {
        let good = try ImageCodec.encodePNG(codecTestImage(width: 20, height: 10, channels: 3))
        try assertRejected("empty.png", [], contains: "empty", readImage)
        try assertRejected("garbage.png", Array("this is not an image at all".utf8), contains: "unknown image format", readImage)
        try assertRejected("magic-only.png", Array(good.prefix(8)), readImage)
        for cut in [9, 20, 33, good.count / 2, good.count - 13, good.count - 1] {
            try assertRejected("cut\(cut).png", Array(good.prefix(cut)), readImage)
        }
        var flipped = good
        flipped[good.count / 2] ^= 0x40  // inside IDAT: bad data or CRC mismatch
        try assertRejected("flipped.png", flipped, readImage)
        var badHeader = good
        badHeader[16] = 0xFF  // IHDR width, CRC now wrong
        try assertRejected("header.png", badHeader, readImage)
    }

    func testAbsurdPNGDimensionsAreRejectedBeforeAllocating() throws {
        // A valid 1x1 IHDR rewritten to 65535 x 65535 (4.3e9 pixels) with a correct CRC.
        var png = try ImageCodec.encodePNG(Image8(width: 1, height: 1, channels: 1))
        for i in 16..<24 { png[i] = [0, 0, 0xFF, 0xFF][(i - 16) % 4] }
        let crc = crc32(Array(png[12..<29]))
        for k in 0..<4 { png[29 + k] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(k))) }
        try assertRejected("huge.png", png, readImage)
    }

    func testBadJPEGs() throws {
        let good = try ImageCodec.encodeJPEG(codecTestImage(width: 32, height: 24, channels: 3), quality: 90)
        try assertRejected("empty.jpg", [], contains: "empty", readImage)
        try assertRejected("magic-only.jpg", [0xFF, 0xD8, 0xFF], readImage)
        for cut in [4, 30, 200, good.count / 2, good.count - 2] {
            try assertRejected("cut\(cut).jpg", Array(good.prefix(cut)), readImage)
        }
        // Frame header (SOF0) precision 12 is not supported by the 8-bit decoder.
        let sof = try XCTUnwrap(jpegMarker(0xC0, in: good))
        var precision = good
        precision[sof + 4] = 12
        try assertRejected("precision.jpg", precision, readImage)
        // 65000 x 65000 is a valid JPEG size but over the 2^28 pixel limit.
        var huge = good
        huge[sof + 5] = 0xFD; huge[sof + 6] = 0xE8; huge[sof + 7] = 0xFD; huge[sof + 8] = 0xE8
        try assertRejected("huge.jpg", huge, contains: "too large", readImage)
    }

    func testCMYKJPEGIsRefused() throws {
        let pixels = [UInt8](repeating: 90, count: 8 * 8 * 4)
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = gk_jpeg_encode(pixels, 8, 8, 4, 90, &out, &size, &message, message.count)
        XCTAssertEqual(status, GK_OK)
        let cmyk = CodecCall.take(out, count: size)
        let path = dir + "/cmyk.jpg"
        try Data(cmyk).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ImageCodec.readFile(path)) { error in
            guard case let DataError.invalid(p, reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(p, path)
            XCTAssertTrue(reason.contains("CMYK"), reason)
        }
    }

    func testBadGzipAndIDX() throws {
        let idx = idxBytes(magic: 0x0801, dims: [50], payload: (0..<50).map { UInt8($0 % 10) })
        let gz = try Gzip.deflate(idx)
        func readIDX(_ path: String) throws { _ = try IDX.read(path, magic: 0x0801) }
        XCTAssertEqual(try Gzip.inflate(gz, path: "x"), idx)

        try assertRejected("empty.gz", [], contains: "empty", readIDX)
        try assertRejected("magic.gz", [0x1f, 0x8b], readIDX)
        for cut in [10, 19, gz.count / 2, gz.count - 4, gz.count - 1] {
            try assertRejected("cut\(cut).gz", Array(gz.prefix(cut)), readIDX)
        }
        var crc = gz
        crc[gz.count - 6] ^= 0x01  // stored CRC-32 no longer matches
        try assertRejected("crc.gz", crc, readIDX)
        try assertRejected("trailing.gz", gz + [0, 0, 0], contains: "trailing", readIDX)
        try assertRejected("garbage.idx", Array("garbage garbage".utf8), contains: "magic", readIDX)
        try assertRejected("images-as-labels.gz", try Gzip.deflate(idxBytes(magic: 0x0803, dims: [1, 1, 1], payload: [0])),
                           contains: "magic", readIDX)
        try assertRejected("short-payload.gz", try Gzip.deflate(Array(idx.dropLast(5))), contains: "truncated", readIDX)
        XCTAssertThrowsError(try IDX.read(dir + "/missing.gz", magic: 0x0801)) {
            XCTAssertEqual(($0 as? DataError)?.path, dir + "/missing.gz")
        }
    }

    func testFolderInsteadOfFile() throws {
        XCTAssertThrowsError(try ImageCodec.readFile(dir)) { XCTAssertEqual(($0 as? DataError)?.path, dir) }
    }

    /// Offset of the first `marker` (FF xx) in a JPEG.
    private func jpegMarker(_ marker: UInt8, in d: [UInt8]) -> Int? {
        (2..<(d.count - 1)).first { d[$0] == 0xFF && d[$0 + 1] == marker }
    }

    /// CRC-32 (IEEE, as PNG uses), bitwise.
    private func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        }
        return ~c
    }
}
