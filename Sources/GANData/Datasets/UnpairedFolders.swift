import GANTensor

/// Two unaligned image collections for unpaired translation (CycleGAN, Zhu et al. 2017): sample i
/// is "A" = image i % |A| and "B" = an image of B drawn with the sample's generator, so B is
/// re-paired at random every epoch; count = max(|A|, |B|) as in the CycleGAN reference code.
public final class UnpairedFolders: Dataset {
    public let name: String
    let options: FolderImageOptions
    let filesA: [ImageFile], filesB: [ImageFile]

    public var channels: Int { options.channels }
    public var size: (Int, Int)? { options.size }
    public var count: Int { max(filesA.count, filesB.count) }
    public var countA: Int { filesA.count }
    public var countB: Int { filesB.count }

    /// Without `size`, the images of each folder must share one size.
    public init(trainA: String, trainB: String, channels: Int = 3, size: (Int, Int)? = nil,
                transform: ImageFolder.Transform? = nil) throws {
        options = try FolderImageOptions(channels: channels, size: size, transform: transform)
        filesA = try ImageFiles.scan(trainA, skipBadFiles: false).files
        filesB = try ImageFiles.scan(trainB, skipBadFiles: false).files
        if size == nil {
            _ = try ImageFiles.uniformSize(filesA)
            _ = try ImageFiles.uniformSize(filesB)
        }
        name = "unpaired \(trainA) (\(filesA.count)) + \(trainB) (\(filesB.count))"
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        try DataError.checkIndex(index, count: count, dataset: name)
        let a = filesA[index % filesA.count], b = filesB[rng.nextInt(below: filesB.count)]
        return try options.finish(Sample(["A": try options.load(a.path), "B": try options.load(b.path)]), rng: rng)
    }
}
