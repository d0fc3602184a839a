import Foundation

/// The layout of one run's folder.
public struct RunFolder: Sendable {
    public let url: URL

    public init(_ path: String) { url = URL(fileURLWithPath: path).standardized }

    public var recipe: URL { url.appendingPathComponent("recipe.yaml") }
    public var checkpoints: URL { url.appendingPathComponent("checkpoints") }
    public var samples: URL { url.appendingPathComponent("samples") }
    public var metrics: URL { url.appendingPathComponent("metrics.jsonl") }
    public var tensorboard: URL { url.appendingPathComponent("tensorboard") }
    /// The shape of the training data, so sampling needs no dataset.
    public var dataInfo: URL { url.appendingPathComponent("data.json") }
    public var report: URL { url.appendingPathComponent("report.html") }

    public func create() throws {
        for dir in [url, checkpoints, samples, tensorboard] {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        }
    }

    /// A fresh folder name for a recipe: runs/<recipe>-<yyyyMMdd-HHmmss>.
    public static func defaultPath(for recipe: String, date: Date = Date()) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        f.timeZone = TimeZone(identifier: "UTC")
        return "runs/\(recipe)-\(f.string(from: date))"
    }
}
