import CImageCodecs
import Foundation

/// PNG and JPEG through libpng and libjpeg (via the C shim, which traps their longjmp errors).
public enum ImageCodec {
    public enum Format { case png, jpeg }

    public static func format(of bytes: [UInt8]) -> Format? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8]) { return .jpeg }
        return nil
    }

    public static func decode(_ bytes: [UInt8], path: String) throws -> Image8 {
        guard !bytes.isEmpty else { throw DataError.corrupt(path: path, reason: "the file is empty") }
        guard let format = format(of: bytes) else { throw DataError.corrupt(path: path, reason: "neither PNG nor JPEG (unknown signature)") }
        var out: UnsafeMutablePointer<UInt8>?
        var w: Int32 = 0, h: Int32 = 0, c: Int32 = 0
        var message = [CChar](repeating: 0, count: Int(GK_MESSAGE_SIZE))
        let status = bytes.withUnsafeBufferPointer { b in
            format == .png ? gk_png_decode(b.baseAddress, b.count, &out, &w, &h, &c, &message)
                           : gk_jpeg_decode(b.baseAddress, b.count, &out, &w, &h, &c, &message)
        }
        guard status == 0, let out else {
            throw DataError.corrupt(path: path, reason: "\(format == .png ? "PNG" : "JPEG"): \(String(cString: message))")
        }
        defer { gk_free(out) }
        return Image8(width: Int(w), height: Int(h), channels: Int(c),
                      pixels: Array(UnsafeBufferPointer(start: out, count: Int(w) * Int(h) * Int(c))))
    }

    public static func readFile(_ path: String) throws -> Image8 {
        try decode(try FileBytes.read(path), path: path)
    }

    public static func encodePNG(_ image: Image8) throws -> [UInt8] {
        try encode(image, path: "PNG") { px, out, size, msg in
            gk_png_encode(px, Int32(image.width), Int32(image.height), Int32(image.channels), out, size, msg)
        }
    }

    public static func encodeJPEG(_ image: Image8, quality: Int = 90) throws -> [UInt8] {
        try encode(image, path: "JPEG") { px, out, size, msg in
            gk_jpeg_encode(px, Int32(image.width), Int32(image.height), Int32(image.channels), Int32(quality), out, size, msg)
        }
    }

    public static func writePNG(_ image: Image8, to path: String) throws {
        try FileBytes.write(try encodePNG(image), to: path)
    }

    public static func writeJPEG(_ image: Image8, quality: Int = 90, to path: String) throws {
        try FileBytes.write(try encodeJPEG(image, quality: quality), to: path)
    }

    private static func encode(_ image: Image8, path: String,
                               _ body: (UnsafePointer<UInt8>?, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, UnsafeMutablePointer<Int>, UnsafeMutablePointer<CChar>) -> Int32) throws -> [UInt8] {
        guard image.pixels.count == image.width * image.height * image.channels else {
            throw DataError.option(name: "image", reason: "\(image.pixels.count) bytes for \(image.width)x\(image.height)x\(image.channels)")
        }
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: Int(GK_MESSAGE_SIZE))
        let status = image.pixels.withUnsafeBufferPointer { body($0.baseAddress, &out, &size, &message) }
        guard status == 0, let out else { throw DataError.invalid(path: path, reason: "encoding failed: \(String(cString: message))") }
        defer { gk_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }
}

/// gzip (or zlib) decompression of a whole file.
public enum Gzip {
    public static func inflate(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: Int(GK_MESSAGE_SIZE))
        let status = bytes.withUnsafeBufferPointer { gk_gunzip($0.baseAddress, $0.count, &out, &size, &message) }
        guard status == 0, let out else { throw DataError.corrupt(path: path, reason: "gzip: \(String(cString: message))") }
        defer { gk_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }
}

/// Whole-file reads and atomic writes with errors that name the file.
public enum FileBytes {
    public static func read(_ path: String) throws -> [UInt8] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw DataError.unreadable(path: path, reason: "no such file")
        }
        guard !isDir.boolValue else { throw DataError.unreadable(path: path, reason: "is a folder, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError.unreadable(path: path, reason: "permission denied or I/O error")
        }
        return [UInt8](data)
    }

    public static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do {
            try Data(bytes).write(to: tmp)
            if FileManager.default.fileExists(atPath: path) { _ = try FileManager.default.replaceItemAt(url, withItemAt: tmp) }
            else { try FileManager.default.moveItem(at: tmp, to: url) }
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw DataError.unreadable(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
