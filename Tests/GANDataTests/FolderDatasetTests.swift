import Foundation
import XCTest
@testable import GANData
import GANTensor

final class FolderDatasetTests: XCTestCase {
    var dir = ""
    let rng = RandomGenerator(seed: 7)

    override func setUpWithError() throws { dir = try codecTestFolder(name) }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    private func mkdir(_ sub: String) throws -> String {
        let path = dir + "/" + sub
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A flat-coloured image so that JPEG reproduces it almost exactly.
    private func flat(_ value: UInt8, width: Int = 8, height: Int = 6, channels: Int = 3) -> Image8 {
        Image8(width: width, height: height, channels: channels,
               pixels: [UInt8](repeating: value, count: width * height * channels))
    }

    func testImageFolderClassesLabelsAndMixedFormats() throws {
        let cats = try mkdir("root/cats"), dogs = try mkdir("root/dogs")
        _ = try mkdir("root/empty-looking-but-ignored-file-parent")
        try ImageCodec.writePNG(flat(10), to: cats + "/1.png")
        try ImageCodec.writeJPEG(flat(200), quality: 95, to: cats + "/2.JPG")
        try ImageCodec.writePNG(flat(100, channels: 1), to: dogs + "/a.png")
        try Data("notes".utf8).write(to: URL(fileURLWithPath: dogs + "/readme.txt"))
        try ImageCodec.writePNG(flat(50), to: dir + "/root/empty-looking-but-ignored-file-parent/x.png")

        let ds = try ImageFolder(root: dir + "/root", channels: 3)
        XCTAssertEqual(ds.classNames, ["cats", "dogs", "empty-looking-but-ignored-file-parent"])
        XCTAssertEqual(ds.classCount, 3)
        XCTAssertEqual(ds.count, 4)
        let labels = try (0..<4).map { try ds.sample(at: $0, rng: rng).label! }
        XCTAssertEqual(labels, [0, 0, 1, 2])
        let jpeg = try ds.sample(at: 1, rng: rng)["image"]!
        XCTAssertEqual(jpeg.shape, [3, 6, 8])
        XCTAssertEqual(jpeg[flat: 0], 200 / 127.5 - 1, accuracy: 0.03)
        let grayAsRGB = try ds.sample(at: 2, rng: rng)["image"]!
        assertCodecClose(grayAsRGB.scalars, [Float](repeating: 100 / 127.5 - 1, count: 3 * 48), accuracy: 1e-6)
        XCTAssertEqual(try ImageFolder(root: dir + "/root", channels: 1).sample(at: 0, rng: rng)["image"]!.shape, [1, 6, 8])
    }

    func testImageFolderResizeAndTransform() throws {
        let a = try mkdir("r/a")
        try ImageCodec.writePNG(flat(0, width: 8, height: 6), to: a + "/small.png")
        try ImageCodec.writePNG(flat(255, width: 20, height: 10), to: a + "/big.png")
        XCTAssertThrowsError(try ImageFolder(root: dir + "/r", channels: 3)) { error in
            XCTAssertTrue("\(error)".contains("give the dataset a size"), "\(error)")
        }
        let ds = try ImageFolder(root: dir + "/r", channels: 3, size: (4, 5)) { sample, rng in
            var s = sample
            s["flag"] = Tensor(scalar: Float(rng.seed))
            return s
        }
        let s0 = try ds.sample(at: 0, rng: rng), s1 = try ds.sample(at: 1, rng: rng)
        XCTAssertEqual(s0["image"]!.shape, [3, 4, 5])
        assertCodecClose(s0["image"]!.scalars, [Float](repeating: 1, count: 60), accuracy: 1e-5)  // big.png sorts first
        assertCodecClose(s1["image"]!.scalars, [Float](repeating: -1, count: 60), accuracy: 1e-5)
        XCTAssertEqual(s0["flag"]?.item, 7)
    }

    func testResizeOfAGradientIsSmoothAndAveragesWhenShrinking() throws {
        // A 1-row ramp 0, 1, ..., 7 shrunk to 4 samples averages pairs (with the triangle filter
        // widened to 2 input pixels: weights 1/8, 3/8, 3/8, 1/8 around each output centre).
        let ramp = try Tensor((0..<8).map(Float.init), shape: [1, 1, 8])
        let small = TensorResize.resize(ramp, height: 1, width: 4)
        XCTAssertEqual(small.scalars[1], 2.5, accuracy: 1e-5)
        XCTAssertEqual(small.scalars[2], 4.5, accuracy: 1e-5)
        // Upscaling 2x: interior outputs interpolate with weights 3/4, 1/4.
        let big = TensorResize.resize(try Tensor([0, 4], shape: [1, 1, 2]), height: 1, width: 4)
        assertCodecClose(big.scalars, [0, 1, 3, 4], accuracy: 1e-5)
    }

    func testImageFolderErrors() throws {
        XCTAssertThrowsError(try ImageFolder(root: dir + "/missing", channels: 3)) {
            XCTAssertTrue("\($0)".contains("/missing"))
        }
        _ = try mkdir("noclasses")
        try ImageCodec.writePNG(flat(1), to: dir + "/noclasses/loose.png")
        XCTAssertThrowsError(try ImageFolder(root: dir + "/noclasses", channels: 3)) {
            XCTAssertTrue("\($0)".contains("no class sub-folders"), "\($0)")
        }
        _ = try mkdir("emptyclass/a")
        XCTAssertThrowsError(try ImageFolder(root: dir + "/emptyclass", channels: 3)) {
            XCTAssertTrue("\($0)".contains("emptyclass/a") && "\($0)".contains("no PNG or JPEG"), "\($0)")
        }
        let c = try mkdir("ok/c")
        try ImageCodec.writePNG(flat(1), to: c + "/x.png")
        XCTAssertThrowsError(try ImageFolder(root: dir + "/ok", channels: 2))
        XCTAssertThrowsError(try ImageFolder(root: dir + "/ok", channels: 3, size: (0, 4)))
    }

    func testSkipBadFiles() throws {
        let c = try mkdir("s/c")
        try ImageCodec.writePNG(flat(30), to: c + "/0.png")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: c + "/1.png"))              // bad header
        var truncated = try ImageCodec.encodePNG(flat(60))
        truncated.removeLast(20)                                                        // header fine, body cut
        try Data(truncated).write(to: URL(fileURLWithPath: c + "/2.png"))
        try ImageCodec.writePNG(flat(90), to: c + "/3.png")

        XCTAssertThrowsError(try ImageFolder(root: dir + "/s", channels: 3)) { XCTAssertTrue("\($0)".contains("1.png")) }
        let ds = try ImageFolder(root: dir + "/s", channels: 3, skipBadFiles: true)
        XCTAssertEqual(ds.count, 3)
        XCTAssertEqual(ds.skippedCount, 1)
        // Index 1 is the truncated file: it falls back to the next good one and is counted.
        XCTAssertEqual(try ds.sample(at: 1, rng: rng)["image"]![flat: 0], 90 / 127.5 - 1, accuracy: 1e-6)
        XCTAssertEqual(ds.skippedCount, 2)
        // Without skipping, the lazy decode error names the file.
        try FileManager.default.removeItem(atPath: c + "/1.png")
        let strict = try ImageFolder(root: dir + "/s", channels: 3)
        XCTAssertThrowsError(try strict.sample(at: 1, rng: rng)) { error in
            guard case let DataError.corrupt(path, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, c + "/2.png")
        }
    }

    func testPairedFolderSideBySide() throws {
        let p = try mkdir("facades")
        var img = Image8(width: 8, height: 2, channels: 3)
        for y in 0..<2 { for x in 0..<8 { for k in 0..<3 { img.pixels[(y * 8 + x) * 3 + k] = x < 4 ? 0 : 255 } } }
        try ImageCodec.writePNG(img, to: p + "/1.png")
        try ImageCodec.writePNG(img, to: p + "/2.png")
        let ab = try PairedFolder(combined: p)
        XCTAssertEqual(ab.count, 2)
        let s = try ab.sample(at: 0, rng: rng)
        XCTAssertEqual(s["A"]!.shape, [3, 2, 4])
        XCTAssertEqual(s["A"]!.scalars, [Float](repeating: -1, count: 24))
        XCTAssertEqual(s["B"]!.scalars, [Float](repeating: 1, count: 24))
        let ba = try PairedFolder(combined: p, direction: .BtoA, channels: 1, size: (4, 4))
        let t = try ba.sample(at: 1, rng: rng)
        XCTAssertEqual(t["A"]!.shape, [1, 4, 4])
        assertCodecClose(t["A"]!.scalars, [Float](repeating: 1, count: 16), accuracy: 1e-5)

        try ImageCodec.writePNG(flat(0, width: 7, height: 2), to: p + "/3.png")
        XCTAssertThrowsError(try PairedFolder(combined: p)) { XCTAssertTrue("\($0)".contains("3.png")) }
    }

    func testPairedFolderMatchedByName() throws {
        let a = try mkdir("A"), b = try mkdir("B")
        try ImageCodec.writePNG(flat(0), to: a + "/x.png")
        try ImageCodec.writePNG(flat(0), to: a + "/y.png")
        try ImageCodec.writeJPEG(flat(255), quality: 95, to: b + "/x.jpg")
        try ImageCodec.writePNG(flat(255), to: b + "/y.png")
        let ds = try PairedFolder(folderA: a, folderB: b)
        XCTAssertEqual(ds.count, 2)
        let s = try ds.sample(at: 1, rng: rng)
        XCTAssertEqual(s["A"]![flat: 0], -1)
        XCTAssertEqual(s["B"]![flat: 0], 1)

        try ImageCodec.writePNG(flat(0), to: a + "/lonely.png")
        try ImageCodec.writePNG(flat(0), to: b + "/orphan.png")
        XCTAssertThrowsError(try PairedFolder(folderA: a, folderB: b)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("only in \(a): lonely") && text.contains("only in \(b): orphan"), text)
        }
    }

    func testUnpairedFolders() throws {
        let a = try mkdir("trainA"), b = try mkdir("trainB")
        for i in 0..<3 { try ImageCodec.writePNG(flat(UInt8(i * 10)), to: a + "/\(i).png") }
        for i in 0..<5 { try ImageCodec.writePNG(flat(UInt8(100 + i * 10)), to: b + "/\(i).png") }
        let ds = try UnpairedFolders(trainA: a, trainB: b)
        XCTAssertEqual(ds.count, 5)
        XCTAssertEqual([ds.countA, ds.countB], [3, 5])
        let s = try ds.sample(at: 4, rng: RandomGenerator(seed: 3))
        XCTAssertEqual(s["A"]![flat: 0], 10 / 127.5 - 1, accuracy: 1e-6)  // 4 % 3 = 1
        // B depends only on the generator: same seed, same B; several seeds reach several images.
        let again = try ds.sample(at: 4, rng: RandomGenerator(seed: 3))
        XCTAssertEqual(s["B"]!.scalars, again["B"]!.scalars)
        let bs = try Set((0..<40).map { try ds.sample(at: 0, rng: RandomGenerator(seed: UInt64($0)))["B"]![flat: 0] })
        XCTAssertEqual(bs.count, 5)
        XCTAssertThrowsError(try ds.sample(at: 5, rng: rng))
    }
}

