import GANTensor

/// An IDX images/labels pair (MNIST, Fashion-MNIST, KMNIST, ...) held in memory as one
/// contiguous [N,1,H,W] tensor in [-1, 1]; samples are "image" [1,H,W] plus the label.
/// `pad32` pads 28x28 images to 32x32 with -1 (background), as DCGAN-style nets need powers of 2.
public final class IDXDataset: Dataset {
    public let name: String
    public let classCount: Int?
    let bank: ImageBank

    /// All images, [N,1,H,W] in [-1, 1], contiguous.
    public var images: Tensor { bank.images }
    public var labels: [Int] { bank.labels }
    public var count: Int { bank.count }

    /// `name` prefixes the log name (the sample count is appended).
    public init(imagesPath: String, labelsPath: String, name: String? = nil, classCount: Int? = 10,
                pad32: Bool = false, limit: Int? = nil) throws {
        let (idx, labelBytes) = try IDX.readPair(images: imagesPath, labels: labelsPath)
        let n = try ImageBank.checkedLimit(limit, available: idx.dims[0])
        let (h, w) = (idx.dims[1], idx.dims[2])
        guard h > 0, w > 0 else { throw DataError.invalid(path: imagesPath, reason: "empty images \(h)x\(w)") }
        if pad32, h > 32 || w > 32 {
            throw DataError.option(name: "pad32", reason: "images are \(h)x\(w), larger than 32x32")
        }
        let labels = labelBytes.prefix(n).map(Int.init)
        if let classCount, let bad = labels.first(where: { $0 >= classCount }) {
            throw DataError.corrupt(path: labelsPath, reason: "label \(bad) is not below the class count \(classCount)")
        }
        let (oh, ow) = pad32 ? (32, 32) : (h, w)
        let (top, left) = ((oh - h) / 2, (ow - w) / 2)
        let table = ImageBank.byteToUnit
        bank = idx.bytes.withUnsafeBufferPointer { src in
            table.withUnsafeBufferPointer { lut in
                ImageBank(count: n, imageShape: [1, oh, ow], labels: labels) { i, dst in
                    if pad32 { dst.initialize(repeating: -1, count: oh * ow) }
                    let img = src.baseAddress! + i * h * w
                    for y in 0..<h {
                        let row = dst + (top + y) * ow + left
                        for x in 0..<w { row[x] = lut[Int(img[y * w + x])] }
                    }
                }
            }
        }
        self.classCount = classCount
        self.name = "\(name ?? "idx \(imagesPath)") (\(n))"
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        try bank.sample(at: index, dataset: name)
    }

    /// Samples per class (index = label).
    public func classHistogram() -> [Int] { bank.histogram(classes: classCount ?? (labels.max() ?? -1) + 1) }
}
