import Foundation

/// Training progress: on a terminal one line redrawn in place (bar, step, rate, ETA, latest
/// losses) at most ten times a second; otherwise (CI, logs) a plain line every `plainEvery` seconds.
public final class ProgressReporter {
    let total: Int
    let start: Int
    let sink: (String) -> Void
    let isTerminal: Bool
    let clock: () -> Date
    let plainEvery: TimeInterval
    private let began: Date
    private var lastDraw: Date?
    private var lastLine = ""

    public init(total: Int, start: Int, sink: @escaping (String) -> Void,
                isTerminal: Bool = isatty(STDERR_FILENO) != 0, plainEvery: TimeInterval = 10,
                clock: @escaping () -> Date = Date.init) {
        self.total = total
        self.start = start
        self.sink = sink
        self.isTerminal = isTerminal
        self.plainEvery = plainEvery
        self.clock = clock
        began = clock()
    }

    public func update(step: Int, values: [String: Float]) {
        let now = clock()
        let interval = isTerminal ? 0.1 : plainEvery
        if let last = lastDraw, now.timeIntervalSince(last) < interval, step < total { return }
        lastDraw = now
        let line = Self.line(step: step, total: total, done: step - start, elapsed: now.timeIntervalSince(began), values: values)
        if isTerminal {
            let bar = Self.bar(fraction: Double(step) / Double(Swift.max(total, 1)), width: 24)
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(bar) \(line)".utf8))
            lastLine = line
        } else {
            sink(line)
        }
    }

    public func finish() {
        if isTerminal && !lastLine.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func line(step: Int, total: Int, done: Int, elapsed: TimeInterval, values: [String: Float]) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - step) / rate : 0
        var parts = ["step \(step)/\(total)", String(format: "%.2f steps/s", rate), "ETA \(duration(eta))"]
        let shown = values.sorted { $0.key < $1.key }.map { String(format: "%@ %.4g", $0.key, $0.value) }
        if !shown.isEmpty { parts.append(shown.joined(separator: " ")) }
        return parts.joined(separator: " | ")
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }

    static func bar(fraction: Double, width: Int) -> String {
        let filled = Int((Swift.min(Swift.max(fraction, 0), 1) * Double(width)).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }
}
