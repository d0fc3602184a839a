import Foundation
import GANTensor

/// One throughput measurement of the data pipeline.
public struct DataBenchRecord: Sendable {
    public var name: String
    /// Images processed in the timed run.
    public var images: Int
    public var seconds: Double
    /// Why the case did not run (e.g. the dataset is not installed), else nil.
    public var note: String?

    public var imagesPerSecond: Double { seconds > 0 ? Double(images) / seconds : 0 }

    public var json: [String: Any] {
        var j: [String: Any] = ["name": name, "images": images, "seconds": seconds, "images_per_second": imagesPerSecond]
        if let note { j["note"] = note }
        return j
    }
}

/// Throughput of decoding and batching, in images per second: Fashion-MNIST loading (gunzip,
/// IDX parse, conversion to floats), batch assembly from its samples, and decoding 256x256 JPEG
/// pairs through PairedFolder (files written to a temporary folder first).
public enum DataBench {
    public static func run(fashionMNISTRoot: String = FashionMNIST.defaultRoot, batchSize: Int = 64,
                           batches: Int = 200, jpegPairs: Int = 64) throws -> [DataBenchRecord] {
        var records: [DataBenchRecord] = []
        do {
            var ds: FashionMNIST?
            let load = try time { ds = try FashionMNIST(split: .train, root: fashionMNISTRoot) }
            records.append(DataBenchRecord(name: "fashion-mnist.load", images: ds!.count, seconds: load))
            records.append(try batchAssembly(ds!, batchSize: batchSize, batches: batches))
        } catch let error as DataError {
            records.append(DataBenchRecord(name: "fashion-mnist.load", images: 0, seconds: 0, note: "skipped: \(error)"))
        }
        records.append(try jpegPairDecode(pairs: jpegPairs))
        return records
    }

    /// Random samples copied into [batchSize, C, H, W] batches, as a loader does.
    static func batchAssembly(_ ds: Dataset, batchSize: Int, batches: Int) throws -> DataBenchRecord {
        let rng = RandomGenerator(seed: 0)
        let shape = try ds.sample(at: 0, rng: rng)["image"]!.shape
        let size = Shape.count(shape)
        let seconds = try time {
            for _ in 0..<batches {
                let batch = Tensor(uninitialized: [batchSize] + shape)
                for b in 0..<batchSize {
                    let image = try ds.sample(at: rng.nextInt(below: ds.count), rng: rng)["image"]!
                    withExtendedLifetime(image) { (batch.data + b * size).update(from: image.data, count: size) }
                }
            }
        }
        return DataBenchRecord(name: "fashion-mnist.batch\(batchSize)", images: batchSize * batches, seconds: seconds)
    }

    /// PairedFolder over `pairs` pairs of 256x256 RGB JPEGs (quality 90), every pair decoded once.
    static func jpegPairDecode(pairs: Int) throws -> DataBenchRecord {
        let root = NSTemporaryDirectory() + "gankit-databench-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for side in ["A", "B"] {
            try FileManager.default.createDirectory(atPath: root + "/" + side, withIntermediateDirectories: true)
        }
        for i in 0..<pairs {
            for (k, side) in ["A", "B"].enumerated() {
                try ImageCodec.writeJPEG(benchImage(seed: 2 * i + k), quality: 90, to: "\(root)/\(side)/\(i).jpg")
            }
        }
        let ds = try PairedFolder(folderA: root + "/A", folderB: root + "/B")
        let rng = RandomGenerator(seed: 0)
        let seconds = try time { for i in 0..<ds.count { _ = try ds.sample(at: i, rng: rng) } }
        return DataBenchRecord(name: "jpeg256.pair-decode", images: 2 * pairs, seconds: seconds)
    }

    /// A 256x256 RGB picture with smooth gradients and edges, like a photo more than noise.
    static func benchImage(seed: Int) -> Image8 {
        var img = Image8(width: 256, height: 256, channels: 3)
        for y in 0..<256 {
            for x in 0..<256 {
                let edge = ((x + seed * 13) / 32 + y / 32) % 2 == 0 ? 40 : 0
                img.pixels[(y * 256 + x) * 3] = UInt8((x + edge + seed) % 256)
                img.pixels[(y * 256 + x) * 3 + 1] = UInt8((y + edge) % 256)
                img.pixels[(y * 256 + x) * 3 + 2] = UInt8((x + y) / 2)
            }
        }
        return img
    }

    private static func time(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
