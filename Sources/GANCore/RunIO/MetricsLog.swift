import Foundation
import GANTensor

/// metrics.jsonl: one JSON object per logged step, {"step": N, "time": seconds, "<name>": value}.
/// Each line is flushed as written; on resume, lines after the resumed step are dropped first so
/// the log continues as if the run had never stopped.
public final class MetricsLog {
    public let url: URL

    public init(url: URL) throws {
        self.url = url
        if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw TensorError.io(path: url.path, reason: "cannot create the metrics log")
            }
        }
    }

    public func append(step: Int, time: Double, values: [String: Float]) throws {
        var line = "{\"step\":\(step),\"time\":\(Self.number(time))"
        for (k, v) in values.sorted(by: { $0.key < $1.key }) {
            line += ",\(Self.quote(k)):\(Self.number(Double(v)))"
        }
        line += "}\n"
        guard let handle = FileHandle(forWritingAtPath: url.path) else {
            throw TensorError.io(path: url.path, reason: "cannot open the metrics log for writing")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line.utf8))
        try handle.synchronize()
    }

    /// Keeps only the lines whose step is at most `step`.
    public func truncate(afterStep step: Int) throws {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        let kept = text.split(separator: "\n").filter { line in
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let s = obj["step"] as? Int else { return false }
            return s <= step
        }
        try AtomicFile.write(Data(kept.map { $0 + "\n" }.joined().utf8), to: url)
    }

    /// All entries (for reports and tests).
    public func read() throws -> [[String: Double]] {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return obj.compactMapValues { ($0 as? NSNumber)?.doubleValue }
        }
    }

    static func number(_ v: Double) -> String {
        // JSON has no NaN/Inf; losses are checked finite before logging, but stay valid JSON regardless.
        guard v.isFinite else { return "null" }
        return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.7g", v)
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
