import ArgumentParser
import Foundation
import GANCore
import GANData
import GANRegistry
import GANTensor

/// Looks at a recipe's data before training: a grid of the first training samples (images, or
/// both halves of a pair side by side, or a scatter plot of 2-D points).
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "preview", abstract: "Write a grid of a recipe's training data.")

    @Argument(help: "Recipe name or path.") var recipe: String = "dcgan-fashion"
    @Option(name: .customLong("set"), help: "Override a field: key.path=value (repeatable).") var overrides: [String] = []
    @Option(help: "Samples to show.") var count: Int = 64
    @Option(help: "Image to write.") var out: String = "preview.png"

    func run() throws {
        try reportingErrors {
            let r = try Registry.recipeLoader().load(recipe, overrides: overrides)
            let built = try DataFactory.make(r.data, seed: r.seed)
            let loader = try DataLoader(dataset: built.dataset, batchSize: Swift.min(count, built.dataset.count), shuffle: true,
                                        dropLast: false, seed: r.seed, prefetch: 0)
            let batch = try loader.next()
            if let points = batch.tensors["point"] {
                let (png, _) = try ScatterPlot.png(points: points, size: 256)
                try FileBytes.write(png, to: out)
            } else if let a = batch.tensors["A"], let b = batch.tensors["B"] {
                let both = try Tensor.concat([a.shape[1] == b.shape[1] ? a : try a.expanded(to: b.shape), b], axis: 3)
                try ImageGrid.write(both, columns: Int(Double(both.shape[0]).squareRoot().rounded(.up)), to: out)
            } else {
                let x = try batch.images()
                try ImageGrid.write(x, columns: Int(Double(x.shape[0]).squareRoot().rounded(.up)), to: out)
            }
            print("wrote \(batch.tensors.values.first?.shape[0] ?? 0) samples of \(built.dataset.name) to \(out)")
        }
    }
}
