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
