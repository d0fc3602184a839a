import XCTest
@testable import GANTensor

final class ElementwiseOpsTests: XCTestCase {
    let rng = RandomGenerator(seed: 1)

    func testArithmeticBroadcastGradients() throws {
        let a = rng.uniform([3, 1, 4], low: -1, high: 1)
        let b = rng.uniform([2, 1], low: 0.5, high: 1.5)
        try assertGradients([a, b]) { x in try x[0] + x[1] }
        try assertGradients([a, b]) { x in try x[0] - x[1] }
        try assertGradients([a, b]) { x in try x[0] * x[1] }
        try assertGradients([a, b]) { x in try x[0] / x[1] }
        // A bias along the last axis and a one-element vector take the row-vector add kernel.
        let bias = rng.uniform([4], low: -1, high: 1), one = rng.uniform([1], low: -1, high: 1)
        try assertGradients([a, bias]) { x in try x[0] + x[1] }
        try assertGradients([a, one]) { x in try x[0] + x[1] }
        try assertGradients([a]) { x in -x[0] * 3 + 2 }
        try assertGradients([b]) { x in 2 / x[0] }
    }

    func testBroadcastValues() throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let b = try Tensor([10, 20, 30], shape: [3])
        XCTAssertEqual(try (a + b).scalars, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual(try (a + Tensor([100], shape: [1])).scalars, [101, 102, 103, 104, 105, 106])
        let c = try Tensor([1, 2], shape: [2, 1])
        XCTAssertEqual(try (a * c).scalars, [1, 2, 3, 8, 10, 12])
    }

    func testShapeMismatchNamesOpAndShapes() {
        let a = Tensor(zeros: [2, 3]), b = Tensor(zeros: [4])
        XCTAssertThrowsError(try a + b) { error in
            XCTAssertEqual("\(error)", "add: incompatible shapes [2, 3] and [4]")
        }
    }

    func testUnaryGradients() throws {
        let x = rng.uniform([2, 5], low: 0.2, high: 2)
        try assertGradients([x]) { $0[0].exp() }
        try assertGradients([x]) { $0[0].log() }
        try assertGradients([x]) { $0[0].sqrt() }
        try assertGradients([x]) { $0[0].pow(3) }
        try assertGradients([x]) { $0[0].pow(1.5) }
        let s = rng.uniform([2, 5], low: -2, high: 2)
        try assertGradients([s]) { $0[0].tanh() }
        try assertGradients([s]) { $0[0].sigmoid() }
        try assertGradients([s]) { $0[0].softplus() }
    }

    func testKinkedUnaryGradientsAwayFromKinks() throws {
        // relu, leaky relu, abs, clamp: inputs kept at least 0.1 from their kinks, beyond eps.
        let x = try Tensor([-1.5, -0.5, -0.2, 0.3, 0.7, 1.9], shape: [6])
        try assertGradients([x]) { $0[0].relu() }
        try assertGradients([x]) { $0[0].leakyRelu(0.2) }
        try assertGradients([x]) { $0[0].abs() }
        try assertGradients([x]) { $0[0].clamp(min: -1, max: 1) }
        // Double backward through the fused (leaky) relu backward: products of x and w stay at
        // least 0.1 from the kink.
        let w = try Tensor([0.5, 1.5, 0.8, -1.2, 0.9, -0.6], shape: [6])
        try assertSecondOrderGradients([x, w], firstOrderWrt: [0, 1]) { v in try (v[0] * v[1]).leakyRelu(0.2) * v[1] }
        try assertSecondOrderGradients([x, w], firstOrderWrt: [0, 1]) { v in try ((v[0] * v[1]).relu() * v[0]).tanh() }
    }

    func testReluBackwardMasksByInputSign() throws {
        let x = try Tensor([-2, -0.5, 0, 0.5, 2], shape: [5]).requiringGrad()
        let seed = try Tensor([1, 2, 3, 4, 5], shape: [5])
        let leaky = try gradients(of: x.leakyRelu(0.25), wrt: [x], seed: seed)[0].scalars
        XCTAssertEqual(leaky, [0.25, 0.5, 0.75, 4, 5])
        XCTAssertEqual(try gradients(of: x.relu(), wrt: [x], seed: seed)[0].scalars, [0, 0, 0, 4, 5])
    }

    func testUnaryValues() throws {
        let x = try Tensor([-2, 0, 3], shape: [3])
        XCTAssertEqual(x.relu().scalars, [0, 0, 3])
        XCTAssertEqual(x.leakyRelu(0.2).scalars, [-0.4, 0, 3])
        XCTAssertEqual(x.softplus().scalars[1], Float(log(2.0)), accuracy: 1e-6)
        // softplus must not overflow for large inputs.
        XCTAssertEqual(try Tensor([100], shape: [1]).softplus().item, 100, accuracy: 1e-4)
    }

    func testSecondOrderOfSmoothOps() throws {
        let x = rng.uniform([4], low: 0.3, high: 1.5)
        let w = rng.uniform([4], low: -1, high: 1)
        try assertSecondOrderGradients([x, w], firstOrderWrt: [0]) { v in try (v[0] * v[1]).tanh() }
        try assertSecondOrderGradients([x, w], firstOrderWrt: [0]) { v in try (v[0].log() * v[1]).sigmoid() }
        try assertSecondOrderGradients([x, w], firstOrderWrt: [0, 1]) { v in try (v[0] / (v[1] * v[1] + 1)).exp() }
        try assertSecondOrderGradients([x], firstOrderWrt: [0]) { v in v[0].sqrt().softplus() }
    }
}
