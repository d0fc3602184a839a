import Foundation
import GANTensor

/// Folder listing and image loading shared by the folder datasets (ImageFolder, PairedFolder,
/// UnpairedFolders): PNG and JPEG files found by extension, headers checked up front, pixels
/// decoded lazily when a sample is asked for.
enum ImageFiles {
    static let extensions: Set<String> = ["png", "jpg", "jpeg"]

    /// Sorted visible entries of a directory.
    static func entries(_ folder: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw DataError.unreadable(path: folder, reason: "no such folder")
        }
        guard isDirectory.boolValue else { throw DataError.unreadable(path: folder, reason: "not a folder") }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw DataError.unreadable(path: folder, reason: error.localizedDescription)
        }
    }

    static func join(_ folder: String, _ name: String) -> String {
        (folder as NSString).appendingPathComponent(name)
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Names of the PNG/JPEG files directly in `folder`, sorted.
    static func imageNames(in folder: String) throws -> [String] {
        try entries(folder).filter {
            extensions.contains(($0 as NSString).pathExtension.lowercased()) && !isDirectory(join(folder, $0))
        }
    }

    /// The image files of `folder` whose headers read, with their sizes; unreadable ones throw,
    /// or are left out and listed in `skipped` when `skipBadFiles`. Errors when none remain.
    static func scan(_ folder: String, skipBadFiles: Bool) throws -> (files: [ImageFile], skipped: [String]) {
        var files: [ImageFile] = [], skipped: [String] = []
        for name in try imageNames(in: folder) {
            let path = join(folder, name)
            do {
                let (w, h) = try ImageHeader.dimensions(ofFile: path)
                files.append(ImageFile(path: path, width: w, height: h))
            } catch let error as DataError where skipBadFiles {
                _ = error
                skipped.append(path)
            }
        }
        guard !files.isEmpty else {
            throw DataError.invalid(path: folder, reason: skipped.isEmpty ? "no PNG or JPEG files"
                                    : "no readable PNG or JPEG files (\(skipped.count) skipped)")
        }
        return (files, skipped)
    }

    /// The common size of `files`, or an error naming the first file that differs.
    static func uniformSize(_ files: [ImageFile]) throws -> (width: Int, height: Int) {
        let first = files[0]
        if let odd = files.first(where: { $0.width != first.width || $0.height != first.height }) {
            throw DataError.invalid(path: odd.path, reason:
                "is \(odd.width)x\(odd.height) but \(first.path) is \(first.width)x\(first.height); "
                + "give the dataset a size to resize all images")
        }
        return (first.width, first.height)
    }
}

/// What every folder dataset does with a file: decode to [channels,H,W] in [-1, 1], resize to
/// `size` (height, width) if given; and with a whole sample: apply the user's transform.
struct FolderImageOptions: Sendable {
    let channels: Int
    let size: (Int, Int)?
    let transform: ImageFolder.Transform?

    init(channels: Int, size: (Int, Int)?, transform: ImageFolder.Transform?) throws {
        guard channels == 1 || channels == 3 else {
            throw DataError.option(name: "channels", reason: "must be 1 or 3, got \(channels)")
        }
        if let (h, w) = size, h <= 0 || w <= 0 {
            throw DataError.option(name: "size", reason: "must be positive, got \(h)x\(w)")
        }
        self.channels = channels
        self.size = size
        self.transform = transform
    }

    func load(_ path: String) throws -> Tensor {
        resized(try ImageCodec.readFile(path).tensor(channels: channels))
    }

    func resized(_ t: Tensor) -> Tensor {
        guard let (h, w) = size else { return t }
        return TensorResize.resize(t, height: h, width: w)
    }

    func finish(_ sample: Sample, rng: RandomGenerator) throws -> Sample {
        try transform?(sample, rng) ?? sample
    }
}

struct ImageFile: Sendable {
    var path: String
    var width: Int, height: Int
}

/// Files found bad while decoding lazily (their headers were fine). With skipBadFiles a sample
/// whose file fails falls back to the next index, and the file is remembered here; thread-safe
/// because loaders fetch samples concurrently.
final class BadFileLog: @unchecked Sendable {
    private let lock = NSLock()
    private var paths = Set<String>()

    var count: Int { lock.lock(); defer { lock.unlock() }; return paths.count }

    func record(_ path: String) { lock.lock(); paths.insert(path); lock.unlock() }

    /// `body(index)`, or with `skip`, the first of index+1, index+2, ... (cyclically) that loads.
    func load<T>(_ index: Int, count: Int, skip: Bool, _ body: (Int) throws -> T) throws -> T {
        var lastError: Error?
        for attempt in 0..<(skip ? count : 1) {
            do {
                return try body((index + attempt) % count)
            } catch let error as DataError {
                guard skip, let path = error.path else { throw error }
                record(path)
                lastError = error
            }
        }
        throw lastError!
    }
}

extension DataError {
    /// Throws unless 0 <= index < count.
    static func checkIndex(_ index: Int, count: Int, dataset: String) throws {
        guard index >= 0, index < count else {
            throw DataError.option(name: "index", reason: "\(index) out of range 0..<\(count) for \(dataset)")
        }
    }

    /// The file or folder the error is about.
    var path: String? {
        switch self {
        case let .corrupt(path, _), let .unreadable(path, _), let .invalid(path, _): return path
        case .option: return nil
        }
    }
}
