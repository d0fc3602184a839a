import GANTensor

/// edges2fashion: each image's edge map (A) paired with the image (B), as edges2shoes was made
/// (Isola et al. 2017 used HED edges; here Sobel gradient magnitude on the [0, 1] image, thresholded
/// at 0.25 of its maximum, drawn as black lines on white).
public final class EdgesPairedDataset: Dataset, @unchecked Sendable {
    public let base: any Dataset
    public var name: String { "edges2(\(base.name))" }
    public var count: Int { base.count }
    public var classCount: Int? { base.classCount }

    public init(base: any Dataset) { self.base = base }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        let s = try base.sample(at: index, rng: rng)
        guard let image = s["image"], image.rank == 3 else {
            throw DataError.invalid(path: base.name, reason: "edges2: sample \(index) has no [C,H,W] image")
        }
        return Sample(["A": Self.edges(ImageOps.grayscale(image)), "B": image], label: s.label)
    }

    static func edges(_ gray: Tensor) -> Tensor {
        let h = gray.shape[1], w = gray.shape[2]
        let out = Tensor(repeating: 1, shape: [1, h, w])
        func at(_ y: Int, _ x: Int) -> Float { (gray.data[Swift.min(Swift.max(y, 0), h - 1) * w + Swift.min(Swift.max(x, 0), w - 1)] + 1) / 2 }
        var mag = [Float](repeating: 0, count: h * w)
        for y in 0..<h {
            for x in 0..<w {
                let gx = at(y - 1, x + 1) + 2 * at(y, x + 1) + at(y + 1, x + 1) - at(y - 1, x - 1) - 2 * at(y, x - 1) - at(y + 1, x - 1)
                let gy = at(y + 1, x - 1) + 2 * at(y + 1, x) + at(y + 1, x + 1) - at(y - 1, x - 1) - 2 * at(y - 1, x) - at(y - 1, x + 1)
                mag[y * w + x] = (gx * gx + gy * gy).squareRoot()
            }
        }
        let threshold = 0.25 * (mag.max() ?? 0)
        if threshold > 0 { for i in 0..<(h * w) where mag[i] > threshold { out.data[i] = -1 } }
        return out
    }
}

/// Two unpaired domains from one labelled dataset (e.g. sneakers and ankle boots): "A" from class A
/// by index, "B" a class-B sample chosen by the sample's generator.
public final class TwoDomainDataset: Dataset, @unchecked Sendable {
    public let base: any Dataset
    public let indicesA: [Int], indicesB: [Int]
    public let name: String
    public var count: Int { Swift.max(indicesA.count, indicesB.count) }

    public init(base: any Dataset, classA: Int, classB: Int) throws {
        self.base = base
        var a: [Int] = [], b: [Int] = []
        let probe = RandomGenerator(seed: 0)
        for i in 0..<base.count {
            let label = try base.sample(at: i, rng: probe).label
            if label == classA { a.append(i) } else if label == classB { b.append(i) }
        }
        guard !a.isEmpty, !b.isEmpty else {
            throw DataError.invalid(path: base.name, reason: "class \(a.isEmpty ? classA : classB) has no samples")
        }
        indicesA = a
        indicesB = b
        name = "\(base.name) classes \(classA)->\(classB)"
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        let a = try base.sample(at: indicesA[index % indicesA.count], rng: rng)
        let b = try base.sample(at: indicesB[rng.nextInt(below: indicesB.count)], rng: rng)
        guard let x = a["image"], let y = b["image"] else { throw DataError.invalid(path: base.name, reason: "samples need images") }
        return Sample(["A": x, "B": y])
    }
}
