import Foundation
import GANTensor

/// The suite's output: a plain-text table for the terminal, `results.json`, and `results.md` (the
/// text docs/reproduction.md keeps), each stamped with the date, the commit and the machine.
public struct ReproductionReport: Codable, Equatable, Sendable {
    public var date: String
    public var commit: String
    public var machine: String
    public var results: [ClaimResult]

    public init(results: [ClaimResult], commit: String, machine: String = ReproductionReport.machineDescription(), date: Date = Date()) {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withTimeZone]
        self.date = f.string(from: date)
        self.commit = commit
        self.machine = machine
        self.results = results
    }

    public var passed: Bool { results.allSatisfy(\.verdict.passed) }

    /// CPU model, cores and the BLAS build.
    public static func machineDescription() -> String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        return "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, OpenBLAS \(BLASInfo.coreName) kernels"
    }

    /// Claim | form | verdict | summary, then each claim's own table.
    public var text: String {
        var lines = [Self.textTable(["claim", "form", "verdict", "summary"], results.map {
            [$0.name, $0.form.rawValue, $0.verdict.passed ? "PASS" : "FAIL", $0.verdict.summary]
        })]
        for r in results where !r.verdict.rows.isEmpty {
            lines.append("\n\(r.name) (\(r.source)):\n" + Self.textTable(r.verdict.columns, r.verdict.rows))
        }
        return lines.joined(separator: "\n")
    }

    public var markdown: String {
        var out = "Date: \(date); commit: \(commit); machine: \(machine).\n\n"
        func seconds(_ s: Double?) -> String { s.map { String(format: "%.0f", $0) } ?? "?" }
        out += Self.markdownTable(["claim", "form", "verdict", "summary", "training (s)", "evaluation (s)"], results.map {
            [$0.name, $0.form.rawValue, $0.verdict.passed ? "PASS" : "FAIL", $0.verdict.summary,
             seconds($0.trainingSeconds), seconds($0.evaluationSeconds)]
        })
        for r in results {
            out += "\n### \(r.name) (\(r.form.rawValue) form)\n\n\(r.statement) Source: \(r.source).\n\n"
            if !r.verdict.rows.isEmpty { out += Self.markdownTable(r.verdict.columns, r.verdict.rows) }
        }
        return out
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Writes results.json and results.md into `directory`; returns their paths.
    @discardableResult
    public func write(to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let json = directory.appendingPathComponent("results.json"), md = directory.appendingPathComponent("results.md")
        try AtomicFile.write(try self.json(), to: json)
        try AtomicFile.write(Data(markdown.utf8), to: md)
        return [json, md]
    }

    static func textTable(_ columns: [String], _ rows: [[String]]) -> String {
        let widths = columns.indices.map { i in ([columns[i]] + rows.map { i < $0.count ? $0[i] : "" }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            columns.indices.map { i in (i < cells.count ? cells[i] : "").padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(columns), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line))
            .joined(separator: "\n")
    }

    static func markdownTable(_ columns: [String], _ rows: [[String]]) -> String {
        func line(_ cells: [String]) -> String { "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
        return line(columns) + line(columns.map { _ in "---" }) + rows.map(line).joined()
    }
}
