import ArgumentParser
import Foundation
import GANCore
import GANData
import GANMetrics
import GANRegistry
import GANTensor

/// Scores a checkpoint against its training data. Fashion-MNIST image runs get the feature
/// metrics of the toolkit's own classifier (fid, kid, pr, acc for conditional generators,
/// msssim; named "_fashion_features": they are not Inception's); other image runs get KID and
/// precision/recall on raw pixels ("_pixels", also available for Fashion-MNIST as kid_pixels and
/// pr_pixels); 2-D mixtures get PacGAN's mode metrics.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Evaluate a checkpoint (prints a table, writes JSON).")

    @Option(help: "Run folder (latest checkpoint) or checkpoint folder.") var checkpoint: String
    @Option(help: "Comma-separated: fid, kid, pr, acc, msssim (Fashion-MNIST, classifier features), kid_pixels, pr_pixels (images), modes (2-D mixtures). Default: all that apply.")
    var metrics: String?
    @Option(help: "Generated (and real) samples to compare.") var samples: Int = 2000
    @Option(help: "Seed of the generated samples.") var seed: UInt64 = 0
    @Option(help: "JSON file to write (default: <checkpoint>/eval.json).") var json: String?
    @Option(help: "Feature classifier recipe (name or path) of the Fashion-MNIST metrics.") var classifier: String = ClassifierRecipe.recipeName

    func validate() throws {
        if samples < 10 { throw ValidationError("--samples must be at least 10") }
    }

    static let pixelMetrics = ["kid_pixels", "pr_pixels"]

    func run() throws {
        try reportingErrors {
            let opened = try RunLoader.open(checkpoint, recipes: Registry.recipeLoader(), variant: Registry.variant(named:))
            let isPoints = opened.data.kind == .points
            let features = FeatureScoring.applies(to: opened.recipe, data: opened.data)
            let conditional = opened.variant.conditionClasses != nil
            let valid: [String] = isPoints ? ["modes"]
                : features ? FeatureEvaluator.metricNames + Self.pixelMetrics : ["kid", "pr"] + Self.pixelMetrics
            let named = metrics.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            let wanted = named ?? (isPoints ? ["modes"] : features ? FeatureScoring.defaults(conditional: conditional) : ["kid_pixels", "pr_pixels"])
            if let bad = wanted.first(where: { !valid.contains($0) }) {
                throw TrainingError.invalid("--metrics: \"\(bad)\" does not apply to \(opened.recipe.name); available: \(valid.joined(separator: ", "))")
            }
            var results: [(String, Double)] = []
            var display: [String: String] = [:]
            if isPoints {
                let fake = try opened.variant.generateSamples(count: samples, seed: seed)
                let counter = try MixtureScoring.counter(for: opened.recipe)
                let r = try counter.score(fake)
                results += [("modes_captured", Double(r.modesCaptured)), ("modes_total", Double(counter.modes.count)),
                            ("high_quality_fraction", r.highQualityFraction), ("reverse_kl", r.reverseKL)]
            } else {
                let featureNames = wanted.filter { FeatureEvaluator.metricNames.contains($0) && features }
                if !featureNames.isEmpty {
                    let set = try FeatureScoring.validate(featureNames, recipe: opened.recipe, conditional: conditional)
                    let evaluator = try ClassifierCommand.evaluator(Registry.recipeLoader().load(classifier), rebuild: false)
                    let scored = try FeatureScoring.score(opened.variant, evaluator: evaluator, metrics: set, count: samples, seed: seed)
                    for name in FeatureEvaluator.metricNames where set.contains(name) {
                        for key in FeatureEvaluator.resultKeys[name] ?? [] {
                            if let v = scored[key] { results.append((key, v)) }
                            display[key] = FeatureEvaluator.displayNames[key]
                        }
                    }
                }
                let pixels = Set(wanted.filter { !featureNames.contains($0) }.map { $0.replacingOccurrences(of: "_pixels", with: "") })
                if !pixels.isEmpty { results += try pixelResults(opened, pixels) }
            }
            for (k, v) in results {
                let label = display[k].map { "\(k) (\($0))" } ?? k
                print("\(label.padding(toLength: Swift.max(24, label.count), withPad: " ", startingAt: 0))  \(String(format: "%.6g", v))")
            }
            var object: [String: Any] = ["checkpoint": opened.checkpoint.path, "step": opened.state.step, "samples": samples, "seed": seed]
            for (k, v) in results { object[k] = v.isFinite ? v : String(v) }
            if !display.isEmpty { object["display_names"] = display }
            let out = json ?? opened.checkpoint.appendingPathComponent("eval.json").path
            try FileBytes.write(Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])), to: out)
            print("wrote \(out)")
        }
    }

    /// KID ("kid") and precision/recall ("pr") on raw pixels against the recipe's real images.
    func pixelResults(_ opened: RunLoader.Opened, _ wanted: Set<String>) throws -> [(String, Double)] {
        let fake = try opened.variant.generateSamples(count: samples, seed: seed)
        let real = try realImages(opened.recipe, count: samples)
        let rf = try real.reshaped([real.shape[0], -1]), ff = try fake.reshaped([fake.shape[0], -1])
        var results: [(String, Double)] = []
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
        return results
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
