import Foundation
import GANTensor

/// Images in one sub-folder per class (class ids follow the sorted folder names), PNG and JPEG
/// mixed, decoded when sampled. With `skipBadFiles`, undecodable files are dropped up front and
/// counted in `skippedCount`; otherwise the first bad file is an error naming it.
public final class ImageFolder: Dataset, @unchecked Sendable {
    public let name: String
    public let classNames: [String]
    public let files: [(path: String, label: Int)]
    public let channels: Int
    public private(set) var skippedCount = 0
    public var count: Int { files.count }
    public var classCount: Int? { classNames.count }

    public init(root: String, channels: Int = 3, skipBadFiles: Bool = false) throws {
        classNames = try ImageFiles.subfolders(root)
        var files: [(String, Int)] = []
        for (label, cls) in classNames.enumerated() {
            files += try ImageFiles.list(root + "/" + cls).map { ($0, label) }
        }
        self.channels = channels
        name = "image-folder \(root)"
        // Every image must decode, and (unless a resize transform follows) have one size.
        var kept: [(String, Int)] = []
        var size: (Int, Int)?
        for (path, label) in files {
            do {
                let img = try ImageCodec.readFile(path)
                if let size, size != (img.width, img.height) {
                    throw DataError.invalid(path: path, reason: "is \(img.width)x\(img.height), other images are \(size.0)x\(size.1); add data.image_size to resize")
                }
                size = (img.width, img.height)
                kept.append((path, label))
            } catch let error as DataError {
                guard skipBadFiles, case .corrupt = error else { throw error }
                skippedCount += 1
            }
        }
        guard !kept.isEmpty else { throw DataError.invalid(path: root, reason: "no readable images") }
        self.files = kept
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        let f = files[index]
        return Sample(["image": try ImageCodec.readFile(f.path).tensor(channels: channels)], label: f.label)
    }
}

/// Pix2pix pairs: one folder of side-by-side A|B images, or folders A/ and B/ matched by file name.
public final class PairedFolder: Dataset, @unchecked Sendable {
    public enum Direction: Sendable { case aToB, bToA }
    public let name: String
    public let pairs: [(String, String?)]
    public let direction: Direction
    public let channels: Int
    public var count: Int { pairs.count }

    public init(root: String, direction: Direction = .aToB, channels: Int = 3) throws {
        self.direction = direction
        self.channels = channels
        name = "paired \(root)"
        let a = root + "/A", b = root + "/B"
        if FileManager.default.fileExists(atPath: a), FileManager.default.fileExists(atPath: b) {
            let fa = try ImageFiles.list(a), fb = try ImageFiles.list(b)
            let namesB = Set(fb.map { ($0 as NSString).lastPathComponent })
            let namesA = Set(fa.map { ($0 as NSString).lastPathComponent })
            let unmatched = namesA.symmetricDifference(namesB).sorted()
            guard unmatched.isEmpty else {
                throw DataError.invalid(path: root, reason: "A/ and B/ must hold the same file names; unmatched: \(unmatched.prefix(10).joined(separator: ", "))")
            }
            pairs = fa.map { ($0, b + "/" + ($0 as NSString).lastPathComponent) }
        } else {
            pairs = try ImageFiles.list(root).map { ($0, nil) }
        }
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        let (pa, pb) = pairs[index]
        var x: Tensor, y: Tensor
        if let pb {
            x = try ImageCodec.readFile(pa).tensor(channels: channels)
            y = try ImageCodec.readFile(pb).tensor(channels: channels)
        } else {
            let whole = try ImageCodec.readFile(pa).tensor(channels: channels)
            let w = whole.shape[2]
            guard w % 2 == 0 else { throw DataError.invalid(path: pa, reason: "width \(w) is odd; an A|B image has two equal halves") }
            x = try ImageOps.crop(whole, top: 0, left: 0, height: whole.shape[1], width: w / 2)
            y = try ImageOps.crop(whole, top: 0, left: w / 2, height: whole.shape[1], width: w / 2)
        }
        if direction == .bToA { swap(&x, &y) }
        return Sample(["A": x, "B": y])
    }
}

/// CycleGAN's unpaired domains: "A" by index, "B" drawn by the sample's generator.
public final class UnpairedFolders: Dataset, @unchecked Sendable {
    public let name: String
    public let filesA: [String], filesB: [String]
    public let channels: Int
    public var count: Int { Swift.max(filesA.count, filesB.count) }

    public init(trainA: String, trainB: String, channels: Int = 3) throws {
        filesA = try ImageFiles.list(trainA)
        filesB = try ImageFiles.list(trainB)
        self.channels = channels
        name = "unpaired \(trainA) | \(trainB)"
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        let a = try ImageCodec.readFile(filesA[index % filesA.count]).tensor(channels: channels)
        let b = try ImageCodec.readFile(filesB[rng.nextInt(below: filesB.count)]).tensor(channels: channels)
        return Sample(["A": a, "B": b])
    }
}
