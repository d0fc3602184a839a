import Foundation
import XCTest
@testable import GANTensor

final class LossTests: XCTestCase {
    let rng = RandomGenerator(seed: 11)

    /// log(1 + e^-|x|) + max(x, 0) - x t in Double, the closed form the loss must match.
    func bceReference(_ x: [Float], _ t: [Float]) -> Double {
        zip(x, t).map { x, t in
            let (x, t) = (Double(x), Double(t))
            return max(x, 0) - x * t + log1p(exp(-abs(x)))
        }.reduce(0, +) / Double(x.count)
    }

    func testBCEWithLogitsValues() throws {
        let x: [Float] = [-2, 0, 3, 0.5]
        let logits = try Tensor(x, shape: [2, 2])
        XCTAssertEqual(Double(try Loss.bceWithLogits(logits, target: 1).item), bceReference(x, [1, 1, 1, 1]), accuracy: 1e-6)
        XCTAssertEqual(Double(try Loss.bceWithLogits(logits, target: 0).item), bceReference(x, [0, 0, 0, 0]), accuracy: 1e-6)
        let t: [Float] = [0, 1, 0.5, 0.25]
        XCTAssertEqual(Double(try Loss.bceWithLogits(logits, targets: Tensor(t, shape: [2, 2])).item), bceReference(x, t), accuracy: 1e-6)
        // At x = 0 the loss is log 2 whatever the target.
        XCTAssertEqual(try Loss.bceWithLogits(Tensor(zeros: [3]), target: 0.3).item, Float(log(2.0)), accuracy: 1e-6)
    }

    func testBCEWithLogitsIsStableAtExtremeLogits() throws {
        let logits = try Tensor([100, -100, 100, -100], shape: [4])
        let targets = try Tensor([0, 1, 1, 0], shape: [4])
        logits.requiringGrad()
        let loss = try Loss.bceWithLogits(logits, targets: targets)
        // Two confidently wrong (loss 100 each) and two confidently right (loss ~e^-100).
        XCTAssertEqual(loss.item, 50, accuracy: 1e-4)
        try loss.backward()
        let g = try XCTUnwrap(logits.grad).scalars
        XCTAssertTrue(g.allSatisfy(\.isFinite))
        XCTAssertEqualElements(g, [0.25, -0.25, 0, 0], accuracy: 1e-7)
    }

    func testBCEWithLogitsGradients() throws {
        let x = rng.uniform([2, 3], low: -3, high: 3)
        let t = rng.uniform([2, 3])
        try assertGradients([x, t]) { v in try Loss.bceWithLogits(v[0], targets: v[1]) }
        try assertGradients([x]) { v in try Loss.bceWithLogits(v[0], target: 1) }
        // Second order: the gradient (sigmoid(x) - t) / N is itself differentiable.
        try assertSecondOrderGradients([x, t], firstOrderWrt: [0]) { v in try Loss.bceWithLogits(v[0], targets: v[1]) }
        try assertSecondOrderGradients([x, t], firstOrderWrt: [0, 1]) { v in try Loss.bceWithLogits(v[0] * v[1], target: 0) }
    }

    func testBCEWithLogitsRejectsShapeMismatch() {
        XCTAssertThrowsError(try Loss.bceWithLogits(Tensor(zeros: [4, 1]), targets: Tensor(zeros: [4]))) {
            XCTAssertEqual("\($0)", "Loss.bceWithLogits: incompatible shapes [4, 1] and [4]")
        }
    }

    func testCrossEntropyValues() throws {
        let logits = try Tensor([1, 2, 3, 1000, 0, -1000], shape: [2, 3])
        let loss = try Loss.crossEntropy(logits: logits, labels: [2, 0])
        let row0 = log(exp(1.0) + exp(2.0) + exp(3.0)) - 3
        // The second row is certain and right: loss 0, where a naive exp(1000) would overflow.
        XCTAssertEqual(Double(loss.item), (row0 + 0) / 2, accuracy: 1e-6)
        let wrong = try Loss.crossEntropy(logits: logits, labels: [2, 1])
        XCTAssertEqual(Double(wrong.item), (row0 + 1000) / 2, accuracy: 1e-3)
    }

    func testCrossEntropyGradients() throws {
        let logits = rng.uniform([3, 4], low: -2, high: 2)
        try assertGradients([logits]) { v in try Loss.crossEntropy(logits: v[0], labels: [0, 3, 1]) }
        try assertSecondOrderGradients([logits], firstOrderWrt: [0]) { v in try Loss.crossEntropy(logits: v[0], labels: [2, 2, 0]) }
        // Extreme logits still give the finite gradient softmax - onehot.
        let big = try Tensor([500, -500, 0, 100], shape: [2, 2]).requiringGrad()
        try Loss.crossEntropy(logits: big, labels: [1, 0]).backward()
        XCTAssertEqualElements(try XCTUnwrap(big.grad).scalars, [0.5, -0.5, -0.5, 0.5], accuracy: 1e-6)
    }

    func testCrossEntropyNamesBadLabels() {
        let logits = Tensor(zeros: [2, 3])
        XCTAssertThrowsError(try Loss.crossEntropy(logits: logits, labels: [0, 3])) {
            XCTAssertEqual("\($0)", "Loss.crossEntropy: label 3 at index 1 is outside 0..<3")
        }
        XCTAssertThrowsError(try Loss.crossEntropy(logits: logits, labels: [-1, 0])) {
            XCTAssertTrue("\($0)".contains("label -1 at index 0"))
        }
        XCTAssertThrowsError(try Loss.crossEntropy(logits: logits, labels: [0])) {
            XCTAssertTrue("\($0)".contains("1 labels for logits [2, 3]"))
        }
        XCTAssertThrowsError(try Loss.crossEntropy(logits: Tensor(zeros: [6]), labels: [0]))
    }

    func testGANLossValues() throws {
        let real = try Tensor([2, 0.5, -1], shape: [3])
        let fake = try Tensor([-2, 0.5], shape: [2])
        // relu(1 - real) = [0, 0.5, 2], relu(1 + fake) = [0, 1.5].
        XCTAssertEqual(try Loss.hingeD(real: real, fake: fake).item, 2.5 / 3 + 1.5 / 2, accuracy: 1e-6)
        XCTAssertEqual(try Loss.hingeG(fake: fake).item, 0.75, accuracy: 1e-6)
        XCTAssertEqual(try Loss.wassersteinD(real: real, fake: fake).item, -0.75 - 0.5, accuracy: 1e-6)
        XCTAssertEqual(try Loss.wassersteinG(fake: fake).item, 0.75, accuracy: 1e-6)
        // 0.5 mean((real - 1)^2) + 0.5 mean(fake^2) = 0.5 (1 + 0.25 + 4) / 3 + 0.5 (4 + 0.25) / 2.
        XCTAssertEqual(try Loss.leastSquaresD(real: real, fake: fake).item, 0.5 * 5.25 / 3 + 0.5 * 4.25 / 2, accuracy: 1e-6)
        // 0.5 mean((fake - 1)^2) = 0.5 (9 + 0.25) / 2.
        XCTAssertEqual(try Loss.leastSquaresG(fake: fake).item, 0.5 * 9.25 / 2, accuracy: 1e-6)
    }

    func testRegressionLossValuesAndShapes() throws {
        let a = try Tensor([1, 2, 3, 4], shape: [2, 2]), b = try Tensor([0, 2, 5, 3], shape: [2, 2])
        XCTAssertEqual(try Loss.l1(a, b).item, 1, accuracy: 1e-6)
        XCTAssertEqual(try Loss.mse(a, b).item, 1.5, accuracy: 1e-6)
        XCTAssertThrowsError(try Loss.mse(a, Tensor(zeros: [4]))) {
            XCTAssertEqual("\($0)", "Loss.mse: incompatible shapes [2, 2] and [4]")
        }
        XCTAssertThrowsError(try Loss.l1(a, Tensor(zeros: [2, 1])))
    }

    func testGANLossGradients() throws {
        // Values kept 0.1 or more from the hinge kinks at real = 1 and fake = -1.
        let real = try Tensor([1.5, 0.4, -0.3, 0.8], shape: [4])
        let fake = try Tensor([-1.6, -0.2, 0.7], shape: [3])
        try assertGradients([real, fake]) { v in try Loss.hingeD(real: v[0], fake: v[1]) }
        try assertGradients([fake]) { v in try Loss.hingeG(fake: v[0]) }
        try assertGradients([real, fake]) { v in try Loss.wassersteinD(real: v[0], fake: v[1]) }
        try assertGradients([real, fake]) { v in try Loss.leastSquaresD(real: v[0], fake: v[1]) }
        try assertGradients([fake]) { v in try Loss.leastSquaresG(fake: v[0]) }
        let target = rng.uniform([4])
        try assertGradients([real, target]) { v in try Loss.mse(v[0], v[1]) }
        try assertGradients([real]) { v in try Loss.l1(v[0], target) }
    }

    func testHingeSecondOrder() throws {
        // The critic output is real * w: the gradient with respect to the input depends on w,
        // so the double backward through the relu masks is exercised.
        let x = try Tensor([0.6, -0.5, 1.4], shape: [3]), w = try Tensor([0.9, 1.2, 0.3], shape: [3])
        try assertSecondOrderGradients([x, w], firstOrderWrt: [0]) { v in
            try Loss.hingeD(real: v[0] * v[1], fake: -(v[0] * v[1]) + 0.3)
        }
        try assertSecondOrderGradients([x, w], firstOrderWrt: [0]) { v in
            try Loss.leastSquaresD(real: v[0] * v[1], fake: v[0] * v[0])
        }
    }
}
