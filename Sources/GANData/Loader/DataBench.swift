import Foundation
import GANTensor

/// Loader throughput (images/s) to show the data pipeline is never the bottleneck: Fashion-MNIST
/// batches through the prefetching loader, and 256x256 JPEG pairs decoded and cropped from disk.
public enum DataBench {
    public static func run(batch: Int = 64, batches: Int = 100) throws -> [[String: Any]] {
        var out: [[String: Any]] = []
        if let fashion = try? FashionMNIST(split: .train) {
            out.append(try measure("fashion-mnist", fashion, batch: batch, batches: batches, transforms: []))
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gankit-databench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let rng = RandomGenerator(seed: 0)
        for i in 0..<64 {
            let pair = try Image8(tensor: rng.uniform([3, 256, 512], low: -1, high: 1))
            try ImageCodec.writeJPEG(pair, quality: 90, to: dir.appendingPathComponent(String(format: "%03d.jpg", i)).path)
        }
        let paired = try PairedFolder(root: dir.path)
        out.append(try measure("jpeg-256-pairs", paired, batch: 8, batches: 40, transforms: ["resize=286", "random_crop=256", "hflip"]))
        return out
    }

    static func measure(_ name: String, _ dataset: any Dataset, batch: Int, batches: Int, transforms: [String]) throws -> [String: Any] {
        let data = transforms.isEmpty ? dataset : TransformedDataset(base: dataset, transform: try Transform.parse(transforms))
        let loader = try DataLoader(dataset: data, batchSize: batch, shuffle: true, dropLast: true, seed: 0, prefetch: 4, workers: 2)
        defer { loader.close() }
        _ = try loader.next()
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<batches { _ = try loader.next() }
        let s = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        return ["model": "data", "name": name, "batch": batch, "images_per_s": (Double(batch * batches) / s).rounded(),
                "ms_per_batch": (s / Double(batches) * 1e4).rounded() / 10]
    }
}
