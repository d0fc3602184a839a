/// IDX files (the MNIST format; LeCun et al.), gzipped or not: magic 0x00000801 for labels
/// (one byte each) and 0x00000803 for images (rows x columns bytes each), big-endian sizes.
public enum IDX {
    public struct Images { public let count: Int, rows: Int, columns: Int, pixels: [UInt8] }

    public static func bytes(_ path: String) throws -> [UInt8] {
        let raw = try FileBytes.read(path)
        return raw.starts(with: [0x1F, 0x8B]) ? try Gzip.inflate(raw, path: path) : raw
    }

    static func header(_ b: [UInt8], path: String, magic: UInt32, dims: Int) throws -> [Int] {
        guard b.count >= 4 + 4 * dims else { throw DataError.corrupt(path: path, reason: "shorter than an IDX header (\(b.count) bytes)") }
        func u32(_ o: Int) -> UInt32 { UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3]) }
        let found = u32(0)
        guard found == magic else {
            throw DataError.corrupt(path: path, reason: "wrong magic number 0x\(String(found, radix: 16)), expected 0x\(String(magic, radix: 16))")
        }
        let sizes = (0..<dims).map { Int(u32(4 + 4 * $0)) }
        let expected = 4 + 4 * dims + sizes.reduce(1, *)
        guard b.count == expected else {
            throw DataError.corrupt(path: path, reason: "holds \(b.count) bytes, the header \(sizes) needs \(expected)")
        }
        return sizes
    }

    public static func readImages(_ path: String) throws -> Images {
        let b = try bytes(path)
        let d = try header(b, path: path, magic: 0x0803, dims: 3)
        return Images(count: d[0], rows: d[1], columns: d[2], pixels: Array(b[16...]))
    }

    public static func readLabels(_ path: String) throws -> [Int] {
        let b = try bytes(path)
        _ = try header(b, path: path, magic: 0x0801, dims: 1)
        return b[8...].map(Int.init)
    }
}
