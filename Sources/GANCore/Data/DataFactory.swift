import Foundation
import GANData
import GANTensor

/// Builds the dataset a recipe's `data:` section names, and describes its shape for the variant.
public enum DataFactory {
    public struct Built {
        public let dataset: any Dataset
        public let info: DataInfo
    }

    public static func make(_ options: Options, seed: UInt64) throws -> Built {
        let root = options.optionalString("root")
        let split: Split = options.string("split") == "test" ? .test : .train
        var dataset: any Dataset
        switch options.string("dataset") {
        case "fashion-mnist":
            dataset = try FashionMNIST(split: split, root: root ?? FashionMNIST.defaultRoot, pad32: options.bool("pad32"))
        case "mnist-idx":
            guard let root else { throw DataError.option(name: "data.root", reason: "mnist-idx needs the folder of the IDX files") }
            let prefix = split == .train ? "train" : "t10k"
            dataset = try IDXDataset(imagesPath: try idxFile(root, "\(prefix)-images-idx3-ubyte"),
                                     labelsPath: try idxFile(root, "\(prefix)-labels-idx1-ubyte"))
        case "cifar10":
            guard let root else { throw DataError.option(name: "data.root", reason: "cifar10 needs the folder of the binary batches") }
            let names = split == .train ? (1...5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
            dataset = try CIFAR10Binary(files: names.map { root + "/" + $0 })
        case "image-folder":
            guard let root else { throw DataError.option(name: "data.root", reason: "image-folder needs a folder") }
            dataset = try ImageFolder(root: root, channels: options.optionalInt("channels") ?? 3)
        case "paired":
            guard let root else { throw DataError.option(name: "data.root", reason: "paired needs a folder") }
            let direction: PairedFolder.Direction = options.string("direction") == "BtoA" ? .BtoA : .AtoB
            let channels = options.optionalInt("channels") ?? 3
            // Two folders A/ and B/ matched by name, or one folder of side-by-side A|B images.
            if FileManager.default.fileExists(atPath: root + "/A") && FileManager.default.fileExists(atPath: root + "/B") {
                dataset = try PairedFolder(folderA: root + "/A", folderB: root + "/B", direction: direction, channels: channels)
            } else {
                dataset = try PairedFolder(combined: root, direction: direction, channels: channels)
            }
        case "unpaired":
            guard let root else { throw DataError.option(name: "data.root", reason: "unpaired needs a folder with trainA/ and trainB/") }
            let sub = split == .train ? "train" : "test"
            dataset = try UnpairedFolders(trainA: "\(root)/\(sub)A", trainB: "\(root)/\(sub)B", channels: options.optionalInt("channels") ?? 3)
        case "edges2fashion":
            dataset = EdgesPairedDataset(base: try FashionMNIST(split: split, root: root ?? FashionMNIST.defaultRoot, pad32: options.bool("pad32")))
        case "fashion-two-domain":
            let classes = options.intList("classes")
            guard classes.count == 2 else { throw DataError.option(name: "data.classes", reason: "needs two class ids [A, B], got \(classes)") }
            dataset = try TwoDomainDataset(base: try FashionMNIST(split: split, root: root ?? FashionMNIST.defaultRoot, pad32: options.bool("pad32")),
                                           classA: classes[0], classB: classes[1])
        case "mixture":
            guard let preset = GaussianMixture.Preset(rawValue: options.string("mixture")) else {
                throw DataError.option(name: "data.mixture", reason: "unknown mixture \(options.string("mixture"))")
            }
            dataset = GaussianMixture(preset: preset, count: options.optionalInt("limit") ?? 100_000, seed: seed)
        case "chairs":
            dataset = ChairDataset(size: options.optionalInt("image_size") ?? 64, seed: seed)
        case let other:
            throw DataError.option(name: "data.dataset", reason: "unknown dataset \(other)")
        }
        if let limit = options.optionalInt("limit"), limit < dataset.count {
            dataset = SubsetDataset(base: dataset, indices: Array(0..<limit))
        }
        var transforms = options.stringList("transforms")
        if let size = options.optionalInt("image_size"), options.string("dataset") != "chairs" { transforms.insert("resize=\(size)", at: 0) }
        if let c = options.optionalInt("channels"), c == 1 { transforms.append("grayscale") }
        if !transforms.isEmpty {
            dataset = TransformedDataset(base: dataset, transform: try Transform.parse(transforms))
        }
        return Built(dataset: dataset, info: try describe(dataset))
    }

    /// The shape of sample 0 tells the variant what it will see.
    static func describe(_ dataset: any Dataset) throws -> DataInfo {
        guard dataset.count > 0 else { throw DataError.invalid(path: dataset.name, reason: "the dataset is empty") }
        let s = try dataset.sample(at: 0, rng: RandomGenerator(seed: 0))
        if let p = s["point"] {
            return DataInfo(kind: .points, channels: 0, height: 0, width: p.shape[0], classCount: dataset.classCount)
        }
        if let a = s["A"], s["B"] != nil {
            let paired = !(dataset is UnpairedFolders || dataset is TwoDomainDataset)
            return DataInfo(kind: paired ? .paired : .unpaired, channels: a.shape[0], height: a.shape[1], width: a.shape[2],
                            classCount: dataset.classCount)
        }
        guard let x = s["image"], x.rank == 3 else {
            throw DataError.invalid(path: dataset.name, reason: "samples hold \(s.tensors.keys.sorted()), not images [C,H,W] or points")
        }
        return DataInfo(kind: .images, channels: x.shape[0], height: x.shape[1], width: x.shape[2], classCount: dataset.classCount,
                        classNames: (dataset as? FashionMNIST).map { _ in FashionMNIST.classNames })
    }

    static func idxFile(_ root: String, _ stem: String) throws -> String {
        for candidate in ["\(root)/\(stem).gz", "\(root)/\(stem)"] where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        throw DataError.unreadable(path: "\(root)/\(stem)[.gz]", reason: "no such file")
    }
}
