import XCTest
@testable import GANTensor

final class AttentionTests: XCTestCase {
    let rng = RandomGenerator(seed: 41)
    typealias Reference = NormalizationReference

    func testGammaZeroIsIdentityAndGammaReceivesGradient() throws {
        let attention = try SelfAttention(16, rng: rng)
        XCTAssertEqual(attention.gamma.scalars, [0])
        let x = rng.uniform([2, 16, 3, 3], low: -1, high: 1)
        XCTAssertEqual(try attention(x).scalars, x.scalars)
        let grads = try gradients(of: (try attention(x) * x).sum(axes: nil), wrt: [attention.gamma])
        XCTAssertGreaterThan(abs(grads[0].item), 1e-3)
        try assertGradients([attention.gamma]) { _ in try attention(x) }
    }

    func testMatchesThePaperEquations() throws {
        let attention = try SelfAttention(8, rng: rng)
        XCTAssertEqual(attention.reduced, 1)
        let values: [(Module, [Float], [Float])] = [
            (attention.f, Reference.attWf, Reference.attBf), (attention.g, Reference.attWg, Reference.attBg),
            (attention.h, Reference.attWh, Reference.attBh), (attention.v, Reference.attWv, Reference.attBv),
        ]
        for (conv, w, b) in values {
            let conv = try XCTUnwrap(conv as? PointwiseConv)
            try conv.weight.assign(Tensor.given(w, conv.weight.shape))
            try conv.bias!.assign(Tensor.given(b, conv.bias!.shape))
        }
        try attention.gamma.assign(Tensor.given([0.7], [1]))
        assertScalarsClose(try attention(Tensor.given(Reference.attX, [2, 8, 2, 3])), Reference.attY)
    }

    func testGradientsAndSecondOrder() throws {
        let attention = try SelfAttention(8, rng: rng)
        try attention.gamma.assign(Tensor.given([0.8], [1]))
        let x = rng.uniform([1, 8, 2, 2], low: -1, high: 1)
        let f = try XCTUnwrap(attention.f as? PointwiseConv), v = try XCTUnwrap(attention.v as? PointwiseConv)
        try assertGradients([x, attention.gamma, f.weight, v.weight, v.bias!]) { try attention($0[0]) }
        try assertSecondOrderGradients([x, attention.gamma, f.weight], firstOrderWrt: [0]) { try attention($0[0]) }
    }

    func testStateDictNames() throws {
        let names = ["f", "g", "h", "v"]
        let plain = try SelfAttention(16, rng: rng)
        XCTAssertEqual(plain.stateDict().map(\.0), ["gamma"] + names.flatMap { ["\($0).weight", "\($0).bias"] })
        XCTAssertEqual(plain.stateDict().map(\.1.shape), [[1], [2, 16, 1, 1], [2], [2, 16, 1, 1], [2], [2, 16, 1, 1], [2], [16, 2, 1, 1], [16]])
        let normalised = try SelfAttention(16, spectralNorm: true, rng: rng)
        XCTAssertEqual(normalised.stateDict().map(\.0),
                       ["gamma"] + names.flatMap { ["\($0).bias", "\($0).weight_orig", "\($0).weight_u", "\($0).weight_v"] })
        XCTAssertEqual(normalised.namedBuffers().map(\.1.shape), [[2], [16], [2], [16], [2], [16], [16], [2]])
        let x = rng.uniform([1, 16, 2, 2], low: -1, high: 1)
        XCTAssertEqual(try normalised(x).scalars, x.scalars)
        XCTAssertThrowsError(try plain(Tensor(zeros: [1, 8, 2, 2]))) { XCTAssertTrue("\($0)".contains("SelfAttention(16)")) }
    }

    func testPointwiseConvIsAPerPositionMatmul() throws {
        let conv = PointwiseConv(3, 2, rng: rng)
        let x = rng.uniform([2, 3, 2, 2], low: -1, high: 1)
        let y = try conv(x)
        XCTAssertEqual(y.shape, [2, 2, 2, 2])
        let w = conv.weight.scalars, b = conv.bias!.scalars, xs = x.scalars
        for n in 0..<2 {
            for o in 0..<2 {
                for p in 0..<4 {
                    let expected = (0..<3).reduce(b[o]) { $0 + w[o * 3 + $1] * xs[(n * 3 + $1) * 4 + p] }
                    XCTAssertEqual(y.data[(n * 2 + o) * 4 + p], expected, accuracy: 1e-5)
                }
            }
        }
        try assertGradients([x, conv.weight, conv.bias!]) { try conv($0[0]) }
        XCTAssertThrowsError(try conv(Tensor(zeros: [2, 4, 2, 2])))
    }
}
