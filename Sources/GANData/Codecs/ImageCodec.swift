import CImageCodecs

/// PNG and JPEG files to and from `Image8`. Every failure is a DataError naming the file
/// (`path` is only a label for in-memory data).
public enum ImageCodec {
    public enum Format: Sendable { case png, jpeg }

    /// The format from the magic bytes, or nil.
    public static func sniff(_ data: [UInt8]) -> Format? {
        if data.count >= 8, data[0] == 0x89, data[1] == 0x50, data[2] == 0x4E, data[3] == 0x47 { return .png }
        if data.count >= 3, data[0] == 0xFF, data[1] == 0xD8, data[2] == 0xFF { return .jpeg }
        return nil
    }

    /// Decodes PNG or JPEG (chosen by magic bytes) to 8 bits per sample.
    public static func decode(_ data: [UInt8], path: String) throws -> Image8 {
        guard !data.isEmpty else { throw DataError.corrupt(path: path, reason: "empty file") }
        guard let format = sniff(data) else {
            throw DataError.corrupt(path: path, reason: "unknown image format (neither PNG nor JPEG)")
        }
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0, height: Int32 = 0, channels: Int32 = 0
        try CodecCall.run(path: path, what: format == .png ? "PNG" : "JPEG") { err, cap in
            data.withUnsafeBufferPointer {
                switch format {
                case .png: return gk_png_decode($0.baseAddress, $0.count, &pixels, &width, &height, &channels, err, cap)
                case .jpeg: return gk_jpeg_decode($0.baseAddress, $0.count, &pixels, &width, &height, &channels, err, cap)
                }
            }
        }
        let (w, h, c) = (Int(width), Int(height), Int(channels))
        return Image8(width: w, height: h, channels: c, pixels: CodecCall.take(pixels, count: w * h * c))
    }

    public static func readFile(_ path: String) throws -> Image8 {
        try decode(try FileBytes.read(path), path: path)
    }

    /// Lossless 8-bit PNG with the image's channels (1 to 4).
    public static func encodePNG(_ img: Image8, path: String = "<png>") throws -> [UInt8] {
        try img.validate(path: path)
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        try CodecCall.run(path: path, what: "PNG encode") { err, cap in
            img.pixels.withUnsafeBufferPointer {
                gk_png_encode($0.baseAddress, Int32(img.width), Int32(img.height), Int32(img.channels),
                              &out, &size, err, cap)
            }
        }
        return CodecCall.take(out, count: size)
    }

    public static func writePNG(_ img: Image8, to path: String) throws {
        try FileBytes.write(try encodePNG(img, path: path), to: path)
    }

    /// JPEG at `quality` (1...100) from gray or RGB; an alpha channel is dropped first.
    public static func encodeJPEG(_ img: Image8, quality: Int, path: String = "<jpeg>") throws -> [UInt8] {
        try img.validate(path: path)
        guard (1...100).contains(quality) else {
            throw DataError.option(name: "quality", reason: "must be 1...100, got \(quality)")
        }
        let opaque = img.droppingAlpha()
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        try CodecCall.run(path: path, what: "JPEG encode") { err, cap in
            opaque.pixels.withUnsafeBufferPointer {
                gk_jpeg_encode($0.baseAddress, Int32(opaque.width), Int32(opaque.height), Int32(opaque.channels),
                               Int32(quality), &out, &size, err, cap)
            }
        }
        return CodecCall.take(out, count: size)
    }

    public static func writeJPEG(_ img: Image8, quality: Int = 95, to path: String) throws {
        try FileBytes.write(try encodeJPEG(img, quality: quality, path: path), to: path)
    }
}

extension Image8 {
    /// The same image without its alpha channel (gray+alpha -> gray, RGBA -> RGB).
    public func droppingAlpha() -> Image8 {
        guard channels == 2 || channels == 4 else { return self }
        let keep = channels - 1
        var out = [UInt8](repeating: 0, count: width * height * keep)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for p in 0..<(width * height) {
                    for k in 0..<keep { dst[p * keep + k] = src[p * channels + k] }
                }
            }
        }
        return Image8(width: width, height: height, channels: keep, pixels: out)
    }
}
