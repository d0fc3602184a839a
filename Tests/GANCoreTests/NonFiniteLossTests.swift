import Foundation
import XCTest
@testable import GANCore
import GANData
import GANTensor

/// A variant whose loss turns NaN at step 7: the run must stop there, name the step and the loss,
/// and keep the last good checkpoint (step 5) without writing a bad one.
final class ExplodingVariant: GANVariant {
    static let name = "exploding"
    static let summary = "test variant"
    static let paper = "none"
    static let schema = RecipeSchema(model: [])
    let G: Linear
    let opt: SGD
    let latentDimension: Int? = 2

    init(context: VariantContext) throws {
        G = Linear(2, 2, rng: context.initRNG)
        opt = try SGD(params: G.namedParameters(), lr: 0.01)
    }

    var networks: [(String, Module)] { [("G", G)] }
    var optimizers: [(String, any Optimizer)] { [("G", opt)] }

    func trainStep(_ data: BatchSource, step: Int) throws -> [String: Float] {
        let x = try data.next().samples()
        let loss = try G(x).pow(2).mean(axes: nil)
        try opt.minimize(loss)
        return ["loss": step >= 7 ? .nan : loss.item]
    }

    func generate(_ input: GeneratorInput) throws -> Tensor { try inEvaluationMode { try G(input.latents!) } }
}

final class NonFiniteLossTests: XCTestCase {
    func testNaNStopsTheRunAndKeepsTheLastGoodCheckpoint() throws {
        let loader = RecipeLoader(searchPaths: [], variantNames: ["exploding"]) { $0 == "exploding" ? ExplodingVariant.schema : nil }
        let recipe = try loader.parse("""
            variant: exploding
            data: {dataset: mixture, mixture: ring8, limit: 200}
            train: {steps: 20, batch_size: 10, checkpoint_every: 5, log_every: 1, sample_every: 100, sample_count: 8}
            """, file: "exploding.yaml", name: "exploding")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nan-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let trainer = Trainer(recipe: recipe, variantType: ExplodingVariant.self, runDirectory: dir)
        trainer.progressSink = { _ in }
        XCTAssertThrowsError(try trainer.train()) { error in
            guard case let .nonFinite(step, name, _, last)? = error as? TrainingError else { return XCTFail("\(error)") }
            XCTAssertEqual(step, 7)
            XCTAssertEqual(name, "loss")
            XCTAssertTrue(last?.hasSuffix("step-000000005") ?? false, "\(String(describing: last))")
            XCTAssertTrue("\(error)".contains("step 7: loss loss is nan"), "\(error)")
        }
        let kept = try FileManager.default.contentsOfDirectory(atPath: dir + "/checkpoints").sorted()
        XCTAssertEqual(kept, ["step-000000005"])
    }
}
