import XCTest
@testable import GANTensor

final class WeightReparametrizationTests: XCTestCase {
    let rng = RandomGenerator(seed: 31)
    typealias Reference = NormalizationReference

    // MARK: Weight norm

    func testWeightNormStateDictAndInitialOutput() throws {
        let linear = Linear(4, 3, rng: rng)
        let x = rng.uniform([2, 4], low: -1, high: 1)
        let before = try linear(x).scalars
        let wn = try WeightNorm(linear)
        XCTAssertEqual(wn.stateDict().map(\.0), ["bias", "weight_g", "weight_v"])
        XCTAssertEqual(wn.stateDict().map(\.1.shape), [[3], [3, 1], [3, 4]])
        XCTAssertEqual(wn.parameters.count, 3)
        assertScalarsClose(try wn(x), before, accuracy: 1e-6)
        XCTAssertEqual(try WeightNorm(Linear(4, 3, rng: rng), dim: nil).magnitude.shape, [])
        XCTAssertThrowsError(try WeightNorm(linear, dim: 2))
    }

    func testWeightNormOutputIsLinearWithNormalisedRows() throws {
        let linear = Linear(3, 2, rng: rng)
        let wn = try WeightNorm(linear)
        try wn.direction.assign(Tensor.given([3, 0, 4, 1, 2, 2], [2, 3]))  // row norms 5 and 3
        try wn.magnitude.assign(Tensor.given([2, -6], [2, 1]))
        let x = Tensor.given([1, 1, 1, 0.5, -1, 2], [2, 3])
        // Effective weight rows: 2/5 * (3, 0, 4) and -6/3 * (1, 2, 2).
        let w: [[Float]] = [[1.2, 0, 1.6], [-2, -4, -4]]
        let b = linear.bias!.scalars
        var expected: [Float] = []
        for n in 0..<2 {
            for o in 0..<2 { expected.append((0..<3).reduce(b[o]) { $0 + w[o][$1] * x.data[n * 3 + $1] }) }
        }
        assertScalarsClose(try wn(x), expected, accuracy: 1e-5)
    }

    func testWeightNormGradients() throws {
        let wn = try WeightNorm(Linear(3, 2, rng: rng))
        let x = rng.uniform([2, 3], low: -1, high: 1)
        try assertGradients([x, wn.magnitude, wn.direction, wn.wrapped.bias!]) { try wn($0[0]) }
        try assertSecondOrderGradients([x, wn.magnitude, wn.direction], firstOrderWrt: [0]) { try wn($0[0]).tanh() }
    }

    // MARK: Spectral norm

    func testSpectralNormStateDictNamesAndShapes() throws {
        let sn = try SpectralNorm(Linear(4, 3, rng: rng), rng: rng)
        XCTAssertEqual(sn.stateDict().map(\.0), ["bias", "weight_orig", "weight_u", "weight_v"])
        XCTAssertEqual(sn.stateDict().map(\.1.shape), [[3], [3, 4], [3], [4]])
        XCTAssertEqual(sn.parameters.count, 2, "u and v are buffers")
        XCTAssertEqual(Double(sn.u.scalars.reduce(0) { $0 + $1 * $1 }), 1, accuracy: 1e-6)
        let transposed = try SpectralNorm(Linear(4, 3, rng: rng), rng: rng, dim: 1)
        XCTAssertEqual(transposed.stateDict().map(\.1.shape), [[3], [3, 4], [4], [3]])
    }

    func testSpectralNormOneTrainingStepMatchesPyTorch() throws {
        let linear = Linear(4, 3, rng: rng)
        try linear.weight.assign(Tensor.given(Reference.snWeight, [3, 4]))
        try linear.bias!.assign(Tensor.given([0.1, -0.2, 0.3], [3]))
        let sn = try SpectralNorm(linear, rng: rng)
        try sn.u.assign(Tensor.given(Reference.snU0, [3]))
        try sn.v.assign(Tensor.given(Reference.snV0, [4]))
        let x = Tensor.given(Reference.snX, [2, 4])
        assertScalarsClose(try sn(x), Reference.snY)
        assertScalarsClose(sn.u, Reference.snU1)
        assertScalarsClose(sn.v, Reference.snV1)
        sn.eval()
        XCTAssertFalse(linear.isTraining, "the mode reaches the wrapped layer")
        assertScalarsClose(try sn(x), Reference.snY)
        assertScalarsClose(sn.u, Reference.snU1, accuracy: 0)
    }

    func testPowerIterationConvergesToTopSingularValue() throws {
        for dim in [0, 1] {
            let linear = Linear(7, 5, rng: rng)
            try linear.weight.assign(Tensor.given(Reference.snBigWeight, [5, 7]))
            let sn = try SpectralNorm(linear, rng: rng, dim: dim)
            for _ in 0..<100 { _ = try sn(Tensor(zeros: [1, 7])) }
            // numpy-free check: the SVD value comes from the fixture (torch.linalg.svdvals in float64).
            XCTAssertEqual(sn.sigma, Reference.snBigSigma[0], accuracy: 1e-4)
            // The normalised weight then has spectral norm 1: ||W u_1|| for its top right vector.
            let w = try sn.currentWeight()
            XCTAssertEqual(topSingularValue(w.scalars.map(Double.init), rows: 5, columns: 7), 1, accuracy: 1e-4)
        }
    }

    func testSpectralNormGradientsInEvalMode() throws {
        let sn = try SpectralNorm(Linear(3, 2, rng: rng), rng: rng)
        for _ in 0..<3 { _ = try sn(Tensor(zeros: [1, 3])) }
        sn.eval()
        let x = rng.uniform([2, 3], low: -1, high: 1)
        try assertGradients([x, sn.weightOrig, sn.wrapped.bias!]) { try sn($0[0]) }
        try assertSecondOrderGradients([x, sn.weightOrig], firstOrderWrt: [0]) { try sn($0[0]).tanh() }
    }

    /// Largest singular value by power iteration on W^T W in Double, independent of the module.
    private func topSingularValue(_ w: [Double], rows: Int, columns: Int) -> Double {
        var x = [Double](repeating: 1, count: columns)
        var value = 0.0
        for _ in 0..<500 {
            let wx = (0..<rows).map { r in (0..<columns).reduce(0.0) { $0 + w[r * columns + $1] * x[$1] } }
            let next = (0..<columns).map { c in (0..<rows).reduce(0.0) { $0 + w[$1 * columns + c] * wx[$1] } }
            let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
            value = norm.squareRoot()  // ||W^T W x|| -> sigma^2 for unit x
            x = next.map { $0 / norm }
        }
        return value
    }
}
