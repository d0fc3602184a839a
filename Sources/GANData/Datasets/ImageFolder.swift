import GANTensor

/// Images sorted into one sub-folder per class (class ids follow the sorted folder names), PNG and
/// JPEG mixed, as torchvision's ImageFolder. Headers are read up front (sizes, early errors);
/// pixels are decoded in `sample(at:)`. Samples are "image" [channels,H,W] in [-1, 1] plus the
/// class id, then passed through `transform` with the sample's generator.
public final class ImageFolder: Dataset {
    public typealias Transform = @Sendable (Sample, RandomGenerator) throws -> Sample

    public let name: String
    public let root: String
    public let classNames: [String]
    public let skipBadFiles: Bool
    let options: FolderImageOptions
    let files: [ImageFile]
    let labels: [Int]
    let headerSkips: Int
    let badFiles = BadFileLog()

    public var channels: Int { options.channels }
    /// (height, width) every image is resized to, or nil when all files share one size.
    public var size: (Int, Int)? { options.size }
    public var count: Int { files.count }
    public var classCount: Int? { classNames.count }
    /// Files left out because their header did not read, plus files that failed to decode later.
    public var skippedCount: Int { headerSkips + badFiles.count }

    public init(root: String, channels: Int, size: (Int, Int)? = nil, skipBadFiles: Bool = false,
                transform: Transform? = nil) throws {
        options = try FolderImageOptions(channels: channels, size: size, transform: transform)
        let classes = try ImageFiles.entries(root).filter { ImageFiles.isDirectory(ImageFiles.join(root, $0)) }
        guard !classes.isEmpty else {
            throw DataError.invalid(path: root, reason: "no class sub-folders (expected one folder of images per class)")
        }
        var files: [ImageFile] = [], labels: [Int] = [], skipped = 0
        for (label, cls) in classes.enumerated() {
            let (found, bad) = try ImageFiles.scan(ImageFiles.join(root, cls), skipBadFiles: skipBadFiles)
            files += found
            labels += [Int](repeating: label, count: found.count)
            skipped += bad.count
        }
        if size == nil { _ = try ImageFiles.uniformSize(files) }
        self.root = root
        self.classNames = classes
        self.skipBadFiles = skipBadFiles
        self.files = files
        self.labels = labels
        self.headerSkips = skipped
        self.name = "image folder \(root) (\(files.count), \(classes.count) classes)"
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        try DataError.checkIndex(index, count: count, dataset: name)
        let sample = try badFiles.load(index, count: count, skip: skipBadFiles) { i in
            Sample(["image": try options.load(files[i].path)], label: labels[i])
        }
        return try options.finish(sample, rng: rng)
    }
}
