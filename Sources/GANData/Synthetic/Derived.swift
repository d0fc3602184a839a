import GANTensor

/// edges2fashion (after pix2pix's edges2shoes): "A" = the edge map of the base sample's "image"
/// (EdgeMap.sobel: black lines on white, [1, H, W]), "B" = the image itself; the label is kept.
public final class EdgesPairedDataset: Dataset, @unchecked Sendable {
    public let base: any Dataset
    public let threshold: Float
    public var name: String { "edges2(\(base.name))" }
    public var count: Int { base.count }
    public var classCount: Int? { base.classCount }

    public init(base: any Dataset, threshold: Float = 0.5) {
        self.base = base
        self.threshold = threshold
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        let s = try base.sample(at: index, rng: rng)
        guard let image = s["image"], image.rank == 3 else {
            throw DataError.invalid(path: base.name, reason: "edges2: sample \(index) has no \"image\" [C, H, W]")
        }
        return Sample(["A": try EdgeMap.sobel(image, threshold: threshold), "B": image], label: s.label)
    }
}

/// Two unpaired domains cut from one labelled dataset (e.g. Fashion-MNIST sneakers and ankle boots)
/// for CycleGAN-style training. As CycleGAN's unaligned loader: sample i holds "A" = the
/// (i mod |A|)-th class-A image and "B" = a class-B image chosen by the sample's generator; the
/// length is max(|A|, |B|). Samples carry no label.
public final class TwoDomainDataset: Dataset, @unchecked Sendable {
    public let base: any Dataset
    public let indicesA: [Int], indicesB: [Int]
    public let name: String
    public var count: Int { Swift.max(indicesA.count, indicesB.count) }

    /// Finds each class's samples by reading every label once.
    public convenience init(base: any Dataset, classA: Int, classB: Int) throws {
        var a: [Int] = [], b: [Int] = []
        let probe = RandomGenerator(seed: 0)
        for i in 0..<base.count {
            let label = try base.sample(at: i, rng: probe).label
            if label == classA { a.append(i) } else if label == classB { b.append(i) }
        }
        try self.init(base: base, indicesA: a, indicesB: b, name: "\(base.name) class \(classA) <-> \(classB)")
    }

    public init(base: any Dataset, indicesA: [Int], indicesB: [Int], name: String? = nil) throws {
        for (domain, indices) in [("A", indicesA), ("B", indicesB)] {
            guard !indices.isEmpty else { throw DataError.invalid(path: base.name, reason: "domain \(domain) has no samples") }
            guard indices.allSatisfy({ (0..<base.count).contains($0) }) else {
                throw DataError.option(name: "indices\(domain)", reason: "indices outside 0..<\(base.count) of \(base.name)")
            }
        }
        self.base = base
        self.indicesA = indicesA
        self.indicesB = indicesB
        self.name = name ?? "\(base.name) two domains"
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        guard (0..<count).contains(index) else { throw DataError.option(name: "index", reason: "\(index) outside 0..<\(count) in \(name)") }
        let other = indicesB[rng.nextInt(below: indicesB.count)]
        let a = try base.sample(at: indicesA[index % indicesA.count], rng: rng)
        let b = try base.sample(at: other, rng: rng)
        guard let x = a["image"], let y = b["image"] else {
            throw DataError.invalid(path: base.name, reason: "two domains: samples \(indicesA[index % indicesA.count]) and \(other) need an \"image\"")
        }
        return Sample(["A": x, "B": y])
    }
}
