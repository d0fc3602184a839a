import Foundation
import GANData
import GANTensor

/// The run's sample grids: the same generator inputs every time (drawn once from the seed), so
/// successive grids show training progress on fixed latents. Point sets are drawn as scatter plots.
final class SampleSheet {
    struct PNG { let bytes: [UInt8]; let width: Int; let height: Int; let channels: Int }

    let variant: any GANVariant
    let inputs: GeneratorInput
    let folder: URL
    let columns: Int
    private(set) var writtenFiles: [URL] = []

    init(variant: any GANVariant, recipe: Recipe, dataset: any Dataset, folder: URL, seed: UInt64) throws {
        self.variant = variant
        self.folder = folder
        let count = recipe.train.int("sample_count")
        let held = try DataLoader(dataset: dataset, batchSize: Swift.min(count, dataset.count), shuffle: false,
                                  dropLast: false, seed: seed, prefetch: 0, workers: 1, resumeFrom: nil)
        defer { held.close() }
        inputs = try variant.sampleInputs(count: count, rng: RandomGenerator(seed: seed).fork("samples"), data: held)
        columns = variant.conditionClasses ?? Int(Double(inputs.count).squareRoot().rounded(.up))
        let existing = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        writtenFiles = existing.filter { $0.pathExtension == "png" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    func render() throws -> PNG {
        let out = try variant.generate(inputs)
        if out.rank == 2 {
            let (bytes, size) = try ScatterPlot.png(points: out, size: 256)
            return PNG(bytes: bytes, width: size, height: size, channels: 3)
        }
        let bytes = try ImageGrid.png(out, columns: columns)
        let pad = 2
        let rows = (out.shape[0] + columns - 1) / columns
        return PNG(bytes: bytes, width: columns * (out.shape[3] + pad) + pad,
                   height: rows * (out.shape[2] + pad) + pad, channels: out.shape[1] == 1 ? 1 : 3)
    }

    /// Writes samples/step-XXXXXXXXX.png and returns its bytes (for TensorBoard).
    func write(step: Int) throws -> PNG {
        let png = try render()
        let url = folder.appendingPathComponent(String(format: "step-%09d.png", step))
        try AtomicFile.write(Data(png.bytes), to: url)
        if !writtenFiles.contains(url) { writtenFiles.append(url) }
        return png
    }
}

/// 2-D points as a black-on-white scatter plot over [-limit, limit]^2 (the mixtures' range).
public enum ScatterPlot {
    public static func png(points: Tensor, size: Int, limit: Float = 5) throws -> ([UInt8], Int) {
        var pixels = [UInt8](repeating: 255, count: size * size * 3)
        let n = points.shape[0], d = points.shape[1]
        let span = 2 * Swift.max(limit, points.scalars.map { Swift.abs($0) }.filter(\.isFinite).max() ?? limit)
        for i in 0..<n {
            let x = points.data[i * d], y = points.data[i * d + 1]
            let px = Int((x / span + 0.5) * Float(size - 1)), py = Int((0.5 - y / span) * Float(size - 1))
            for dy in -1...1 { for dx in -1...1 {
                let u = px + dx, v = py + dy
                guard u >= 0, u < size, v >= 0, v < size else { continue }
                let o = (v * size + u) * 3
                pixels[o] = 30; pixels[o + 1] = 60; pixels[o + 2] = 200
            } }
        }
        return (try ImageCodec.encodePNG(Image8(width: size, height: size, channels: 3, pixels: pixels)), size)
    }
}
