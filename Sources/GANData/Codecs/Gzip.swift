import CImageCodecs

/// gzip files inflated whole (IDX datasets ship as .gz).
public enum Gzip {
    /// Largest inflated size accepted (guards against decompression bombs).
    public static let maxInflatedBytes = 1 << 33

    /// True when `data` starts with the gzip magic bytes 1f 8b.
    public static func isGzip(_ data: [UInt8]) -> Bool {
        data.count >= 2 && data[0] == 0x1f && data[1] == 0x8b
    }

    /// Inflates a whole gzip file; `path` names it in errors (truncated, corrupt, not gzip).
    public static func inflate(_ data: [UInt8], path: String) throws -> [UInt8] {
        guard !data.isEmpty else { throw DataError.corrupt(path: path, reason: "empty file") }
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        try CodecCall.run(path: path, what: "gzip") { err, cap in
            data.withUnsafeBufferPointer {
                gk_gzip_inflate($0.baseAddress, $0.count, maxInflatedBytes, &out, &size, err, cap)
            }
        }
        return CodecCall.take(out, count: size)
    }

    /// A file's bytes, inflated when it is gzip-compressed (by magic, not by name).
    public static func readMaybeCompressed(_ path: String) throws -> [UInt8] {
        let bytes = try FileBytes.read(path)
        return isGzip(bytes) ? try inflate(bytes, path: path) : bytes
    }

    /// `data` compressed as a gzip file (level 0...9).
    public static func deflate(_ data: [UInt8], level: Int = 6) throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        try CodecCall.run(path: "<gzip>", what: "gzip") { err, cap in
            data.withUnsafeBufferPointer {
                gk_gzip_deflate($0.baseAddress, $0.count, Int32(level), &out, &size, err, cap)
            }
        }
        return CodecCall.take(out, count: size)
    }
}
