import Foundation
import GANTensor

/// A run's checkpoint folders, "step-000001200", each written as "<name>.tmp" and renamed into
/// place only when complete, so a kill mid-save leaves at most a stray .tmp folder, never a
/// half checkpoint under a real name. Keeps the newest `keep`.
public struct CheckpointRotation {
    public let directory: URL
    public let keep: Int

    public struct Entry { public let step: Int; public let url: URL }

    public init(directory: URL, keep: Int) {
        self.directory = directory
        self.keep = keep
    }

    public func url(forStep step: Int) -> URL {
        directory.appendingPathComponent(String(format: "step-%09d", step))
    }

    /// Complete checkpoints, oldest first.
    public func all() throws -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name -> Entry? in
            guard name.hasPrefix("step-"), !name.hasSuffix(".tmp"), let step = Int(name.dropFirst(5)) else { return nil }
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("state.json").path) else { return nil }
            return Entry(step: step, url: url)
        }.sorted { $0.step < $1.step }
    }

    public func latest() throws -> Entry? { try all().last }

    /// Removes all but the newest `keep` complete checkpoints, and stray .tmp folders.
    public func keepLast() throws {
        let entries = try all()
        for e in entries.dropLast(keep) { try FileManager.default.removeItem(at: e.url) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for n in names where n.hasSuffix(".tmp") {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(n))
        }
    }

    /// Fills a temporary folder with `body`, then renames it to `final` (replacing an older one).
    public static func writeAtomically(_ final: URL, _ body: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let tmp = final.deletingLastPathComponent().appendingPathComponent(final.lastPathComponent + ".tmp")
        try? fm.removeItem(at: tmp)
        try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
        do {
            try body(tmp)
        } catch {
            try? fm.removeItem(at: tmp)
            throw error
        }
        if fm.fileExists(atPath: final.path) { try fm.removeItem(at: final) }
        guard rename(tmp.path, final.path) == 0 else {
            throw TensorError.io(path: final.path, reason: "cannot rename the finished checkpoint into place: \(String(cString: strerror(errno)))")
        }
    }
}
