import Foundation
import XCTest
@testable import GANCore
import GANMetrics
import GANRegistry

/// The trainer's evaluation every `train.eval_every` steps: metrics logged at those steps, keys
/// validated with the recipe key in the message, and the training itself unchanged by it.
final class PeriodicEvaluationTests: XCTestCase {
    static let tiny = ["data.limit=256", "model.ngf=8", "model.ndf=8", "train.batch_size=16", "train.sample_every=1000",
                       "train.checkpoint_every=1000", "train.log_every=1000", "train.sample_count=4"]

    func train(_ recipe: Recipe, _ dir: String, steps: Int) throws -> Trainer {
        let trainer = Trainer(recipe: recipe, variantType: Registry.variant(named: recipe.variant)!, runDirectory: dir, steps: steps)
        trainer.progressSink = { _ in }
        trainer.writeReport = false
        trainer.featureEvaluator = TrainingHarness.tinyEvaluator
        try trainer.train()
        return trainer
    }

    func testEvaluationIsLoggedAndLeavesTrainingBitIdentical() throws {
        let off = try TrainingHarness.recipe("dcgan-fashion", Self.tiny)
        let on = try TrainingHarness.recipe("dcgan-fashion", Self.tiny + ["train.eval_every=3", "train.eval_samples=40",
                                                                         "train.eval_metrics=[fid, kid, msssim]"])
        let dirOn = TrainingHarness.tempDir("eval-on")
        let a = try train(off, TrainingHarness.tempDir("eval-off"), steps: 7)
        let b = try train(on, dirOn, steps: 7)
        let wa = TrainingHarness.weights(a), wb = TrainingHarness.weights(b)
        XCTAssertEqual(wa.keys.sorted(), wb.keys.sorted())
        for (k, v) in wa { XCTAssertEqual(v.map(\.bitPattern), wb[k]!.map(\.bitPattern), k) }

        let lines = try TrainingHarness.metrics(dirOn).filter { $0["fid_fashion_features"] != nil }
        XCTAssertEqual(lines.map { $0["step"] as? Int }, [3, 6])
        for line in lines {
            XCTAssertGreaterThan(line["fid_fashion_features"] as! Double, 0)
            XCTAssertNotNil(line["kid_fashion_features"])
            XCTAssertNotNil(line["msssim_within_class"])
            XCTAssertNil(line["precision_fashion_features"], "only the metrics asked for")
        }
        let events = try FileManager.default.contentsOfDirectory(atPath: RunFolder(dirOn).tensorboard.path)
        XCTAssertFalse(events.isEmpty)
    }

    func testBadEvaluationKeysNameTheKey() throws {
        func error(_ recipe: String, _ extra: [String]) throws -> String {
            let r = try TrainingHarness.recipe(recipe, Self.tiny + extra)
            var message = ""
            XCTAssertThrowsError(try train(r, TrainingHarness.tempDir("eval-bad"), steps: 1)) { message = "\($0)" }
            return message
        }
        let unknown = try error("dcgan-fashion", ["train.eval_every=1", "train.eval_metrics=[fid, inception]"])
        XCTAssertTrue(unknown.contains("train.eval_metrics") && unknown.contains("\"inception\"") && unknown.contains("fid, kid, pr, acc, msssim"), unknown)
        let acc = try error("dcgan-fashion", ["train.eval_every=1", "train.eval_metrics=[acc]"])
        XCTAssertTrue(acc.contains("train.eval_metrics") && acc.contains("conditional"), acc)
        let ring = try TrainingHarness.recipe("pacgan-ring", ["train.eval_every=5"])
        XCTAssertThrowsError(try train(ring, TrainingHarness.tempDir("eval-ring"), steps: 1)) {
            XCTAssertTrue("\($0)".contains("train.eval_every") && "\($0)".contains("Fashion-MNIST"), "\($0)")
        }
        XCTAssertThrowsError(try TrainingHarness.recipe("dcgan-fashion", ["train.eval_samples=2"])) {
            XCTAssertTrue("\($0)".contains("train.eval_samples"), "\($0)")
        }
    }
}
