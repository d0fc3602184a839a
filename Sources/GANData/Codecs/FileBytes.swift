import Foundation

/// Whole-file reads and atomic writes, with failures as DataError naming the path.
public enum FileBytes {
    public static func read(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError.unreadable(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw DataError.unreadable(path: path, reason: "is a directory") }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw DataError.unreadable(path: path, reason: "\(error.localizedDescription)")
        }
    }

    public static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw DataError.unreadable(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
