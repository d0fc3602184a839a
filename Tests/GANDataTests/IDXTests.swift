import Foundation
import XCTest
@testable import GANData
import GANTensor

/// IDX bytes: magic, big-endian dimensions, payload.
func idxBytes(magic: UInt32, dims: [Int], payload: [UInt8]) -> [UInt8] {
    func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    return be(magic) + dims.flatMap { be(UInt32($0)) } + payload
}

final class IDXTests: XCTestCase {
    let rng = RandomGenerator(seed: 1)

    func testFashionMNISTTrainAndTestSplits() throws {
        for (split, n) in [(Split.train, 60000), (.test, 10000)] {
            let ds = try FashionMNIST(split: split)
            XCTAssertEqual(ds.count, n)
            XCTAssertEqual(ds.classCount, 10)
            XCTAssertEqual(ds.images.shape, [n, 1, 28, 28])
            XCTAssertEqual(ds.classHistogram(), [Int](repeating: n / 10, count: 10))
            let all = ds.images
            var lo: Float = .infinity, hi: Float = -.infinity
            withExtendedLifetime(all) {
                for i in 0..<all.count { lo = min(lo, all.data[i]); hi = max(hi, all.data[i]) }
            }
            XCTAssertEqual(lo, -1)
            XCTAssertEqual(hi, 1)
            let s = try ds.sample(at: n - 1, rng: rng)
            XCTAssertEqual(s["image"]?.shape, [1, 28, 28])
            XCTAssertEqual(s.label, ds.labels[n - 1])
            XCTAssertEqual(s["image"]!.scalars, (0..<784).map { all[flat: (n - 1) * 784 + $0] })
        }
        XCTAssertEqual(FashionMNIST.classNames.count, 10)
        XCTAssertEqual(FashionMNIST.classNames[9], "Ankle boot")
    }

    func testFashionMNISTPad32AndLimit() throws {
        let plain = try FashionMNIST(split: .test, limit: 3)
        let padded = try FashionMNIST(split: .test, pad32: true, limit: 3)
        XCTAssertEqual(plain.count, 3)
        XCTAssertEqual(padded.name, "fashion-mnist test (3)")
        let a = try plain.sample(at: 2, rng: rng)["image"]!, b = try padded.sample(at: 2, rng: rng)["image"]!
        XCTAssertEqual(b.shape, [1, 32, 32])
        for y in 0..<32 {
            for x in 0..<32 {
                let inside = (2..<30).contains(y) && (2..<30).contains(x)
                XCTAssertEqual(b[flat: y * 32 + x], inside ? a[flat: (y - 2) * 28 + x - 2] : -1)
            }
        }
        XCTAssertThrowsError(try plain.sample(at: 3, rng: rng))
        XCTAssertThrowsError(try FashionMNIST(split: .test, limit: 0))
    }

    func testFashionMNISTMissingNamesPackageAndPath() {
        XCTAssertThrowsError(try FashionMNIST(split: .train, root: "/nonexistent/fmnist")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("/nonexistent/fmnist/train-images-idx3-ubyte.gz"), text)
            XCTAssertTrue(text.contains("apt-get install dataset-fashion-mnist"), text)
        }
    }

    func testIDXDatasetRawAndGzip() throws {
        let dir = try codecTestFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pixels: [UInt8] = (0..<(3 * 2 * 2)).map { UInt8($0 * 20) }
        let images = idxBytes(magic: 0x0803, dims: [3, 2, 2], payload: pixels)
        let labels = idxBytes(magic: 0x0801, dims: [3], payload: [2, 0, 1])
        try Data(images).write(to: URL(fileURLWithPath: dir + "/img"))
        try Data(try Gzip.deflate(labels)).write(to: URL(fileURLWithPath: dir + "/lbl.gz"))
        let ds = try IDXDataset(imagesPath: dir + "/img", labelsPath: dir + "/lbl.gz", classCount: 3)
        XCTAssertEqual(ds.count, 3)
        XCTAssertEqual(ds.labels, [2, 0, 1])
        let s = try ds.sample(at: 1, rng: rng)
        XCTAssertEqual(s.label, 0)
        XCTAssertEqual(s["image"]!.shape, [1, 2, 2])
        XCTAssertEqual(s["image"]!.scalars, pixels[4..<8].map { Float($0) / 127.5 - 1 })
        XCTAssertEqual(ds.classHistogram(), [1, 1, 1])
        // A label outside the declared classes is reported against the labels file.
        XCTAssertThrowsError(try IDXDataset(imagesPath: dir + "/img", labelsPath: dir + "/lbl.gz", classCount: 2)) {
            XCTAssertTrue("\($0)".contains("lbl.gz"))
        }
    }

    func testIDXParseErrors() throws {
        let good = idxBytes(magic: 0x0803, dims: [2, 2, 2], payload: [UInt8](repeating: 7, count: 8))
        XCTAssertEqual(try IDX.parse(good, magic: 0x0803, path: "x").dims, [2, 2, 2])
        let cases: [(String, [UInt8], String)] = [
            ("empty", [], "empty"),
            ("short", [0, 0, 8], "no IDX header"),
            ("wrong magic", good, "magic"),
            ("truncated header", Array(good.prefix(10)), "header"),
            ("truncated data", Array(good.dropLast()), "truncated"),
            ("too long", good + [1], "too long"),
        ]
        for (what, bytes, needle) in cases {
            let magic: UInt32 = what == "wrong magic" ? 0x0801 : 0x0803
            XCTAssertThrowsError(try IDX.parse(bytes, magic: magic, path: "f.idx"), what) { error in
                guard case let DataError.corrupt(path, reason) = error else { return XCTFail("\(what): \(error)") }
                XCTAssertEqual(path, "f.idx")
                XCTAssertTrue(reason.contains(needle), "\(what): \(reason)")
            }
        }
    }

    func testIDXCountMismatch() throws {
        let dir = try codecTestFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(idxBytes(magic: 0x0803, dims: [2, 1, 1], payload: [1, 2])).write(to: URL(fileURLWithPath: dir + "/i"))
        try Data(idxBytes(magic: 0x0801, dims: [3], payload: [0, 1, 2])).write(to: URL(fileURLWithPath: dir + "/l"))
        XCTAssertThrowsError(try IDXDataset(imagesPath: dir + "/i", labelsPath: dir + "/l")) { error in
            guard case let DataError.invalid(path, reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, dir + "/l")
            XCTAssertTrue(reason.contains("3 labels for 2 images"), reason)
        }
    }

    func testCIFAR10Binary() throws {
        let dir = try codecTestFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var bytes = [UInt8]()
        for r in 0..<3 {
            bytes.append(UInt8(r * 3))
            bytes += (0..<3072).map { UInt8(($0 / 1024 * 100 + r) % 256) }  // plane k has value 100k + r
        }
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/b1.bin"))
        try Data(Array(bytes.prefix(3073))).write(to: URL(fileURLWithPath: dir + "/b2.bin"))
        let ds = try CIFAR10Binary(files: [dir + "/b1.bin", dir + "/b2.bin"])
        XCTAssertEqual(ds.count, 4)
        XCTAssertEqual(ds.labels, [0, 3, 6, 0])
        let s = try ds.sample(at: 2, rng: rng)
        XCTAssertEqual(s["image"]!.shape, [3, 32, 32])
        XCTAssertEqual(s["image"]![flat: 0], 2 / 127.5 - 1)
        XCTAssertEqual(s["image"]![flat: 1024], 102 / 127.5 - 1)
        XCTAssertEqual(s["image"]![flat: 3071], 202 / 127.5 - 1)
        XCTAssertEqual(try CIFAR10Binary(files: [dir + "/b1.bin"], limit: 2).count, 2)

        try Data(bytes.dropLast()).write(to: URL(fileURLWithPath: dir + "/bad.bin"))
        XCTAssertThrowsError(try CIFAR10Binary(files: [dir + "/bad.bin"])) {
            XCTAssertTrue("\($0)".contains("bad.bin") && "\($0)".contains("multiple of the 3073"), "\($0)")
        }
        var badLabel = bytes
        badLabel[0] = 10
        try Data(badLabel).write(to: URL(fileURLWithPath: dir + "/label.bin"))
        XCTAssertThrowsError(try CIFAR10Binary(files: [dir + "/label.bin"]))
        XCTAssertThrowsError(try CIFAR10Binary(files: []))
    }
}

final class DataBenchTests: XCTestCase {
    func testBenchProducesRecords() throws {
        let records = try DataBench.run(batchSize: 8, batches: 3, jpegPairs: 2)
        XCTAssertEqual(records.map(\.name), ["fashion-mnist.load", "fashion-mnist.batch8", "jpeg256.pair-decode"])
        XCTAssertEqual(records.map(\.images), [60000, 24, 4])
        for r in records {
            XCTAssertNil(r.note)
            XCTAssertGreaterThan(r.imagesPerSecond, 0)
            XCTAssertEqual(r.json["name"] as? String, r.name)
        }
        let missing = try DataBench.run(fashionMNISTRoot: "/nonexistent", jpegPairs: 1)
        XCTAssertEqual(missing.count, 2)
        XCTAssertNotNil(missing[0].note)
    }
}
