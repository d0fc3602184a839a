import Foundation
import GANTensor

/// Writes TensorBoard event files (events.out.tfevents.<time>.<host>) with scalars and images,
/// readable by the `tensorboard` Python package: TFRecord framing around Event protobufs
/// (tensorflow/core/util/event.proto, summary.proto: Event{wall_time=1, step=2, file_version=3,
/// summary=5}, Summary{value=1}, Value{tag=1, simple_value=2, image=4},
/// Image{height=1, width=2, colorspace=3, encoded_image_string=4}).
public final class TensorBoardWriter {
    public let url: URL
    private let handle: FileHandle

    public init(directory: URL, clock: () -> Date = Date.init) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let now = clock()
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, 255)
        var name = "events.out.tfevents.\(Int(now.timeIntervalSince1970)).\(String(cString: host))"
        // Two writers in the same second (a quick resume) must not share a file.
        var n = 1
        while FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
            name = "events.out.tfevents.\(Int(now.timeIntervalSince1970)).\(String(cString: host)).\(n)"
            n += 1
        }
        url = directory.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let h = FileHandle(forWritingAtPath: url.path) else {
            throw TensorError.io(path: url.path, reason: "cannot create the TensorBoard event file")
        }
        handle = h
        var event = ProtoWriter()
        event.double(1, now.timeIntervalSince1970)
        event.string(3, "brain.Event:2")
        try writeRecord(event.bytes)
    }

    deinit { try? handle.close() }

    public func scalar(_ tag: String, _ value: Float, step: Int) throws {
        try writeSummary(step: step) { v in
            v.string(1, tag)
            v.float(2, value)
        }
    }

    /// An image summary from PNG bytes; `channels` is 1 (gray), 3 (RGB) or 4 (RGBA).
    public func image(_ tag: String, png: [UInt8], width: Int, height: Int, channels: Int, step: Int) throws {
        try writeSummary(step: step) { v in
            v.string(1, tag)
            v.message(4) { img in
                img.int64(1, Int64(height))
                img.int64(2, Int64(width))
                img.int64(3, Int64(channels))
                img.bytes(4, png)
            }
        }
    }

    public func flush() throws { try handle.synchronize() }

    private func writeSummary(step: Int, _ value: @escaping (inout ProtoWriter) -> Void) throws {
        var event = ProtoWriter()
        event.double(1, Date().timeIntervalSince1970)
        event.int64(2, Int64(step))
        event.message(5) { summary in summary.message(1, value) }
        try writeRecord(event.bytes)
    }

    /// TFRecord: uint64 length, masked CRC of the length, data, masked CRC of the data (little endian).
    private func writeRecord(_ data: [UInt8]) throws {
        var record: [UInt8] = []
        let length = withUnsafeBytes(of: UInt64(data.count).littleEndian) { Array($0) }
        record += length
        record += withUnsafeBytes(of: CRC32C.masked(length).littleEndian) { Array($0) }
        record += data
        record += withUnsafeBytes(of: CRC32C.masked(data).littleEndian) { Array($0) }
        try handle.write(contentsOf: Data(record))
    }
}
