import Foundation

/// Listing image files in folders, sorted, with errors that name the folder.
enum ImageFiles {
    static let extensions: Set<String> = ["png", "jpg", "jpeg"]

    static func list(_ folder: String) throws -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw DataError.unreadable(path: folder, reason: "no such folder")
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw DataError.unreadable(path: folder, reason: "cannot list the folder")
        }
        let files = names.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
        guard !files.isEmpty else { throw DataError.invalid(path: folder, reason: "holds no PNG or JPEG images") }
        return files.map { folder + "/" + $0 }
    }

    static func subfolders(_ root: String) throws -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else {
            throw DataError.unreadable(path: root, reason: "no such folder or cannot list it")
        }
        let dirs = names.filter { n in
            var d: ObjCBool = false
            return !n.hasPrefix(".") && FileManager.default.fileExists(atPath: root + "/" + n, isDirectory: &d) && d.boolValue
        }.sorted()
        guard !dirs.isEmpty else { throw DataError.invalid(path: root, reason: "has no class sub-folders") }
        return dirs
    }
}
