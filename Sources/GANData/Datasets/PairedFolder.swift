import Foundation
import GANTensor

/// Aligned image pairs for image-to-image translation (pix2pix, Isola et al. 2017), in either of
/// two layouts: one folder of side-by-side A|B images split down the middle (the pix2pix
/// datasets' layout), or folders A/ and B/ whose files are matched by name (extension ignored).
/// Samples are "A" and "B" ([channels,H,W] in [-1, 1]); `direction` .BtoA swaps them.
public final class PairedFolder: Dataset {
    public enum Direction: String, Sendable {
        case AtoB, BtoA
    }

    public let name: String
    public let direction: Direction
    let options: FolderImageOptions
    /// Side-by-side files (one per pair), or matched (A, B) files.
    let pairs: [(a: String, b: String?)]

    public var channels: Int { options.channels }
    /// (height, width) each of A and B is resized to, or nil to keep the file size.
    public var size: (Int, Int)? { options.size }
    public var count: Int { pairs.count }

    /// One folder of side-by-side A|B images of even width, split in the middle.
    public init(combined folder: String, direction: Direction = .AtoB, channels: Int = 3,
                size: (Int, Int)? = nil, transform: ImageFolder.Transform? = nil) throws {
        options = try FolderImageOptions(channels: channels, size: size, transform: transform)
        let (files, _) = try ImageFiles.scan(folder, skipBadFiles: false)
        if let odd = files.first(where: { $0.width % 2 != 0 }) {
            throw DataError.invalid(path: odd.path, reason: "width \(odd.width) is odd: not two side-by-side images")
        }
        if size == nil { _ = try ImageFiles.uniformSize(files) }
        pairs = files.map { ($0.path, nil) }
        self.direction = direction
        name = "paired \(folder) (\(files.count), \(direction.rawValue))"
    }

    /// Folders A/ and B/ with one file per pair in each, matched by file name without extension.
    public init(folderA: String, folderB: String, direction: Direction = .AtoB, channels: Int = 3,
                size: (Int, Int)? = nil, transform: ImageFolder.Transform? = nil) throws {
        options = try FolderImageOptions(channels: channels, size: size, transform: transform)
        let (filesA, _) = try ImageFiles.scan(folderA, skipBadFiles: false)
        let (filesB, _) = try ImageFiles.scan(folderB, skipBadFiles: false)
        func stem(_ f: ImageFile) -> String { ((f.path as NSString).lastPathComponent as NSString).deletingPathExtension }
        let byStemB = Dictionary(filesB.map { (stem($0), $0) }, uniquingKeysWith: { first, _ in first })
        let stemsA = Set(filesA.map(stem))
        let onlyA = filesA.map(stem).filter { byStemB[$0] == nil }
        let onlyB = filesB.map(stem).filter { !stemsA.contains($0) }
        guard onlyA.isEmpty && onlyB.isEmpty else {
            func list(_ names: [String]) -> String {
                names.prefix(10).joined(separator: ", ") + (names.count > 10 ? " and \(names.count - 10) more" : "")
            }
            var parts: [String] = []
            if !onlyA.isEmpty { parts.append("only in \(folderA): \(list(onlyA))") }
            if !onlyB.isEmpty { parts.append("only in \(folderB): \(list(onlyB))") }
            throw DataError.invalid(path: folderB, reason: "unmatched files: " + parts.joined(separator: "; "))
        }
        if size == nil {
            let a = try ImageFiles.uniformSize(filesA), b = try ImageFiles.uniformSize(filesB)
            guard a == b else {
                throw DataError.invalid(path: folderB, reason:
                    "images are \(b.width)x\(b.height) but those in \(folderA) are \(a.width)x\(a.height)")
            }
        }
        pairs = filesA.map { ($0.path, byStemB[stem($0)]!.path) }
        self.direction = direction
        name = "paired \(folderA) + \(folderB) (\(pairs.count), \(direction.rawValue))"
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        try DataError.checkIndex(index, count: count, dataset: name)
        var (a, b): (Tensor, Tensor)
        let pair = pairs[index]
        if let pathB = pair.b {
            (a, b) = (try options.load(pair.a), try options.load(pathB))
        } else {
            let (left, right) = Self.halves(try ImageCodec.readFile(pair.a).tensor(channels: channels))
            (a, b) = (options.resized(left), options.resized(right))
        }
        if direction == .BtoA { swap(&a, &b) }
        return try options.finish(Sample(["A": a, "B": b]), rng: rng)
    }

    /// Left and right halves of a [C,H,W] tensor of even width.
    static func halves(_ t: Tensor) -> (Tensor, Tensor) {
        let (c, h, w) = (t.shape[0], t.shape[1], t.shape[2])
        let half = w / 2
        let left = Tensor(uninitialized: [c, h, half]), right = Tensor(uninitialized: [c, h, half])
        for row in 0..<(c * h) {
            (left.data + row * half).update(from: t.data + row * w, count: half)
            (right.data + row * half).update(from: t.data + row * w + half, count: half)
        }
        return (left, right)
    }
}
