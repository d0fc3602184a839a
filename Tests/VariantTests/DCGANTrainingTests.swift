import Foundation
import XCTest
@testable import GANCore
@testable import DCGAN
@testable import GANCore
import GANRegistry
import GANTensor

/// A short real DCGAN training on a Fashion-MNIST subset: the losses move, samples and
/// checkpoints are written, and an interrupted and resumed run ends bit-identical.
final class DCGANTrainingTests: XCTestCase {
    let overrides = ["data.limit=512", "model.ngf=16", "model.ndf=16", "train.batch_size=32",
                     "train.log_every=5", "train.sample_every=20", "train.checkpoint_every=10", "train.sample_count=16"]

    func testShortTrainingMovesLossesAndResumesExactly() throws {
        let recipe = try TrainingHarness.recipe("dcgan-fashion", overrides)
        let whole = TrainingHarness.tempDir("dcgan-whole"), split = TrainingHarness.tempDir("dcgan-split")
        defer { for d in [whole, split] { try? FileManager.default.removeItem(atPath: d) } }

        let a = try TrainingHarness.train(recipe, dir: whole, steps: 40)
        let lines = try TrainingHarness.metrics(whole)
        XCTAssertEqual(lines.map { $0["step"] as? Int }, [5, 10, 15, 20, 25, 30, 35, 40])
        let lossD = lines.compactMap { ($0["loss_d"] as? NSNumber)?.floatValue }
        let lossG = lines.compactMap { ($0["loss_g"] as? NSNumber)?.floatValue }
        XCTAssertEqual(lossD.count, 8)
        XCTAssertTrue(lossD.allSatisfy(\.isFinite) && lossG.allSatisfy(\.isFinite))
        // The discriminator starts at chance (2 log 2 = 1.386) and learns: its loss must move.
        XCTAssertGreaterThan(Set(lossD.map { ($0 * 100).rounded() }).count, 3)
        XCTAssertGreaterThan(abs(lossD.first! - lossD.last!), 0.05)
        let samples = try FileManager.default.contentsOfDirectory(atPath: RunFolder(whole).samples.path).sorted()
        XCTAssertEqual(samples, ["step-000000020.png", "step-000000040.png"])
        let kept = try FileManager.default.contentsOfDirectory(atPath: RunFolder(whole).checkpoints.path).sorted()
        XCTAssertEqual(kept, ["step-000000020", "step-000000030", "step-000000040"])

        // Stop abruptly at step 25 (the last checkpoint is step 20), then resume to 40.
        XCTAssertThrowsError(try TrainingHarness.train(recipe, dir: split, steps: 40) { step in
            if step == 25 { throw TrainingHarness.Killed() }
        })
        let b = try TrainingHarness.train(recipe, dir: split, steps: 40)
        XCTAssertEqual(TrainingHarness.weights(a), TrainingHarness.weights(b), "resumed weights differ from the uninterrupted run")
        XCTAssertEqual(try TrainingHarness.metrics(split).map { $0["step"] as? Int }, [5, 10, 15, 20, 25, 30, 35, 40])
    }

    func testSameSeedSameWeightsDifferentSeedDifferent() throws {
        let r1 = try TrainingHarness.recipe("dcgan-fashion", overrides)
        let r2 = try TrainingHarness.recipe("dcgan-fashion", overrides + ["seed=2"])
        let dirs = (0..<3).map { TrainingHarness.tempDir("dcgan-seed\($0)") }
        defer { for d in dirs { try? FileManager.default.removeItem(atPath: d) } }
        let a = try TrainingHarness.weights(TrainingHarness.train(r1, dir: dirs[0], steps: 6))
        let b = try TrainingHarness.weights(TrainingHarness.train(r1, dir: dirs[1], steps: 6))
        let c = try TrainingHarness.weights(TrainingHarness.train(r2, dir: dirs[2], steps: 6))
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testPresetsBuildThePaperNetworks() throws {
        let rng = RandomGenerator(seed: 0)
        let g28 = DCGANNetworks.generator28(nz: 100, ngf: 64, channels: 1, rng: rng)
        XCTAssertEqual(g28.stateDict().map(\.0), [
            "0.weight", "0.bias", "2.weight", "2.bias", "2.running_mean", "2.running_var", "2.num_batches_tracked",
            "4.weight", "5.weight", "5.bias", "5.running_mean", "5.running_var", "5.num_batches_tracked",
            "7.weight", "7.bias"])
        XCTAssertEqual(try g28(rng.normal([2, 100])).shape, [2, 1, 28, 28])
        let d28 = DCGANNetworks.discriminator28(ndf: 64, channels: 1, batchNorm: true, rng: rng)
        XCTAssertEqual(try d28(rng.normal([2, 1, 28, 28])).shape, [2, 1])
        for size in [32, 64] {
            let g = DCGANNetworks.generatorPyramid(size: size, nz: 100, ngf: 8, channels: 3, rng: rng)
            let d = DCGANNetworks.discriminatorPyramid(size: size, ndf: 8, channels: 3, rng: rng)
            let x = try g(rng.normal([2, 100]))
            XCTAssertEqual(x.shape, [2, 3, size, size])
            XCTAssertEqual(try d(x).shape, [2, 1])
        }
        // DCGAN-64 has the benchmark's parameter count (G 3,576,704; D 2,765,568 at ngf = ndf = 64).
        XCTAssertEqual(DCGANNetworks.generatorPyramid(size: 64, nz: 100, ngf: 64, channels: 3, rng: rng).parameterCount, 3_576_704)
        XCTAssertEqual(DCGANNetworks.discriminatorPyramid(size: 64, ndf: 64, channels: 3, rng: rng).parameterCount, 2_765_568)
    }

    func testPresetMustMatchTheData() throws {
        let recipe = try TrainingHarness.recipe("dcgan-fashion", overrides + ["model.preset=32"])
        let dir = TrainingHarness.tempDir("dcgan-preset")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertThrowsError(try TrainingHarness.train(recipe, dir: dir, steps: 1)) {
            XCTAssertTrue("\($0)".contains("preset 32 needs 32x32 images"), "\($0)")
        }
    }

    func testSamplingUsesBatchStatisticsAndLeavesStateUntouched() throws {
        let recipe = try TrainingHarness.recipe("dcgan-fashion", overrides)
        let dir = TrainingHarness.tempDir("dcgan-sampling")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let variant = try TrainingHarness.train(recipe, dir: dir, steps: 3).variant!
        let before = variant.networks.flatMap { $0.1.stateDict() }.map { $0.1.scalars }
        let z = RandomGenerator(seed: 1).normal([16, 100])
        let a = try variant.generate(GeneratorInput(latents: z))
        let b = try variant.generate(GeneratorInput(latents: z))
        XCTAssertEqual(a.scalars, b.scalars)
        XCTAssertEqual(variant.networks.flatMap { $0.1.stateDict() }.map { $0.1.scalars }, before, "sampling changed weights or buffers")
        // Batch statistics: a sample depends on the rest of its batch.
        let firstHalf = try variant.generate(GeneratorInput(latents: try z.sliced(axis: 0, start: 0, end: 8)))
        XCTAssertNotEqual(Array(a.scalars.prefix(firstHalf.count)), firstHalf.scalars)
    }
}
