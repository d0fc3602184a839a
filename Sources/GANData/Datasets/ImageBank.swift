import GANTensor

/// Images held in one contiguous [N,C,H,W] Float tensor in [-1, 1] with one label each: the
/// storage behind the in-memory datasets (IDX, CIFAR-10). A sample is a copy of one image.
final class ImageBank: @unchecked Sendable {
    let images: Tensor
    let labels: [Int]

    var count: Int { labels.count }
    var imageShape: [Int] { Array(images.shape.dropFirst()) }

    init(images: Tensor, labels: [Int]) {
        self.images = images
        self.labels = labels
    }

    /// Builds the bank from bytes: `fill(i, dst)` writes image i (C*H*W floats) into `dst`.
    /// Images are converted in parallel chunks; each chunk writes only its own images.
    convenience init(count: Int, imageShape: [Int], labels: [Int],
                     fill: (Int, UnsafeMutablePointer<Float>) -> Void) {
        let images = Tensor(uninitialized: [count] + imageShape)
        let size = Shape.count(imageShape)
        let base = images.data
        Parallel.forChunks(count, grain: max(1, (1 << 16) / max(1, size))) { start, end in
            for i in start..<end { fill(i, base + i * size) }
        }
        self.init(images: images, labels: labels)
    }

    func sample(at index: Int, dataset: String) throws -> Sample {
        try DataError.checkIndex(index, count: count, dataset: dataset)
        let size = Shape.count(imageShape)
        let out = Tensor(uninitialized: imageShape)
        out.data.update(from: images.data + index * size, count: size)
        return Sample(["image": out], label: labels[index])
    }

    /// Number of samples per label.
    func histogram(classes: Int) -> [Int] {
        var h = [Int](repeating: 0, count: classes)
        for l in labels where l >= 0 && l < classes { h[l] += 1 }
        return h
    }

    /// Byte -> [-1, 1] table, so conversion is one lookup per pixel.
    static let byteToUnit: [Float] = (0..<256).map { Float($0) / 127.5 - 1 }

    static func checkedLimit(_ limit: Int?, available: Int) throws -> Int {
        guard let limit else { return available }
        guard limit > 0 else { throw DataError.option(name: "limit", reason: "must be positive, got \(limit)") }
        return min(limit, available)
    }
}
