import Foundation
import GANTensor

/// Gray images and labels from a pair of IDX files, held in one contiguous buffer in [-1, 1].
public class IDXDataset: Dataset, @unchecked Sendable {
    public let name: String
    public let count: Int
    public let classCount: Int?
    public let size: Int
    let pixels: Tensor
    let labels: [Int]
    let pad: Int

    public init(imagesPath: String, labelsPath: String, name: String? = nil, pad32: Bool = false) throws {
        let images = try IDX.readImages(imagesPath)
        let labels = try IDX.readLabels(labelsPath)
        guard images.count == labels.count else {
            throw DataError.invalid(path: labelsPath, reason: "\(labels.count) labels for \(images.count) images in \(imagesPath)")
        }
        guard images.rows == images.columns else {
            throw DataError.invalid(path: imagesPath, reason: "images are \(images.rows)x\(images.columns); square images expected")
        }
        self.name = name ?? URL(fileURLWithPath: imagesPath).lastPathComponent
        count = images.count
        classCount = (labels.max() ?? 0) + 1
        self.labels = labels
        pad = pad32 ? Swift.max(0, (32 - images.rows) / 2) : 0
        size = images.rows
        pixels = Tensor(uninitialized: [images.count * images.rows * images.columns])
        let p = pixels.data
        images.pixels.withUnsafeBufferPointer { src in
            for i in 0..<src.count { p[i] = Float(src[i]) / 127.5 - 1 }
        }
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        guard (0..<count).contains(index) else { throw DataError.option(name: "index", reason: "\(index) outside 0..<\(count) in \(name)") }
        let side = size + 2 * pad
        let t = Tensor(repeating: -1, shape: [1, side, side])
        let src = pixels.data + index * size * size
        for y in 0..<size { (t.data + (y + pad) * side + pad).update(from: src + y * size, count: size) }
        return Sample(["image": t], label: labels[index])
    }
}

/// Fashion-MNIST (Xiao, Rasul, Vollgraf 2017) from Debian's dataset-fashion-mnist package.
public final class FashionMNIST: IDXDataset, @unchecked Sendable {
    public enum Split: String, Sendable { case train, test }
    public static let defaultRoot = "/usr/share/datasets/fashion-mnist"
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    public init(split: Split, root: String = FashionMNIST.defaultRoot, pad32: Bool = false) throws {
        let prefix = split == .train ? "train" : "t10k"
        let images = "\(root)/\(prefix)-images-idx3-ubyte.gz", labels = "\(root)/\(prefix)-labels-idx1-ubyte.gz"
        for path in [images, labels] where !FileManager.default.fileExists(atPath: path) {
            throw DataError.unreadable(path: path, reason: root == FashionMNIST.defaultRoot
                ? "not found: install Debian's dataset-fashion-mnist package (apt-get install dataset-fashion-mnist)"
                : "not found")
        }
        try super.init(imagesPath: images, labelsPath: labels, name: "fashion-mnist \(split.rawValue)", pad32: pad32)
    }
}
