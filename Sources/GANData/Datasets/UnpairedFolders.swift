import GANTensor

/// Two unaligned image collections for unpaired translation (CycleGAN, Zhu et al. 2017): sample i
/// is "A" = image i % |A| and "B" = an image of B drawn with the sample's generator, so B is
/// re-paired at random every epoch; count = max(|A|, |B|) as in the CycleGAN reference code.
public final class UnpairedFolders: Dataset {
    public let name: String
    public let channels: Int
    public let size: (Int, Int)?
    let filesA: [ImageFile], filesB: [ImageFile]
    let transform: ImageFolder.Transform?

    public var count: Int { max(filesA.count, filesB.count) }
    public var countA: Int { filesA.count }
    public var countB: Int { filesB.count }

    /// Without `size`, the images of each folder must share one size.
    public init(trainA: String, trainB: String, channels: Int = 3, size: (Int, Int)? = nil,
                transform: ImageFolder.Transform? = nil) throws {
        try ImageFiles.checkChannels(channels)
        try ImageFiles.checkSize(size)
        filesA = try ImageFiles.scan(trainA, skipBadFiles: false).files
        filesB = try ImageFiles.scan(trainB, skipBadFiles: false).files
        if size == nil {
            _ = try ImageFiles.uniformSize(filesA)
            _ = try ImageFiles.uniformSize(filesB)
        }
        self.channels = channels
        self.size = size
        self.transform = transform
        name = "unpaired \(trainA) (\(filesA.count)) + \(trainB) (\(filesB.count))"
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        guard index >= 0, index < count else {
            throw DataError.option(name: "index", reason: "\(index) out of range 0..<\(count) for \(name)")
        }
        let a = filesA[index % filesA.count], b = filesB[rng.nextInt(below: filesB.count)]
        let sample = Sample(["A": try ImageFiles.load(a.path, channels: channels, size: size),
                             "B": try ImageFiles.load(b.path, channels: channels, size: size)])
        return try transform?(sample, rng) ?? sample
    }
}
