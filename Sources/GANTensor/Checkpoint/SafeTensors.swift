import Foundation

/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
/// {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}},
/// then the tensors' bytes, offsets relative to the start of that data. Python's `safetensors`
/// reads what this writes and the other way round.
public enum SafeTensors {
    /// What a file holds: tensors in data order, converted to Float32, with their stored dtypes.
    public struct Contents {
        public var tensors: [(name: String, tensor: Tensor)]
        public var metadata: [String: String]
        public var dtypes: [String: String]

        public subscript(name: String) -> Tensor? { tensors.first { $0.name == name }?.tensor }

        public var dictionary: [String: Tensor] {
            Dictionary(tensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// Writes the entries in the given order, as F32, or as I64 for the keys in `int64Keys`
    /// (PyTorch stores batch norm's `num_batches_tracked` that way; their values must be integers).
    /// The file is replaced atomically.
    public static func write(_ entries: [(String, Tensor)], metadata: [String: String] = [:],
                             int64Keys: Set<String> = [], to url: URL) throws {
        let path = url.path
        var names = Set<String>()
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(HeaderJSON.quote($0.key)):\(HeaderJSON.quote($0.value))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for (name, t) in entries {
            guard name != "__metadata__", names.insert(name).inserted else {
                throw TensorError.io(path: path, reason: "tensor name \"\(name)\" is reserved or repeated")
            }
            let isInt = int64Keys.contains(name)
            let bytes = t.count * (isInt ? 8 : 4)
            let shape = t.shape.map(String.init).joined(separator: ",")
            fields.append("\(HeaderJSON.quote(name)):{\"dtype\":\"\(isInt ? "I64" : "F32")\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        let unknown = int64Keys.subtracting(names)
        guard unknown.isEmpty else {
            throw TensorError.io(path: path, reason: "int64 keys not among the tensors: \(unknown.sorted().joined(separator: ", "))")
        }
        var header = Array("{\(fields.joined(separator: ","))}".utf8)
        // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
        while header.count % 8 != 0 { header.append(0x20) }

        // Convert integer tensors up front so a bad value fails before anything is written.
        var int64Data: [String: [Int64]] = [:]
        for (name, t) in entries where int64Keys.contains(name) {
            int64Data[name] = try t.scalars.map { v in
                guard let i = Int64(exactly: v) else {
                    throw TensorError.io(path: path, reason: "tensor \"\(name)\" is written as I64 but holds the non-integer \(v)")
                }
                return i
            }
        }
        try AtomicFile.write(to: url) { sink in
            var length = UInt64(header.count).littleEndian
            try withUnsafeBytes(of: &length) { try sink.write($0) }
            try sink.write(header)
            for (name, t) in entries {
                if let ints = int64Data[name] {
                    try ints.withUnsafeBytes { try sink.write($0) }
                } else {
                    try sink.write(UnsafeRawBufferPointer(start: t.data, count: t.count * 4))
                }
            }
        }
    }

    public static func read(from url: URL) throws -> Contents {
        let data = try AtomicFile.read(url)
        let path = url.path
        func fail(_ reason: String) -> TensorError { .io(path: path, reason: reason) }
        guard data.count >= 8 else { throw fail("too short for a safetensors file (\(data.count) bytes)") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw fail("header length \(headerLength) runs past the end of the \(data.count)-byte file")
        }
        let dataStart = 8 + Int(headerLength)
        let dataLength = data.count - dataStart
        guard let json = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<dataStart)),
              let header = json as? [String: Any] else {
            throw fail("header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        if let m = header["__metadata__"] {
            guard let dict = m as? [String: Any], let strings = dict as? [String: String] else {
                throw fail("__metadata__ must map strings to strings")
            }
            metadata = strings
        }
        struct Entry { let name: String; let type: StoredScalar; let dtype: String; let shape: [Int]; let begin: Int; let end: Int }
        var entries: [Entry] = []
        for (name, value) in header where name != "__metadata__" {
            func bad(_ reason: String) -> TensorError { fail("tensor \"\(name)\": \(reason)") }
            guard let fields = value as? [String: Any] else { throw bad("entry is not a JSON object") }
            guard let dtype = fields["dtype"] as? String else { throw bad("missing dtype") }
            guard let type = storedScalar(dtype) else { throw bad("unknown dtype \"\(dtype)\"") }
            guard let shape = HeaderJSON.integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw bad("shape must be a list of non-negative integers")
            }
            guard let offsets = HeaderJSON.integers(fields["data_offsets"]), offsets.count == 2 else {
                throw bad("data_offsets must be two integers")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= dataLength else {
                throw bad("data_offsets [\(begin), \(end)] lie outside the \(dataLength) bytes of data")
            }
            let (count, overflow) = shape.reduce((1, false)) { acc, d in
                let (p, o) = acc.0.multipliedReportingOverflow(by: d); return (p, acc.1 || o)
            }
            guard !overflow, count <= (end - begin) / type.size, count * type.size == end - begin else {
                throw bad("shape \(shape) of \(dtype) disagrees with data_offsets [\(begin), \(end)]")
            }
            entries.append(Entry(name: name, type: type, dtype: dtype, shape: shape, begin: begin, end: end))
        }
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        for (a, b) in zip(entries, entries.dropFirst()) where b.begin < a.end {
            throw fail("tensors \"\(a.name)\" and \"\(b.name)\" overlap in the data")
        }
        var tensors: [(name: String, tensor: Tensor)] = []
        var dtypes: [String: String] = [:]
        data.withUnsafeBytes { raw in
            for e in entries {
                let t = Tensor(uninitialized: e.shape)
                e.type.decode(raw.baseAddress! + dataStart + e.begin, count: t.count, into: t.data)
                tensors.append((e.name, t))
                dtypes[e.name] = e.dtype
            }
        }
        return Contents(tensors: tensors, metadata: metadata, dtypes: dtypes)
    }

    static func storedScalar(_ dtype: String) -> StoredScalar? {
        let table: [String: StoredScalar] = ["F64": .f64, "F32": .f32, "F16": .f16, "BF16": .bf16, "I64": .i64,
                                             "I32": .i32, "I16": .i16, "I8": .i8, "U8": .u8, "BOOL": .bool]
        return table[dtype]
    }
}

/// The little JSON the header needs: quoting on the way out, integer lists on the way in.
private enum HeaderJSON {
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// A JSON array of integers (however the parser boxed them), or nil.
    static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var out: [Int] = []
        for v in array {
            if let i = v as? Int {
                out.append(i)
            } else if let d = v as? Double, let i = Int(exactly: d) {
                out.append(i)
            } else {
                return nil
            }
        }
        return out
    }
}
