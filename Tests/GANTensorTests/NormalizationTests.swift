import XCTest
@testable import GANTensor

final class NormalizationTests: XCTestCase {
    let rng = RandomGenerator(seed: 21)
    typealias Reference = NormalizationReference

    // MARK: Batch norm

    func testBatchNormTinyBatchByHand() throws {
        // Channel 0: 1, 2, 3, 4 (mean 2.5, biased var 1.25); channel 1: 2, 2, 2, 6 (mean 3, var 3).
        let bn = BatchNorm(2)
        let y = try bn(Tensor.given([1, 2, 2, 2, 3, 2, 4, 6], [4, 2]))
        let s0 = 1 / Float(1.25 + 1e-5).squareRoot(), s1 = 1 / Float(3 + 1e-5).squareRoot()
        assertScalarsClose(y, [-1.5 * s0, -s1, -0.5 * s0, -s1, 0.5 * s0, -s1, 1.5 * s0, 3 * s1], accuracy: 1e-6)
    }

    func testRunningStatisticsUseUnbiasedVarianceAndEvalUsesThem() throws {
        let bn = BatchNorm(2)
        _ = try bn(Tensor.given([1, 2, 2, 2, 3, 2, 4, 6], [4, 2]))
        // Step 1: means (2.5, 3), unbiased variances (5/3, 4); momentum 0.1 from (0, 1).
        assertScalarsClose(bn.runningMean!, [0.25, 0.3], accuracy: 1e-6)
        assertScalarsClose(bn.runningVar!, [0.9 + 1.0 / 6, 1.3], accuracy: 1e-6)
        _ = try bn(Tensor.given([0, 1, 0, 1, 2, 1, 2, 1], [4, 2]))
        // Step 2: means (1, 1), unbiased variances (4/3, 0).
        assertScalarsClose(bn.runningMean!, [0.325, 0.37], accuracy: 1e-6)
        assertScalarsClose(bn.runningVar!, [0.9 * (0.9 + 1.0 / 6) + 0.4 / 3, 1.17], accuracy: 1e-6)
        XCTAssertEqual(bn.numBatchesTracked!.shape, [])
        XCTAssertEqual(bn.numBatchesTracked!.item, 2)

        try bn.weight!.assign(Tensor.given([2, -1], [2]))
        try bn.bias!.assign(Tensor.given([0.5, 0], [2]))
        bn.eval()
        let y = try bn(Tensor.given([1, 1], [1, 2]))
        let rv0 = 0.9 * (0.9 + 1.0 / 6) + 0.4 / 3
        assertScalarsClose(y, [Float(2 * 0.675 / (rv0 + 1e-5).squareRoot() + 0.5), Float(-0.63 / (1.17 + 1e-5).squareRoot())],
                           accuracy: 1e-6)
        XCTAssertEqual(bn.numBatchesTracked!.item, 2, "evaluation does not count batches")
    }

    func testMomentumNilIsCumulativeAverage() throws {
        let bn = BatchNorm(1, momentum: nil)
        _ = try bn(Tensor.given([1, 3], [2, 1]))
        _ = try bn(Tensor.given([5, 9], [2, 1]))
        assertScalarsClose(bn.runningMean!, [(2 + 7) / 2], accuracy: 1e-6)
        assertScalarsClose(bn.runningVar!, [(2 + 8) / 2], accuracy: 1e-6)
    }

    func testBatchNorm2dMatchesPyTorchIncludingGradientPenalty() throws {
        let bn = BatchNorm2d(3)
        try bn.weight!.assign(Tensor.given([1.5, -0.5, 2], [3]))
        try bn.bias!.assign(Tensor.given([0.1, 0.2, -0.3], [3]))
        let x1 = Tensor.given(Reference.bnX1, [4, 3, 2, 2]).requiringGrad()
        let r = Tensor.given(Reference.bnR, [4, 3, 2, 2])
        let y1 = try bn(x1)
        assertScalarsClose(y1, Reference.bnY1)
        // The WGAN-GP pattern: penalise the input gradient, then differentiate that.
        let gx = try gradients(of: (y1 * r).sum(axes: nil), wrt: [x1], createGraph: true)[0]
        assertScalarsClose(gx, Reference.bnGradX, accuracy: 1e-5)
        let penalty = try (gx * gx).sum(axes: nil)
        let second = try gradients(of: penalty, wrt: [x1, bn.weight!, bn.bias!])
        assertScalarsClose(second[0], Reference.bnPenaltyGradX, accuracy: 1e-4)
        assertScalarsClose(second[1], Reference.bnPenaltyGradW, accuracy: 1e-4)
        assertScalarsClose(second[2], [0, 0, 0])

        let x2 = Tensor.given(Reference.bnX2, [4, 3, 2, 2])
        _ = try bn(x2)
        assertScalarsClose(bn.runningMean!, Reference.bnRunningMean)
        assertScalarsClose(bn.runningVar!, Reference.bnRunningVar)
        bn.eval()
        assertScalarsClose(try bn(x2), Reference.bnEvalY2)
    }

    func testBatchNormGradients() throws {
        let bn = BatchNorm(3)
        try bn.weight!.assign(rng.uniform([3], low: 0.5, high: 2))
        try bn.bias!.assign(rng.uniform([3], low: -1, high: 1))
        let x4 = rng.uniform([3, 3, 2, 2], low: -2, high: 2)
        try assertGradients([x4, bn.weight!, bn.bias!]) { try bn($0[0]) }
        let x2 = rng.uniform([4, 3], low: -2, high: 2)
        try assertGradients([x2, bn.weight!, bn.bias!]) { try bn($0[0]) }
        let plain = BatchNorm(3, affine: false)
        try assertGradients([x4]) { try plain($0[0]) }
        bn.eval()
        try assertGradients([x4, bn.weight!, bn.bias!]) { try bn($0[0]) }
    }

    /// [N, C] inputs take a row-major kernel path; [1, C, N] holds the same per-channel values in
    /// the general layout and must give bit-identical outputs and gradients.
    func testFullyConnectedBatchNormPathMatchesGeneralLayout() throws {
        let x = rng.uniform([6, 5], low: -2, high: 2), w = rng.uniform([5], low: 0.5, high: 2)
        let b = rng.uniform([5], low: -1, high: 1), g = rng.uniform([6, 5], low: -1, high: 1)
        func run(_ input: Tensor, _ seed: Tensor) throws -> [[UInt32]] {
            let (xs, ws, bs) = (input.detached().requiringGrad(), w.detached().requiringGrad(), b.detached().requiringGrad())
            let y = try xs.batchNormTrain(weight: ws, bias: bs).output
            let grads = try gradients(of: y, wrt: [xs, ws, bs], seed: seed)
            return [y.scalars, grads[0].scalars, grads[1].scalars, grads[2].scalars].map { $0.map(\.bitPattern) }
        }
        func general(_ t: Tensor) throws -> Tensor { try t.permuted([1, 0]).reshaped([1, 5, 6]) }
        let rows = try run(x, g), channels = try run(try general(x), try general(g))
        XCTAssertEqual(try general(Tensor(rows[0].map(Float.init(bitPattern:)), shape: [6, 5])).scalars.map(\.bitPattern), channels[0])
        XCTAssertEqual(try general(Tensor(rows[1].map(Float.init(bitPattern:)), shape: [6, 5])).scalars.map(\.bitPattern), channels[1])
        XCTAssertEqual(rows[2], channels[2])
        XCTAssertEqual(rows[3], channels[3])
    }

    func testBatchNormSecondOrderGradients() throws {
        let bn = BatchNorm(2)
        try bn.weight!.assign(Tensor.given([1.3, -0.7], [2]))
        try bn.bias!.assign(Tensor.given([0.2, -0.1], [2]))
        let x = rng.uniform([3, 2, 2, 2], low: -2, high: 2)
        try assertSecondOrderGradients([x, bn.weight!, bn.bias!], firstOrderWrt: [0, 1, 2]) { try bn($0[0]) }
        // A loss whose output gradient depends on x too (exercises the backward's adjoint in g).
        try assertSecondOrderGradients([x, bn.weight!, bn.bias!], firstOrderWrt: [0, 1, 2]) { try bn($0[0]).tanh() }
        let plain = BatchNorm(2, affine: false)
        try assertSecondOrderGradients([x], firstOrderWrt: [0]) { try plain($0[0]).tanh() }
        let x2 = rng.uniform([5, 2], low: -2, high: 2)
        try assertSecondOrderGradients([x2, bn.weight!], firstOrderWrt: [1]) { try bn($0[0]).tanh() }
    }

    func testThirdOrderThroughBatchNormBackward() throws {
        // The double-backward is itself written in differentiable ops: check one order more.
        let x = rng.uniform([3, 2, 2], low: -2, high: 2)
        let w = Tensor.given([1.2, 0.8], [2])
        let v = rng.uniform([3, 2, 2], low: -1, high: 1)
        try assertSecondOrderGradients([x, w], firstOrderWrt: [0]) { t in
            try withGradMode(true) {
                let y = try t[0].batchNormTrain(weight: t[1]).output
                let g = try gradients(of: (y * v).sum(axes: nil), wrt: [t[0]], createGraph: true)[0]
                return try g * g
            }
        }
    }

    func testBatchNormWithoutRunningStatsAlwaysUsesBatchStatistics() throws {
        let bn = BatchNorm(2, trackRunningStats: false)
        XCTAssertEqual(bn.stateDict().map(\.0), ["weight", "bias"])
        let x = rng.uniform([4, 2, 3], low: -1, high: 1)
        let training = try bn(x).scalars
        bn.eval()
        XCTAssertEqual(try bn(x).scalars, training)
    }

    func testBatchNormErrorsAndStateDict() throws {
        let bn = BatchNorm(3)
        XCTAssertEqual(bn.stateDict().map(\.0), ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
        XCTAssertEqual(bn.stateDict().map(\.1.shape), [[3], [3], [3], [3], []])
        XCTAssertEqual(BatchNorm(3, affine: false).stateDict().map(\.0), ["running_mean", "running_var", "num_batches_tracked"])
        XCTAssertThrowsError(try bn(Tensor(zeros: [2, 4]))) { XCTAssertTrue("\($0)".contains("BatchNorm(3)")) }
        XCTAssertThrowsError(try bn(Tensor(zeros: [1, 3]))) { XCTAssertTrue("\($0)".contains("more than 1 value")) }
        bn.eval()
        XCTAssertEqual(try bn(Tensor(zeros: [1, 3])).shape, [1, 3])
        XCTAssertThrowsError(try Tensor(zeros: [2, 3]).batchNormTrain(weight: Tensor(zeros: [2])))
    }

    // MARK: Instance and layer norm

    func testInstanceNormMatchesPyTorch() throws {
        let norm = InstanceNorm2d(3, affine: true)
        try norm.weight!.assign(Tensor.given([0.5, 1, -2], [3]))
        try norm.bias!.assign(Tensor.given([0, 0.3, 1], [3]))
        assertScalarsClose(try norm(Tensor.given(Reference.inX, [2, 3, 3, 3])), Reference.inY)
        XCTAssertEqual(norm.stateDict().map(\.0), ["weight", "bias"])
        XCTAssertTrue(InstanceNorm2d(3).stateDict().isEmpty)
        XCTAssertThrowsError(try norm(Tensor(zeros: [2, 3, 1, 1])))
        XCTAssertThrowsError(try norm(Tensor(zeros: [2, 3, 4])))
    }

    func testInstanceNormGradients() throws {
        let norm = InstanceNorm2d(2, affine: true)
        try norm.weight!.assign(Tensor.given([1.5, -0.5], [2]))
        let x = rng.uniform([2, 2, 2, 3], low: -2, high: 2)
        try assertGradients([x, norm.weight!, norm.bias!]) { try norm($0[0]) }
        try assertSecondOrderGradients([x, norm.weight!], firstOrderWrt: [0, 1]) { try norm($0[0]) }
    }

    func testLayerNormMatchesPyTorch() throws {
        let norm = LayerNorm([3, 2, 2])
        XCTAssertEqual(norm.stateDict().map(\.0), ["weight", "bias"])
        XCTAssertEqual(norm.weight!.shape, [3, 2, 2])
        try norm.weight!.assign(Tensor.given(Reference.lnWeight, [3, 2, 2]))
        try norm.bias!.assign(Tensor.given(Reference.lnBias, [3, 2, 2]))
        assertScalarsClose(try norm(Tensor.given(Reference.lnX, [2, 3, 2, 2])), Reference.lnY)
        XCTAssertThrowsError(try norm(Tensor(zeros: [2, 2, 2, 3]))) { XCTAssertTrue("\($0)".contains("LayerNorm")) }
        XCTAssertTrue(LayerNorm([4], elementwiseAffine: false).stateDict().isEmpty)
    }

    func testLayerNormGradients() throws {
        let norm = LayerNorm([2, 3])
        try norm.weight!.assign(rng.uniform([2, 3], low: 0.5, high: 1.5))
        let x = rng.uniform([2, 2, 3], low: -2, high: 2)
        try assertGradients([x, norm.weight!, norm.bias!]) { try norm($0[0]) }
        try assertSecondOrderGradients([x, norm.weight!, norm.bias!], firstOrderWrt: [0, 1]) { try norm($0[0]) }
    }

    // MARK: Conditional batch norm

    func testConditionalBatchNormSelectsPerClassGainAndBias() throws {
        let cbn = ConditionalBatchNorm2d(2, classes: 2)
        XCTAssertEqual(cbn.stateDict().map(\.0), ["bn.running_mean", "bn.running_var", "bn.num_batches_tracked", "embed.weight"])
        XCTAssertEqual(cbn.embed.weight.scalars, [1, 1, 0, 0, 1, 1, 0, 0])
        let x = rng.uniform([4, 2, 2, 2], low: -2, high: 2)
        let labels = [0, 1, 1, 0]
        let plain = try BatchNorm(2, affine: false)(x).scalars
        XCTAssertEqual(try cbn(x, labels: labels).scalars, plain, "initial gains 1, biases 0")

        // Class 0: gamma (1, 1), beta (0, 0); class 1: gamma (2, 3), beta (1, -1).
        try cbn.embed.weight.assign(Tensor.given([1, 1, 0, 0, 2, 3, 1, -1], [2, 4]))
        let y = try cbn(x, labels: labels).scalars
        for n in 0..<4 {
            for c in 0..<2 {
                let (gain, shift): (Float, Float) = labels[n] == 0 ? (1, 0) : (c == 0 ? (2, 1) : (3, -1))
                for k in 0..<4 {
                    let i = (n * 2 + c) * 4 + k
                    XCTAssertEqual(y[i], plain[i] * gain + shift, accuracy: 1e-5)
                }
            }
        }
        XCTAssertThrowsError(try cbn(x, labels: [0, 1, 2, 0])) { XCTAssertTrue("\($0)".contains("label 2")) }
        XCTAssertThrowsError(try cbn(x, labels: [0, -1, 1, 0]))
        XCTAssertThrowsError(try cbn(x, labels: [0, 1]))
    }

    func testConditionalBatchNormGradients() throws {
        let cbn = ConditionalBatchNorm2d(2, classes: 3)
        try cbn.embed.weight.assign(rng.uniform([3, 4], low: -1, high: 2))
        let x = rng.uniform([3, 2, 2, 2], low: -2, high: 2)
        let labels = [2, 0, 2]
        try assertGradients([x, cbn.embed.weight]) { try cbn($0[0], labels: labels) }
        try assertSecondOrderGradients([x, cbn.embed.weight], firstOrderWrt: [0]) { try cbn($0[0], labels: labels) }
    }
}
