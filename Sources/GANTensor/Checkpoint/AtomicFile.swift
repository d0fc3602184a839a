import Foundation

/// Whole-file I/O for checkpoints. Writes go to a temporary file in the destination's directory
/// that is flushed and then renamed over the destination, so a crash mid-save never leaves a
/// half-written checkpoint under the real name.
public enum AtomicFile {
    /// Sequential writes to an open file descriptor.
    final class Sink {
        let fd: Int32
        let path: String

        init(fd: Int32, path: String) {
            self.fd = fd
            self.path = path
        }

        func write(_ bytes: UnsafeRawBufferPointer) throws {
            var done = 0
            while done < bytes.count {
                let n = Foundation.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw TensorError.io(path: path, reason: "write failed: \(String(cString: strerror(errno)))") }
                done += n
            }
        }

        func write(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try write($0) }
        }
    }

    static func write(to url: URL, _ body: (Sink) throws -> Void) throws {
        let path = url.path
        let dir = url.deletingLastPathComponent().path
        var template = Array("\(dir)/.\(url.lastPathComponent).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw TensorError.io(path: path, reason: "cannot create a temporary file in \(dir): \(String(cString: strerror(errno)))")
        }
        let tempPath = String(cString: template)
        var renamed = false
        defer { if !renamed { unlink(tempPath) } }
        do {
            defer { close(fd) }
            try body(Sink(fd: fd, path: path))
            fchmod(fd, 0o644)
            guard fsync(fd) == 0 else { throw TensorError.io(path: path, reason: "fsync failed: \(String(cString: strerror(errno)))") }
        }
        guard rename(tempPath, path) == 0 else {
            throw TensorError.io(path: path, reason: "cannot rename the temporary file into place: \(String(cString: strerror(errno)))")
        }
        renamed = true
    }

    /// Writes `data` to `url` atomically (temporary file, fsync, rename).
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { sink in try data.withUnsafeBytes { try sink.write($0) } }
    }

    static func read(_ url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw TensorError.io(path: url.path, reason: "cannot be read (\(error.localizedDescription))")
        }
    }
}
