import GANTensor

/// The samples of `base` at `indices`, in that order.
public final class SubsetDataset: Dataset, @unchecked Sendable {
    public let base: any Dataset
    public let indices: [Int]
    public var name: String { "\(base.name) [\(indices.count) of \(base.count)]" }
    public var count: Int { indices.count }
    public var classCount: Int? { base.classCount }

    public init(base: any Dataset, indices: [Int]) {
        self.base = base
        self.indices = indices
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        guard (0..<indices.count).contains(index) else { throw DataError.option(name: "index", reason: "\(index) outside 0..<\(count) in \(name)") }
        return try base.sample(at: indices[index], rng: rng)
    }
}

/// Samples held in memory (tests, small derived sets).
public final class InMemoryDataset: Dataset, @unchecked Sendable {
    public let name: String
    public let samples: [Sample]
    public let classCount: Int?
    public var count: Int { samples.count }

    public init(name: String, samples: [Sample], classCount: Int? = nil) {
        self.name = name
        self.samples = samples
        self.classCount = classCount
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        guard (0..<samples.count).contains(index) else { throw DataError.option(name: "index", reason: "\(index) outside 0..<\(count) in \(name)") }
        return samples[index]
    }
}

/// `base` with a transform applied to every sample (with the sample's own generator).
public final class TransformedDataset: Dataset, @unchecked Sendable {
    public let base: any Dataset
    public let transform: Transform
    public var name: String { base.name }
    public var count: Int { base.count }
    public var classCount: Int? { base.classCount }

    public init(base: any Dataset, transform: Transform) {
        self.base = base
        self.transform = transform
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        try transform.apply(try base.sample(at: index, rng: rng), rng)
    }
}
