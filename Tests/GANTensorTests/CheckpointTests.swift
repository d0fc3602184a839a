import Foundation
import XCTest
@testable import GANTensor

final class CheckpointTests: XCTestCase {
    /// Written by Tests/Fixtures/scripts/make_checkpoint_fixtures.py with Python's safetensors/numpy.
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-tests-\(getpid())-\(name.hashValue)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func testReadsPythonSafetensors() throws {
        let file = try SafeTensors.read(from: fixtures.appendingPathComponent("reference.safetensors"))
        XCTAssertEqual(file.metadata, ["format": "pt", "step": "12"])
        XCTAssertEqual(Set(file.tensors.map(\.name)), ["weight", "num_batches_tracked", "half", "double", "empty"])
        XCTAssertEqual(file["weight"]?.shape, [2, 3])
        XCTAssertEqual(file["weight"]?.scalars, [-1, -0.5, 0, 0.5, 1, 1.5])
        XCTAssertEqual(file["num_batches_tracked"]?.shape, [])
        XCTAssertEqual(file["num_batches_tracked"]?.scalars, [7])
        XCTAssertEqual(file["half"]?.scalars, [1, -2, 0.5, 65504, 0x1p-24])
        XCTAssertEqual(file["double"]?.scalars, [0.1, 1e10])
        XCTAssertEqual(file["empty"]?.shape, [0, 3])
        XCTAssertEqual(file.dtypes["num_batches_tracked"], "I64")
        XCTAssertEqual(file.dtypes["half"], "F16")
    }

    func testReadsPythonNpy() throws {
        let f4 = try Npy.read(from: fixtures.appendingPathComponent("f4.npy"))
        XCTAssertEqual(f4.shape, [2, 2, 2])
        XCTAssertEqual(f4.scalars, (0..<8).map { Float($0) / 4 })
        let f8 = try Npy.read(from: fixtures.appendingPathComponent("f8.npy"))
        XCTAssertEqual(f8.shape, [3])
        XCTAssertEqual(f8.scalars, [0.1, -3, 1e10])
        let i8 = try Npy.read(from: fixtures.appendingPathComponent("i8.npy"))
        XCTAssertEqual(i8.shape, [])
        XCTAssertEqual(i8.scalars, [-42])
        let fortran = fixtures.appendingPathComponent("fortran.npy")
        XCTAssertThrowsError(try Npy.read(from: fortran)) { error in
            XCTAssertEqual(error as? TensorError, .io(path: fortran.path, reason: "fortran_order arrays are not supported; save with numpy.ascontiguousarray"))
        }
    }

    func testSafetensorsRoundTrip() throws {
        let url = dir.appendingPathComponent("model.safetensors")
        let rng = RandomGenerator(seed: 1)
        let entries: [(String, Tensor)] = [
            ("main.0.weight", rng.normal([4, 3, 2, 2])), ("main.1.num_batches_tracked", Tensor(scalar: 12345)),
            ("scalar", Tensor(scalar: -0.25)), ("empty", Tensor(zeros: [0, 5])), ("bias", rng.normal([3])),
        ]
        let metadata = ["config": "{\"name\": \"dcgan\"}\nline two\t\u{1}", "ünïcode": "✓"]
        try SafeTensors.write(entries, metadata: metadata, int64Keys: ["main.1.num_batches_tracked"], to: url)
        let back = try SafeTensors.read(from: url)
        XCTAssertEqual(back.tensors.map(\.name), entries.map(\.0), "data order is the written order")
        for ((name, t), (readName, r)) in zip(entries, back.tensors) {
            XCTAssertEqual(name, readName)
            XCTAssertEqual(r.shape, t.shape, name)
            XCTAssertEqual(r.scalars, t.scalars, name)
        }
        XCTAssertEqual(back.metadata, metadata)
        XCTAssertEqual(back.dtypes["main.1.num_batches_tracked"], "I64")
        // Data starts 8-byte aligned.
        let bytes = try Data(contentsOf: url)
        XCTAssertEqual(bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) } % 8, 0)
        // Overwriting goes through a temporary file that does not stay behind.
        try SafeTensors.write([("x", Tensor(scalar: 1))], to: url)
        XCTAssertEqual(try SafeTensors.read(from: url).tensors.map(\.name), ["x"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.safetensors"])
    }

    func testSafetensorsWriteErrors() throws {
        let url = dir.appendingPathComponent("bad.safetensors")
        XCTAssertThrowsError(try SafeTensors.write([("n", Tensor(scalar: 1.5))], int64Keys: ["n"], to: url)) {
            XCTAssertTrue("\($0)".contains("\"n\" is written as I64 but holds the non-integer 1.5"), "\($0)")
        }
        XCTAssertThrowsError(try SafeTensors.write([("a", Tensor(scalar: 1)), ("a", Tensor(scalar: 2))], to: url))
        XCTAssertThrowsError(try SafeTensors.write([("a", Tensor(scalar: 1))], int64Keys: ["b"], to: url))
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path), "a failed write leaves nothing")
        let missingDir = dir.appendingPathComponent("no/such/dir/x.safetensors")
        XCTAssertThrowsError(try SafeTensors.write([("a", Tensor(scalar: 1))], to: missingDir)) {
            XCTAssertTrue("\($0)".hasPrefix(missingDir.path), "\($0)")
        }
    }

    func testNpyRoundTrip() throws {
        for shape in [[2, 3, 4], [5], [], [0, 2]] {
            let url = dir.appendingPathComponent("t.npy")
            let t = RandomGenerator(seed: 2).normal(shape)
            try Npy.write(t, to: url)
            let back = try Npy.read(from: url)
            XCTAssertEqual(back.shape, shape)
            XCTAssertEqual(back.scalars, t.scalars)
            let header = try Data(contentsOf: url)
            XCTAssertEqual((10 + Int(header[8]) + Int(header[9]) << 8) % 64, 0, "header padded to 64 bytes")
        }
    }

    /// A safetensors file from a raw header and data.
    func safetensors(_ header: String, data: [UInt8] = [], lengthOverride: UInt64? = nil) throws -> URL {
        let h = Array(header.utf8)
        var bytes = withUnsafeBytes(of: (lengthOverride ?? UInt64(h.count)).littleEndian) { Array($0) }
        bytes += h + data
        let url = dir.appendingPathComponent("corrupt-\(UUID().uuidString).safetensors")
        try Data(bytes).write(to: url)
        return url
    }

    func assertIOError(_ url: URL, containing text: String, file: StaticString = #filePath, line: UInt = #line,
                       _ read: (URL) throws -> Any) {
        XCTAssertThrowsError(try read(url), file: file, line: line) { error in
            guard case let .io(path, reason)? = error as? TensorError else {
                return XCTFail("not an io error: \(error)", file: file, line: line)
            }
            XCTAssertEqual(path, url.path, file: file, line: line)
            XCTAssertTrue(reason.contains(text), "\(reason) lacks \(text)", file: file, line: line)
            XCTAssertTrue("\(error)".hasPrefix(url.path), file: file, line: line)
        }
    }

    func testCorruptSafetensorsAreNamedErrors() throws {
        let read: (URL) throws -> Any = { try SafeTensors.read(from: $0) }
        let entry = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let eight = [UInt8](repeating: 0, count: 8)
        assertIOError(dir.appendingPathComponent("missing.safetensors"), containing: "cannot be read", read)
        let short = dir.appendingPathComponent("short.safetensors")
        try Data([1, 2, 3]).write(to: short)
        assertIOError(short, containing: "too short", read)
        assertIOError(try safetensors(entry, data: eight, lengthOverride: 1 << 40), containing: "runs past the end", read)
        var truncated = try Data(contentsOf: try safetensors(entry, data: eight))
        truncated.removeLast(3)
        let truncatedURL = dir.appendingPathComponent("truncated.safetensors")
        try truncated.write(to: truncatedURL)
        assertIOError(truncatedURL, containing: "\"w\": data_offsets [0, 8] lie outside the 5 bytes", read)
        assertIOError(try safetensors("{not json", data: eight), containing: "not a JSON object", read)
        assertIOError(try safetensors("[1, 2]"), containing: "not a JSON object", read)
        assertIOError(try safetensors(#"{"__metadata__":{"a":1}}"#), containing: "__metadata__", read)
        assertIOError(try safetensors(#"{"w":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}"#, data: eight),
                      containing: "\"w\": unknown dtype \"Q4\"", read)
        assertIOError(try safetensors(#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: eight),
                      containing: "\"w\": shape [3] of F32 disagrees with data_offsets [0, 8]", read)
        assertIOError(try safetensors(#"{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: eight),
                      containing: "\"w\": shape must be", read)
        assertIOError(try safetensors(#"{"w":{"dtype":"F32","shape":[2]}}"#, data: eight), containing: "\"w\": data_offsets", read)
        assertIOError(try safetensors(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, data: eight),
                      containing: "\"w\": data_offsets [8, 0]", read)
        assertIOError(try safetensors(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: eight),
                      containing: "\"a\" and \"b\" overlap", read)
        assertIOError(try safetensors(#"{"w":"F32"}"#), containing: "\"w\": entry is not a JSON object", read)
    }

    func testCorruptNpyAreNamedErrors() throws {
        let read: (URL) throws -> Any = { try Npy.read(from: $0) }
        func npy(_ header: String, data: [UInt8] = [], version: UInt8 = 1) throws -> URL {
            let h = Array(header.utf8)
            let url = dir.appendingPathComponent("corrupt-\(UUID().uuidString).npy")
            try Data([0x93] + Array("NUMPY".utf8) + [version, 0, UInt8(h.count & 0xff), UInt8(h.count >> 8)] + h + data).write(to: url)
            return url
        }
        let garbage = dir.appendingPathComponent("garbage.npy")
        try Data("hello world, not numpy".utf8).write(to: garbage)
        assertIOError(garbage, containing: "bad magic", read)
        let truncated = dir.appendingPathComponent("truncated.npy")
        try Data(try Data(contentsOf: fixtures.appendingPathComponent("f4.npy")).prefix(100)).write(to: truncated)
        assertIOError(truncated, containing: "runs past the end", read)
        let f4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n"
        assertIOError(try npy(f4, data: [0, 0, 0, 0]), containing: "needs 8 bytes of data, the file has 4", read)
        assertIOError(try npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }\n", data: [0, 0, 0, 0]),
                      containing: "unsupported dtype '>f4'", read)
        assertIOError(try npy("{'descr': '<f4', 'shape': (1,), }\n"), containing: "lacks one of", read)
        assertIOError(try npy("{'descr': '<f4', 'fortran_order': maybe, 'shape': (1,), }\n"), containing: "True or False", read)
        assertIOError(try npy("{'descr': '<f4', 'fortran_order': False, 'shape': (x,), }\n"), containing: "bad dimension 'x'", read)
        assertIOError(try npy(f4, version: 9), containing: "unsupported .npy version 9", read)
    }
}
