/// The IDX format of MNIST-like datasets (LeCun et al.): magic 00 00 <type> <rank>, then `rank`
/// big-endian UInt32 dimensions, then the row-major data. Only unsigned bytes (type 0x08) are
/// used by these datasets: rank 1 for labels (magic 0x0801), rank 3 for images (0x0803).
public struct IDXArray: Sendable {
    public var dims: [Int]
    public var bytes: [UInt8]
}

public enum IDX {
    public static let labelsMagic: UInt32 = 0x0801
    public static let imagesMagic: UInt32 = 0x0803

    /// Parses an uncompressed IDX byte array whose magic must be `magic`.
    public static func parse(_ data: [UInt8], magic: UInt32, path: String) throws -> IDXArray {
        guard !data.isEmpty else { throw DataError.corrupt(path: path, reason: "empty file") }
        guard data.count >= 4 else { throw DataError.corrupt(path: path, reason: "only \(data.count) bytes, no IDX header") }
        let found = bigEndian(data, at: 0)
        guard found == magic else {
            throw DataError.corrupt(path: path, reason: "IDX magic is 0x\(hex(found)), expected 0x\(hex(magic))")
        }
        let rank = Int(magic & 0xFF)
        let headerSize = 4 + 4 * rank
        guard data.count >= headerSize else {
            throw DataError.corrupt(path: path, reason: "truncated IDX header (\(data.count) of \(headerSize) bytes)")
        }
        let dims = (0..<rank).map { Int(bigEndian(data, at: 4 + 4 * $0)) }
        // Each dimension is < 2^32, so the product of at most three of them fits in Int only if checked.
        var expected = 1
        for d in dims {
            let (p, overflow) = expected.multipliedReportingOverflow(by: d)
            guard !overflow, p < 1 << 40 else { throw DataError.corrupt(path: path, reason: "absurd IDX dimensions \(dims)") }
            expected = p
        }
        let payload = data.count - headerSize
        guard payload == expected else {
            let what = payload < expected ? "truncated" : "too long"
            throw DataError.corrupt(path: path, reason:
                "\(what): dimensions \(dims) need \(expected) data bytes, file has \(payload)")
        }
        return IDXArray(dims: dims, bytes: Array(data[headerSize...]))
    }

    /// Reads an IDX file, gzip-compressed or raw (detected by magic bytes).
    public static func read(_ path: String, magic: UInt32) throws -> IDXArray {
        try parse(try Gzip.readMaybeCompressed(path), magic: magic, path: path)
    }

    /// Labels and images read together; their counts must agree.
    static func readPair(images imagesPath: String, labels labelsPath: String) throws -> (images: IDXArray, labels: [UInt8]) {
        let images = try read(imagesPath, magic: imagesMagic)
        let labels = try read(labelsPath, magic: labelsMagic)
        guard images.dims[0] == labels.dims[0] else {
            throw DataError.invalid(path: labelsPath, reason:
                "\(labels.dims[0]) labels for \(images.dims[0]) images in \(imagesPath)")
        }
        return (images, labels.bytes)
    }

    private static func bigEndian(_ d: [UInt8], at i: Int) -> UInt32 {
        UInt32(d[i]) << 24 | UInt32(d[i + 1]) << 16 | UInt32(d[i + 2]) << 8 | UInt32(d[i + 3])
    }

    private static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}
