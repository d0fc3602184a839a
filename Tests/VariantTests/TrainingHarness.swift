import Foundation
import XCTest
@testable import GANCore
import GANMetrics
import GANRegistry
import GANTensor

/// Shared helpers for short real trainings in the default tests.
enum TrainingHarness {
    static func tempDir(_ name: String) -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gankit-\(name)-\(UUID().uuidString)")
        return url.path
    }

    static func recipe(_ name: String, _ overrides: [String]) throws -> Recipe {
        try Registry.recipeLoader().load(name, overrides: overrides)
    }

    /// Trains `recipe` to `steps` in `dir`, quietly, and returns the trainer.
    @discardableResult
    static func train(_ recipe: Recipe, dir: String, steps: Int? = nil,
                      afterStep: ((Int) throws -> Void)? = nil) throws -> Trainer {
        let trainer = Trainer(recipe: recipe, variantType: Registry.variant(named: recipe.variant)!, runDirectory: dir, steps: steps)
        trainer.progressSink = { _ in }
        trainer.afterStep = afterStep
        trainer.writeReport = false
        try trainer.train()
        return trainer
    }

    /// Every network's state dict as plain arrays, for bit-exact comparison.
    static func weights(_ trainer: Trainer) -> [String: [Float]] {
        var out: [String: [Float]] = [:]
        for (net, module) in trainer.variant!.networks {
            for (k, t) in module.stateDict() { out["\(net).\(k)"] = t.scalars }
        }
        return out
    }

    static func metrics(_ dir: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: RunFolder(dir).metrics.path, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    /// A short real training: trains `steps` (the overrides set train.log_every=2), checks that the logged
    /// losses are finite and move, and that a variant reopened from the checkpoint generates the same samples.
    @discardableResult
    static func checkShortTraining(_ name: String, _ overrides: [String], steps: Int, losses: [String] = ["loss_d", "loss_g"],
                                   file: StaticString = #filePath, line: UInt = #line) throws -> Trainer {
        let recipe = try TrainingHarness.recipe(name, overrides)
        let dir = TrainingHarness.tempDir(name)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let trainer = try TrainingHarness.train(recipe, dir: dir, steps: steps)
        // Training lines (held-out figures, if any, follow on a line of their own).
        let lines = try TrainingHarness.metrics(dir).filter { !$0.keys.contains { $0.hasPrefix("test_") } }
        XCTAssertEqual(lines.count, steps / 2, file: file, line: line)
        for key in losses {
            let values = lines.compactMap { ($0[key] as? NSNumber)?.doubleValue }
            XCTAssertEqual(values.count, lines.count, "\(key) logged every time", file: file, line: line)
            XCTAssertTrue(values.allSatisfy(\.isFinite), "\(key) finite", file: file, line: line)
            XCTAssertGreaterThan(Set(values).count, 1, "\(key) moves", file: file, line: line)
        }
        // The checkpoint round-trips: a variant rebuilt from it generates the same samples.
        let variant = trainer.variant!
        let opened = try RunLoader.open(dir, recipes: Registry.recipeLoader(), variant: Registry.variant(named:))
        XCTAssertEqual(opened.state.step, steps, file: file, line: line)
        let z = RandomGenerator(seed: 5).normal([4, variant.latentDimension!])
        let labels = variant.conditionClasses.map { k in (0..<4).map { $0 % k } }
        let a = try variant.generate(GeneratorInput(latents: z, labels: labels))
        let b = try opened.variant.generate(GeneratorInput(latents: z, labels: labels))
        XCTAssertEqual(a.scalars, b.scalars, "samples from the reloaded checkpoint", file: file, line: line)
        XCTAssertTrue(a.scalars.allSatisfy(\.isFinite), file: file, line: line)
        return trainer
    }

    /// A feature classifier small enough to train in about a second (cached once per test process
    /// in a temporary folder), for tests of the feature metrics in training and claims.
    static let tinyEvaluator: () throws -> FeatureEvaluator = {
        let root = tempDir("classifier-cache")
        return {
            var s = FashionClassifierSettings()
            s.conv1 = 4
            s.conv2 = 8
            s.features = 16
            s.epochs = 2
            s.batchSize = 32
            s.trainLimit = 1024
            s.testLimit = 300
            return try FeatureEvaluator.fashionClassifier(s, cacheRoot: root)
        }
    }()

    struct Killed: Error {}
}
