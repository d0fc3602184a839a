import Foundation

/// Image dimensions read from a PNG or JPEG header without decoding the pixels, so that folder
/// datasets can check sizes up front and decode lazily.
enum ImageHeader {
    /// (width, height) from the start of a PNG (IHDR) or JPEG (first SOFn marker), or nil.
    static func dimensions(_ d: [UInt8]) -> (width: Int, height: Int)? {
        switch ImageCodec.sniff(d) {
        case .png?:
            guard d.count >= 24, d[12] == 0x49, d[13] == 0x48, d[14] == 0x44, d[15] == 0x52 else { return nil }
            let w = be32(d, 16), h = be32(d, 20)
            return w > 0 && h > 0 ? (w, h) : nil
        case .jpeg?:
            return jpegDimensions(d)
        case nil:
            return nil
        }
    }

    /// Reads as little of the file as needed (JPEG metadata segments can push SOF past 64 KiB).
    static func dimensions(ofFile path: String) throws -> (width: Int, height: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError.unreadable(path: path, reason: "cannot open")
        }
        defer { try? handle.close() }
        let head = [UInt8](handle.readData(ofLength: 1 << 16))
        if let dims = dimensions(head) { return dims }
        if head.count == 1 << 16, ImageCodec.sniff(head) == .jpeg,
           let dims = dimensions(head + [UInt8](handle.readDataToEndOfFile())) {
            return dims
        }
        if head.isEmpty { throw DataError.corrupt(path: path, reason: "empty file") }
        if ImageCodec.sniff(head) == nil {
            throw DataError.corrupt(path: path, reason: "unknown image format (neither PNG nor JPEG)")
        }
        throw DataError.corrupt(path: path, reason: "no image size in the header")
    }

    private static func jpegDimensions(_ d: [UInt8]) -> (width: Int, height: Int)? {
        var i = 2
        while i + 1 < d.count {
            guard d[i] == 0xFF else { return nil }
            var marker = d[i + 1]
            while marker == 0xFF, i + 2 < d.count { i += 1; marker = d[i + 1] }  // fill bytes
            i += 2
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { continue }  // no payload
            if marker == 0xDA || marker == 0xD9 { return nil }  // scan data before any frame header
            guard i + 1 < d.count else { return nil }
            let length = Int(d[i]) << 8 | Int(d[i + 1])
            let isFrame = (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
            if isFrame {
                guard length >= 7, i + 6 < d.count else { return nil }
                let h = Int(d[i + 3]) << 8 | Int(d[i + 4]), w = Int(d[i + 5]) << 8 | Int(d[i + 6])
                return w > 0 && h > 0 ? (w, h) : nil
            }
            guard length >= 2 else { return nil }
            i += length
        }
        return nil
    }

    private static func be32(_ d: [UInt8], _ i: Int) -> Int {
        Int(d[i]) << 24 | Int(d[i + 1]) << 16 | Int(d[i + 2]) << 8 | Int(d[i + 3])
    }
}
