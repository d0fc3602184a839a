import Foundation
import XCTest
@testable import GANData
import GANTensor

/// A fresh temporary folder for one test, removed by the caller's defer.
func codecTestFolder(_ name: String = #function) throws -> String {
    let path = NSTemporaryDirectory() + "gankit-codecs-\(name.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A deterministic test pattern: smooth gradients plus a few sharp edges.
func codecTestImage(width: Int, height: Int, channels: Int, seed: Int = 0) -> Image8 {
    var pixels = [UInt8](repeating: 0, count: width * height * channels)
    for y in 0..<height {
        for x in 0..<width {
            for k in 0..<channels {
                let v = (x * 255 / max(1, width - 1) * (k + 1) + y * 255 / max(1, height - 1) + seed * 37) % 256
                pixels[(y * width + x) * channels + k] = UInt8(v)
            }
        }
    }
    return Image8(width: width, height: height, channels: channels, pixels: pixels)
}

final class CodecTests: XCTestCase {
    func testPNGRoundTripIsExactForAllChannelCounts() throws {
        for c in 1...4 {
            let img = codecTestImage(width: 37, height: 23, channels: c, seed: c)
            let png = try ImageCodec.encodePNG(img)
            XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
            XCTAssertEqual(try ImageCodec.decode(png, path: "mem.png"), img, "channels \(c)")
        }
    }

    func testJPEGRoundTripIsClose() throws {
        for c in [1, 3] {
            // Smooth content, as JPEG (with 4:2:0 chroma) is meant for.
            var img = Image8(width: 64, height: 48, channels: c)
            for y in 0..<48 {
                for x in 0..<64 {
                    for k in 0..<c { img.pixels[(y * 64 + x) * c + k] = UInt8([x * 4, y * 5, (x + y) * 2][k]) }
                }
            }
            let jpeg = try ImageCodec.encodeJPEG(img, quality: 95)
            let back = try ImageCodec.decode(jpeg, path: "mem.jpg")
            XCTAssertEqual([back.width, back.height, back.channels], [64, 48, c])
            let meanError = zip(back.pixels, img.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +) / img.pixels.count
            XCTAssertLessThan(meanError, 3, "channels \(c)")
        }
    }

    func testJPEGQualityChangesSizeAndAlphaIsDropped() throws {
        let img = codecTestImage(width: 64, height: 64, channels: 4)
        let low = try ImageCodec.encodeJPEG(img, quality: 10)
        let high = try ImageCodec.encodeJPEG(img, quality: 100)
        XCTAssertLessThan(low.count, high.count)
        XCTAssertEqual(try ImageCodec.decode(high, path: "x").channels, 3)
        XCTAssertThrowsError(try ImageCodec.encodeJPEG(img, quality: 0))
    }

    func testFilesRoundTrip() throws {
        let dir = try codecTestFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let img = codecTestImage(width: 16, height: 8, channels: 3)
        try ImageCodec.writePNG(img, to: dir + "/a.png")
        try ImageCodec.writeJPEG(img, quality: 90, to: dir + "/a.jpg")
        XCTAssertEqual(try ImageCodec.readFile(dir + "/a.png"), img)
        XCTAssertEqual(try ImageCodec.readFile(dir + "/a.jpg").width, 16)
    }

    func testEncoderRejectsInconsistentImages() {
        let bad = Image8(width: 4, height: 4, channels: 3, pixels: [1, 2, 3])
        XCTAssertThrowsError(try ImageCodec.encodePNG(bad))
        XCTAssertThrowsError(try ImageCodec.encodePNG(Image8(width: 2, height: 2, channels: 5)))
    }

    func testTensorConversion() throws {
        let rgb = Image8(width: 2, height: 1, channels: 3, pixels: [0, 255, 51, 255, 0, 0])
        let t = rgb.tensor()
        XCTAssertEqual(t.shape, [3, 1, 2])
        assertCodecClose(t.scalars, [-1, 1, 1, -1, 51 / 127.5 - 1, -1], accuracy: 1e-6)
        let gray = rgb.tensor(channels: 1)
        XCTAssertEqual(gray.scalars[0], (0.587 * 255 + 0.114 * 51) / 127.5 - 1, accuracy: 1e-5)
        XCTAssertEqual(gray.scalars[1], 0.299 * 255 / 127.5 - 1, accuracy: 1e-5)
        let ga = Image8(width: 1, height: 1, channels: 2, pixels: [255, 7])
        XCTAssertEqual(ga.tensor(channels: 3).scalars, [1, 1, 1])
        XCTAssertEqual(ga.tensor().shape, [1, 1, 1])
        XCTAssertEqual(Image8(width: 1, height: 1, channels: 4, pixels: [0, 0, 0, 9]).tensor().shape, [3, 1, 1])
    }

    func testTensorToImageRoundsAndClamps() throws {
        let t = try Tensor([-2, -1, 0, 1, 3, .nan], shape: [1, 2, 3])
        let img = try Image8(tensor: t)
        XCTAssertEqual([img.width, img.height, img.channels], [3, 2, 1])
        XCTAssertEqual(img.pixels, [0, 0, 128, 255, 255, 0])
        let original = codecTestImage(width: 5, height: 3, channels: 3)
        XCTAssertEqual(try Image8(tensor: original.tensor()), original)
        XCTAssertThrowsError(try Image8(tensor: Tensor(zeros: [5, 2, 2])))
        XCTAssertThrowsError(try Image8(tensor: Tensor(zeros: [4, 4])))
    }

    func testGzipInflate() throws {
        // printf 'hello gzip\n' | gzip -9n  (fixed bytes so the test needs no tool).
        let gz: [UInt8] = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48, 0xcd, 0xc9,
                           0xc9, 0x57, 0x48, 0xaf, 0xca, 0x2c, 0xe0, 0x02, 0x00, 0x39, 0x7c, 0x63, 0x56, 0x0b,
                           0x00, 0x00, 0x00]
        XCTAssertEqual(String(decoding: try Gzip.inflate(gz, path: "h.gz"), as: UTF8.self), "hello gzip\n")
        // Concatenated members are joined, like gunzip.
        XCTAssertEqual(try Gzip.inflate(gz + gz, path: "h.gz").count, 22)
    }

    func testGridGeometryAndPlacement() throws {
        // 5 images of 3x4 (H x W), values distinct per image.
        let (n, h, w) = (5, 3, 4)
        var values = [Float]()
        for i in 0..<n { values += [Float](repeating: Float(i) / 4 * 2 - 1, count: h * w) }
        let images = try Tensor(values, shape: [n, 1, h, w])
        let grid = try ImageGrid.image(images, columns: 2, padding: 2)
        XCTAssertEqual(grid.width, 2 * (w + 2) + 2)
        XCTAssertEqual(grid.height, 3 * (h + 2) + 2)
        XCTAssertEqual(grid.channels, 1)
        func at(_ x: Int, _ y: Int) -> UInt8 { grid.pixels[y * grid.width + x] }
        XCTAssertEqual(at(0, 0), 0)                        // padding is black
        XCTAssertEqual(at(2 + w + 2, 2), Image8.byte(-0.5))        // image 1: row 0, column 1
        XCTAssertEqual(at(2, 2 + 2 * (h + 2)), Image8.byte(1))     // image 4: row 2, column 0
        XCTAssertEqual(at(2 + w + 2, 2 + 2 * (h + 2)), 0)          // empty last cell
        let png = try ImageGrid.png(images, columns: 2, padding: 2)
        XCTAssertEqual(try ImageCodec.decode(png, path: "grid.png"), grid)
        XCTAssertEqual(try ImageGrid.image(images, columns: 5, padding: 0).width, 5 * w)
    }

    func testGridLabelsAddMarginsAndInk() throws {
        let images = Tensor(repeating: -1, shape: [4, 3, 8, 8])
        let plain = try ImageGrid.image(images, columns: 2)
        let labelled = try ImageGrid.image(images, columns: 2, rowLabels: ["real", "fake"], columnLabels: ["A", "B"])
        XCTAssertGreaterThan(labelled.width, plain.width)
        XCTAssertGreaterThan(labelled.height, plain.height)
        XCTAssertEqual(labelled.channels, 3)
        XCTAssertTrue(labelled.pixels.contains(255), "labels are drawn in white")
        XCTAssertFalse(plain.pixels.contains(255))
        XCTAssertThrowsError(try ImageGrid.image(images, columns: 2, rowLabels: ["1", "2", "3"]))
        XCTAssertThrowsError(try ImageGrid.image(images, columns: 0))
        XCTAssertThrowsError(try ImageGrid.image(Tensor(zeros: [2, 2, 4, 4]), columns: 1))
    }

    func testFontGlyphsAreDistinct() {
        let chars = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.:/()")
        let shapes = Set(chars.map { BitmapFont.rows($0) })
        XCTAssertEqual(shapes.count, chars.count)
        XCTAssertEqual(BitmapFont.rows("a"), BitmapFont.rows("A"))
        XCTAssertEqual(BitmapFont.rows("~"), BitmapFont.rows("?"))
    }
}

func assertCodecClose(_ a: [Float], _ b: [Float], accuracy: Float, _ message: String = "",
                    file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, message, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, message, file: file, line: line) }
}

final class PNGFixtureTests: XCTestCase {
    /// Palette, tRNS, 1/2/4/16-bit and interlaced PNGs decode to the 8-bit pixels the script computed.
    func testFixturesDecodeToExpectedPixels() throws {
        XCTAssertEqual(PNGFixtures.cases.count, 11)
        for c in PNGFixtures.cases {
            let bytes = [UInt8](Data(base64Encoded: c.base64)!)
            let img = try ImageCodec.decode(bytes, path: c.name)
            XCTAssertEqual([img.width, img.height, img.channels], [c.width, c.height, c.channels], c.name)
            XCTAssertEqual(img.pixels, c.pixels, c.name)
        }
    }

    func testFixtureHeadersGiveSizes() {
        for c in PNGFixtures.cases {
            let dims = ImageHeader.dimensions([UInt8](Data(base64Encoded: c.base64)!))
            XCTAssertEqual(dims?.width, c.width, c.name)
            XCTAssertEqual(dims?.height, c.height, c.name)
        }
    }
}

// Generated by Tests/Fixtures/scripts/make_png_fixtures.py; do not edit by hand.
enum PNGFixtures {
    struct Case { var name: String; var base64: String; var width, height, channels: Int; var pixels: [UInt8] }
    static let cases: [Case] = [
        Case(name: "palette8", base64: "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAMAAACqqpYoAAAADFBMVEX/AAAA/wAAAP8KFB4iiCkEAAAAEElEQVR42mNgYGRiYGZiBAAAJgAK8x2m9gAAAABJRU5ErkJggg==",
             width: 3, height: 2, channels: 3, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 0, 0, 255, 0, 255, 0]),
        Case(name: "palette2_trns", base64: "iVBORw0KGgoAAAANSUhEUgAAAAUAAAABAgMAAABrkIxgAAAADFBMVEX/AAAA/wAAAP8KFB4iiCkEAAAAAnRSTlMAgJsrThgAAAALSURBVHjaY5B2AAAAeQBcnNAw9QAAAABJRU5ErkJggg==",
             width: 5, height: 1, channels: 4, pixels: [255, 0, 0, 0, 0, 255, 0, 128, 0, 0, 255, 255, 10, 20, 30, 255, 0, 255, 0, 128]),
        Case(name: "gray1", base64: "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACAQAAAAC1D1u3AAAADElEQVR42mNYwKAAAAIEAMEKPvsPAAAAAElFTkSuQmCC",
             width: 3, height: 2, channels: 1, pixels: [255, 0, 255, 0, 0, 255]),
        Case(name: "gray4", base64: "iVBORw0KGgoAAAANSUhEUgAAAAMAAAABBAAAAAD7e6ZpAAAAC0lEQVR42mNg/QAAAP0A9jmVYx0AAAAASUVORK5CYII=",
             width: 3, height: 1, channels: 1, pixels: [0, 85, 255]),
        Case(name: "gray8_trns", base64: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAAAAADRSSBWAAAAAnRSTlMAB+j3WJsAAAALSURBVHjaY2DnAAAAGQAQHbmfrAAAAABJRU5ErkJggg==",
             width: 2, height: 1, channels: 2, pixels: [7, 0, 8, 255]),
        Case(name: "gray16", base64: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACEAAAAAAHTY67AAAAEklEQVR42mNgYBD6z7D67P//AA6SBIiRRUezAAAAAElFTkSuQmCC",
             width: 2, height: 2, channels: 1, pixels: [0, 18, 171, 255]),
        Case(name: "grayalpha16", base64: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABEAQAAAAOu2tCAAAAEUlEQVR42mMQMvl3h4GxgQEADUgCosN1XqgAAAAASUVORK5CYII=",
             width: 2, height: 1, channels: 2, pixels: [18, 254, 0, 128]),
        Case(name: "rgba16", base64: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABEAYAAACksqPJAAAAGUlEQVR42mNgZGJmYWVj5/jwoaHBweH/fwAZ9gWDcywangAAAABJRU5ErkJggg==",
             width: 2, height: 1, channels: 4, pixels: [1, 3, 5, 7, 240, 128, 64, 255]),
        Case(name: "rgb16_trns", base64: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABEAIAAAAr0DSeAAAABnRSTlMAAQACAAPJS6v1AAAAEUlEQVR42mNgYGRgYmAGEwwAAFMADUdLjTIAAAAASUVORK5CYII=",
             width: 2, height: 1, channels: 4, pixels: [0, 0, 0, 0, 1, 2, 3, 255]),
        Case(name: "rgb8_adam7", base64: "iVBORw0KGgoAAAANSUhEUgAAAAkAAAAKCAIAAAGeYNN/AAABJklEQVR42g2Lt0+CQQBHf1Z0YSPHgBVl+IZL2IioWHLMDCRYzhI2NpKzojKTC4ti3277JrF7DiYObJZT9A9gtJeBxIHBb3jJy0seALw4tGj86GvMObqqK2jkWOLpD15BH3DgxEEeOuY2RnT6XMdQT9FPfQs0dEjjbzSNZokhGc9I+1TWvmQMbUACWAdunLWDusepVaDRO5pEF/dN8vgWzxtegl9aUzK7I8uPMoBeHZrR9p72Pukc6gjaiStM3GPEM098G8RfJNYtCb6SEBoYOplngFkTLLLI4pssdcSy96zwzmw0CXQLf0REuUgti/y2KJ6I8oOofgovXAo9KjisktOqsKJKu6p6pgJllfhWObQaBExk1GRnzdWaqe2b8IXJPJvLX/P3DxvlbQ1h5TRnAAAAAElFTkSuQmCC",
             width: 9, height: 10, channels: 3, pixels: [0, 0, 0, 29, 0, 0, 58, 0, 0, 87, 0, 0, 116, 0, 0, 145, 0, 0, 174, 0, 0, 203, 0, 0, 232, 0, 0, 1, 23, 0, 30, 23, 7, 59, 23, 14, 88, 23, 21, 117, 23, 28, 146, 23, 35, 175, 23, 42, 204, 23, 49, 233, 23, 56, 2, 46, 0, 31, 46, 14, 60, 46, 28, 89, 46, 42, 118, 46, 56, 147, 46, 70, 176, 46, 84, 205, 46, 98, 234, 46, 112, 3, 69, 0, 32, 69, 21, 61, 69, 42, 90, 69, 63, 119, 69, 84, 148, 69, 105, 177, 69, 126, 206, 69, 147, 235, 69, 168, 4, 92, 0, 33, 92, 28, 62, 92, 56, 91, 92, 84, 120, 92, 112, 149, 92, 140, 178, 92, 168, 207, 92, 196, 236, 92, 224, 5, 115, 0, 34, 115, 35, 63, 115, 70, 92, 115, 105, 121, 115, 140, 150, 115, 175, 179, 115, 210, 208, 115, 245, 237, 115, 24, 6, 138, 0, 35, 138, 42, 64, 138, 84, 93, 138, 126, 122, 138, 168, 151, 138, 210, 180, 138, 252, 209, 138, 38, 238, 138, 80, 7, 161, 0, 36, 161, 49, 65, 161, 98, 94, 161, 147, 123, 161, 196, 152, 161, 245, 181, 161, 38, 210, 161, 87, 239, 161, 136, 8, 184, 0, 37, 184, 56, 66, 184, 112, 95, 184, 168, 124, 184, 224, 153, 184, 24, 182, 184, 80, 211, 184, 136, 240, 184, 192, 9, 207, 0, 38, 207, 63, 67, 207, 126, 96, 207, 189, 125, 207, 252, 154, 207, 59, 183, 207, 122, 212, 207, 185, 241, 207, 248]),
        Case(name: "grayalpha8_adam7", base64: "iVBORw0KGgoAAAANSUhEUgAAAAUAAAADCAQAAAGGOD3lAAAAJklEQVR42g3FMQEAAAjDsMqZiIlATuUgFZ4EYGE+x5UgRN+mU7s9gmEINdDaklsAAAAASUVORK5CYII=",
             width: 5, height: 3, channels: 2, pixels: [0, 0, 40, 0, 80, 0, 120, 0, 160, 0, 0, 60, 40, 60, 80, 60, 120, 60, 160, 60, 0, 120, 40, 120, 80, 120, 120, 120, 160, 120]),
    ]
}
