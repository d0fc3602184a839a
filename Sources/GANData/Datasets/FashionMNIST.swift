import Foundation
import GANTensor

/// Dataset split.
public enum Split: String, Sendable, CaseIterable {
    case train, test
}

/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 60000 training and 10000 test 28x28 gray images of
/// 10 clothing classes, read from Debian's dataset-fashion-mnist package (or any folder with the
/// four original .gz files). Samples are "image" [1,28,28] ([1,32,32] with `pad32`) in [-1, 1].
public final class FashionMNIST: Dataset {
    public static let defaultRoot = "/usr/share/datasets/fashion-mnist"
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    public let split: Split
    let idx: IDXDataset

    public var name: String { idx.name }
    public var count: Int { idx.count }
    public var classCount: Int? { 10 }
    /// All images, [N,1,28,28] (or [N,1,32,32]) in [-1, 1], contiguous.
    public var images: Tensor { idx.images }
    public var labels: [Int] { idx.labels }

    public init(split: Split, root: String = FashionMNIST.defaultRoot, pad32: Bool = false, limit: Int? = nil) throws {
        let prefix = split == .train ? "train" : "t10k"
        let imagesPath = try Self.locate(root, "\(prefix)-images-idx3-ubyte")
        let labelsPath = try Self.locate(root, "\(prefix)-labels-idx1-ubyte")
        self.split = split
        idx = try IDXDataset(imagesPath: imagesPath, labelsPath: labelsPath, name: "fashion-mnist \(split.rawValue)",
                             classCount: 10, pad32: pad32, limit: limit)
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        try idx.sample(at: index, rng: rng)
    }

    public func classHistogram() -> [Int] { idx.classHistogram() }

    /// `<root>/<base>.gz`, or the uncompressed `<root>/<base>`; a clear hint when neither exists.
    private static func locate(_ root: String, _ base: String) throws -> String {
        let gz = (root as NSString).appendingPathComponent(base + ".gz")
        let raw = (root as NSString).appendingPathComponent(base)
        if FileManager.default.fileExists(atPath: gz) { return gz }
        if FileManager.default.fileExists(atPath: raw) { return raw }
        throw DataError.unreadable(path: gz, reason:
            "Fashion-MNIST not found: install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist)")
    }
}
