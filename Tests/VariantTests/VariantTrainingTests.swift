import Foundation
import XCTest
@testable import GANCore
import GANRegistry
import GANTensor

/// A short real training of each issue-5 variant on a small subset: losses finite and moving,
/// sampling works, and a checkpoint loads back into a fresh variant with identical samples.
final class VariantTrainingTests: XCTestCase {
    let small = ["data.limit=256", "train.batch_size=32", "train.log_every=2", "train.sample_every=100",
                 "train.checkpoint_every=100", "train.sample_count=20"]
    let smallNets = ["model.ngf=8", "model.ndf=8"]

    @discardableResult
    func check(_ name: String, _ overrides: [String], steps: Int, losses: [String] = ["loss_d", "loss_g"],
               file: StaticString = #filePath, line: UInt = #line) throws -> Trainer {
        try TrainingHarness.checkShortTraining(name, overrides, steps: steps, losses: losses, file: file, line: line)
    }

    func testConditionalGANInputAndHiddenConditioning() throws {
        try check("cgan-fashion", small + smallNets, steps: 6)
        try check("cgan-fashion", small + smallNets + ["model.d_condition=hidden"], steps: 4)
    }

    func testACGANTrainsItsClassifierAndReportsTestAccuracy() throws {
        try check("acgan-fashion", small + smallNets, steps: 6, losses: ["loss_d", "loss_g", "acc_real"])
        // After training, the auxiliary classifier is scored on the 10,000 real test images.
        let dir = TrainingHarness.tempDir("acgan-test")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TrainingHarness.train(try TrainingHarness.recipe("acgan-fashion", small + smallNets + ["train.lr_d=1e-3"]), dir: dir, steps: 30)
        let last = try XCTUnwrap(TrainingHarness.metrics(dir).last)
        let accuracy = try XCTUnwrap((last["test_aux_accuracy"] as? NSNumber)?.doubleValue)
        XCTAssertEqual(last["step"] as? Int, 30)
        // 30 steps on 256 images already classify far above chance (0.1).
        XCTAssertGreaterThan(accuracy, 0.3)
        XCTAssertLessThanOrEqual(accuracy, 1)
    }

    func testPacGANOnTheRingAndOnImages() throws {
        try check("pacgan-ring", ["data.limit=2000", "train.batch_size=100", "train.log_every=2", "train.sample_every=1000",
                                          "train.checkpoint_every=1000", "train.sample_count=100", "model.g_width=32", "model.d_width=16", "train.lr_g=1e-3", "train.lr_d=1e-3"], steps: 10,
                  losses: ["loss_d", "loss_g", "d_real", "d_fake"])
        try check("pacgan-fashion", small + smallNets + ["model.pack=4"], steps: 4)
    }

    func testWGANGPOnToysAndImagesLogsCriticEstimate() throws {
        try check("wgangp-8gaussians", ["train.batch_size=64", "train.log_every=2", "train.sample_every=1000", "train.checkpoint_every=1000",
                                        "train.sample_count=64", "model.mlp_width=32", "data.limit=1000"],
                  steps: 6, losses: ["loss_d", "loss_g", "wasserstein", "grad_norm"])
        try check("wgangp-fashion", small + smallNets + ["train.n_critic=2"], steps: 4, losses: ["loss_d", "wasserstein", "grad_norm"])
    }

    func testVariantSpecificBadValues() throws {
        XCTAssertThrowsError(try TrainingHarness.recipe("pacgan-ring", ["model.pack=0"])) {
            XCTAssertTrue("\($0)".contains("model.pack: must be in 1...16, got 0"), "\($0)")
        }
        XCTAssertThrowsError(try TrainingHarness.recipe("wgangp-fashion", ["train.n_critic=0"])) {
            XCTAssertTrue("\($0)".contains("train.n_critic: must be in 1...100, got 0"), "\($0)")
        }
        let recipe = try TrainingHarness.recipe("pacgan-ring", ["model.pack=3", "train.batch_size=100"])
        let dir = TrainingHarness.tempDir("pack")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertThrowsError(try TrainingHarness.train(recipe, dir: dir, steps: 1)) {
            XCTAssertTrue("\($0)".contains("batch_size 100 must be a multiple of model.pack 3"), "\($0)")
        }
    }

    func testEveryRecipeLoadsAndEveryVariantHasARecipe() throws {
        let loader = Registry.recipeLoader()
        let recipes = try loader.available().map { try loader.load($0.path) }
        XCTAssertGreaterThanOrEqual(recipes.count, 11)
        for v in allVariants {
            XCTAssertTrue(recipes.contains { $0.variant == v.name }, "no recipe for \(v.name)")
        }
        XCTAssertEqual(Set(Registry.names).count, allVariants.count, "variant names are unique")
    }
}
