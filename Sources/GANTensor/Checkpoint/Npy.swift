import Foundation

/// NumPy's .npy format: magic "\x93NUMPY", version, a little-endian header length, a Python dict
/// literal {'descr', 'fortran_order', 'shape'} padded with spaces to a multiple of 64 bytes and
/// ended by a newline, then the raw elements. Writes version 1.0 '<f4' in C order; reads versions
/// 1 to 3 with '<f4', '<f8', '<f2', '<i8', '<i4', '<i2', '|i1', '|u1' and '|b1', converting to Float.
public enum Npy {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    public static func write(_ t: Tensor, to url: URL) throws {
        let shape = t.shape.count == 1 ? "(\(t.shape[0]),)" : "(\(t.shape.map(String.init).joined(separator: ", ")))"
        var header = Array("{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }".utf8)
        let preamble = magic.count + 2 + 2
        while (preamble + header.count + 1) % 64 != 0 { header.append(0x20) }
        header.append(0x0a)
        guard header.count <= Int(UInt16.max) else {
            throw TensorError.io(path: url.path, reason: "shape \(t.shape) makes the header too long for format 1.0")
        }
        try AtomicFile.write(to: url) { sink in
            try sink.write(magic + [1, 0, UInt8(header.count & 0xff), UInt8(header.count >> 8)])
            try sink.write(header)
            try sink.write(UnsafeRawBufferPointer(start: t.data, count: t.count * 4))
        }
    }

    public static func read(from url: URL) throws -> Tensor {
        let data = try AtomicFile.read(url)
        func fail(_ reason: String) -> TensorError { .io(path: url.path, reason: reason) }
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, Array(bytes.prefix(6)) == magic else { throw fail("not a .npy file (bad magic)") }
        let major = bytes[6]
        guard (1...3).contains(major) else { throw fail("unsupported .npy version \(major).\(bytes[7])") }
        let lengthBytes = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthBytes else { throw fail("file ends inside the header length") }
        let headerLength = bytes[8..<(8 + lengthBytes)].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let dataStart = 8 + lengthBytes + headerLength
        guard dataStart <= data.count else {
            throw fail("header length \(headerLength) runs past the end of the \(data.count)-byte file")
        }
        guard let text = String(data: data.subdata(in: (8 + lengthBytes)..<dataStart), encoding: .utf8) else {
            throw fail("header is not text")
        }
        let header = try NpyHeader(parsing: text, fail: fail)
        guard let type = scalarTypes[header.descr] else { throw fail("unsupported dtype '\(header.descr)'") }
        if header.fortranOrder && header.shape.filter({ $0 > 1 }).count > 1 {
            throw fail("fortran_order arrays are not supported; save with numpy.ascontiguousarray")
        }
        let count = Shape.count(header.shape)
        guard data.count - dataStart == count * type.size else {
            throw fail("shape \(header.shape) of '\(header.descr)' needs \(count * type.size) bytes of data, the file has \(data.count - dataStart)")
        }
        let t = Tensor(uninitialized: header.shape)
        data.withUnsafeBytes { raw in type.decode(raw.baseAddress! + dataStart, count: count, into: t.data) }
        return t
    }

    static let scalarTypes: [String: StoredScalar] = [
        "<f4": .f32, "<f8": .f64, "<f2": .f16, "<i8": .i64, "<i4": .i32, "<i2": .i16,
        "|i1": .i8, "|u1": .u8, "|b1": .bool,
    ]
}

/// The header dict, parsed as the restricted Python literal NumPy writes: string keys; values
/// that are strings, True/False, or tuples of integers.
struct NpyHeader {
    var descr = ""
    var fortranOrder = false
    var shape: [Int] = []

    init(parsing text: String, fail: (String) -> TensorError) throws {
        var s = Substring(text)
        func skipSpace() { s = s.drop { $0 == " " || $0 == "\n" || $0 == "\t" } }
        func expect(_ c: Character) throws {
            skipSpace()
            guard s.first == c else { throw fail("malformed header \(text.debugDescription): expected '\(c)'") }
            s = s.dropFirst()
        }
        func string() throws -> String {
            skipSpace()
            guard let q = s.first, q == "'" || q == "\"", let close = s.dropFirst().firstIndex(of: q) else {
                throw fail("malformed header \(text.debugDescription): expected a string")
            }
            defer { s = s[s.index(after: close)...] }
            return String(s[s.index(after: s.startIndex)..<close])
        }
        var seen = Set<String>()
        try expect("{")
        while true {
            skipSpace()
            if s.first == "}" { break }
            let key = try string()
            try expect(":")
            skipSpace()
            switch key {
            case "descr": descr = try string()
            case "fortran_order":
                if s.hasPrefix("True") { fortranOrder = true; s = s.dropFirst(4) } else if s.hasPrefix("False") { s = s.dropFirst(5) } else {
                    throw fail("malformed header \(text.debugDescription): fortran_order must be True or False")
                }
            case "shape":
                try expect("(")
                guard let close = s.firstIndex(of: ")") else { throw fail("malformed header \(text.debugDescription): unclosed shape") }
                let items = s[..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                shape = try items.map { item in
                    guard let d = Int(item.hasSuffix("L") ? String(item.dropLast()) : item), d >= 0 else {
                        throw fail("malformed header \(text.debugDescription): bad dimension '\(item)'")
                    }
                    return d
                }
                s = s[s.index(after: close)...]
            default:
                throw fail("malformed header \(text.debugDescription): unexpected key '\(key)'")
            }
            seen.insert(key)
            skipSpace()
            if s.first == "," { s = s.dropFirst() }
        }
        guard seen == ["descr", "fortran_order", "shape"] else {
            throw fail("header \(text.debugDescription) lacks one of descr, fortran_order, shape")
        }
    }
}
