import ArgumentParser
import Foundation
import GANCore
import GANData
import GANMetrics
import GANRegistry
import GANTensor

/// Scores a checkpoint against its training data. Available here: PacGAN's mode metrics for 2-D
/// mixtures, and for images KID and precision/recall on raw pixels (named "_pixels": they are
/// not Inception features; classifier features come with the metrics issue).
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Evaluate a checkpoint (prints a table, writes JSON).")

    @Option(help: "Run folder (latest checkpoint) or checkpoint folder.") var checkpoint: String
    @Option(help: "Comma-separated: modes (2-D mixtures), kid, pr (images). Default: all that apply.") var metrics: String?
    @Option(help: "Generated (and real) samples to compare.") var samples: Int = 2000
    @Option(help: "Seed of the generated samples.") var seed: UInt64 = 0
    @Option(help: "JSON file to write (default: <checkpoint>/eval.json).") var json: String?

    func validate() throws {
        if samples < 10 { throw ValidationError("--samples must be at least 10") }
    }

    func run() throws {
        try reportingErrors {
            let opened = try RunLoader.open(checkpoint, recipes: Registry.recipeLoader(), variant: Registry.variant(named:))
            let isPoints = opened.data.kind == .points
            let wanted = metrics.map { Set($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }) }
                ?? (isPoints ? ["modes"] : ["kid", "pr"])
            let valid: Set<String> = isPoints ? ["modes"] : ["kid", "pr"]
            if let bad = wanted.subtracting(valid).sorted().first {
                throw TrainingError.invalid("--metrics: \"\(bad)\" does not apply to \(opened.recipe.name); available: \(valid.sorted().joined(separator: ", "))")
            }
            let fake = try opened.variant.generateSamples(count: samples, seed: seed)
            var results: [(String, Double)] = []
            if isPoints {
                let counter = try MixtureScoring.counter(for: opened.recipe)
                let r = try counter.score(fake)
                results += [("modes_captured", Double(r.modesCaptured)), ("modes_total", Double(counter.modes.count)),
                            ("high_quality_fraction", r.highQualityFraction), ("reverse_kl", r.reverseKL)]
            } else {
                let real = try realImages(opened.recipe, count: samples)
                let rf = try real.reshaped([real.shape[0], -1]), ff = try fake.reshaped([fake.shape[0], -1])
                if wanted.contains("kid") {
                    let n = Swift.min(rf.shape[0], ff.shape[0])
                    let kid = try KernelInceptionDistance.compute(real: rf, fake: ff, subsetSize: Swift.min(1000, n), subsets: 20,
                                                                  rng: RandomGenerator(seed: seed))
                    results += [("kid_pixels", kid.mean), ("kid_pixels_std", kid.std)]
                }
                if wanted.contains("pr") {
                    let pr = try PrecisionRecall.compute(real: rf, fake: ff, k: 3)
                    results += [("precision_pixels", pr.precision), ("recall_pixels", pr.recall)]
                }
            }
            for (k, v) in results { print("\(k.padding(toLength: 24, withPad: " ", startingAt: 0)) \(String(format: "%.6g", v))") }
            var object: [String: Any] = ["checkpoint": opened.checkpoint.path, "step": opened.state.step, "samples": samples]
            for (k, v) in results { object[k] = v.isFinite ? v : String(v) }
            let out = json ?? opened.checkpoint.appendingPathComponent("eval.json").path
            try FileBytes.write(Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])), to: out)
            print("wrote \(out)")
        }
    }

    /// Real images of the recipe's data (its test split when it has one).
    func realImages(_ recipe: Recipe, count: Int) throws -> Tensor {
        var options = recipe.data
        if ["fashion-mnist", "mnist-idx", "cifar10"].contains(options.string("dataset")) { options.set("split", .string("test")) }
        let dataset = try DataFactory.make(options, seed: recipe.seed).dataset
        let loader = try DataLoader(dataset: dataset, batchSize: Swift.min(count, dataset.count), shuffle: true, dropLast: false,
                                    seed: seed, prefetch: 0)
        defer { loader.close() }
        return try loader.next().images()
    }
}
