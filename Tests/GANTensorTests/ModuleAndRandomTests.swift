import XCTest
@testable import GANTensor

final class ModuleAndRandomTests: XCTestCase {
    func testPhiloxKnownAnswer() {
        // Random123's known-answer vectors for philox4x32_10.
        let z = Philox.block(counter: 0, stream: 0, key: 0)
        XCTAssertEqual([z.0, z.1, z.2, z.3], [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
        let f = Philox.block(counter: 0xffff_ffff_ffff_ffff, stream: 0xffff_ffff_ffff_ffff, key: 0xffff_ffff_ffff_ffff)
        XCTAssertEqual([f.0, f.1, f.2, f.3], [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd])
    }

    func testGeneratorIsDeterministicAndResumable() {
        let a = RandomGenerator(seed: 42)
        let first = a.normal([1000]).scalars
        let saved = a.state
        let second = a.uniform([7]).scalars
        XCTAssertEqual(RandomGenerator(seed: 42).normal([1000]).scalars, first)
        XCTAssertEqual(RandomGenerator(state: saved).uniform([7]).scalars, second)
        XCTAssertNotEqual(RandomGenerator(seed: 43).normal([1000]).scalars, first)
        XCTAssertNotEqual(a.fork("data").uniform([4]).scalars, a.fork("init").uniform([4]).scalars)
    }

    func testNormalMoments() {
        let x = RandomGenerator(seed: 3).normal([200_000], mean: 1, std: 2).scalars.map(Double.init)
        let mean = x.reduce(0, +) / Double(x.count)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)
        XCTAssertEqual(mean, 1, accuracy: 0.02)
        XCTAssertEqual(variance.squareRoot(), 2, accuracy: 0.02)
    }

    func testPermutationIsAPermutation() {
        let p = RandomGenerator(seed: 9).permutation(100)
        XCTAssertEqual(p.sorted(), Array(0..<100))
        XCTAssertNotEqual(p, Array(0..<100))
    }

    func testStateDictNamesAndOrderFollowPyTorch() throws {
        let rng = RandomGenerator(seed: 0)
        let net = Sequential(Linear(4, 3, rng: rng), ReLU(), Sequential(Linear(3, 2, bias: false, rng: rng)))
        XCTAssertEqual(net.stateDict().map(\.0), ["0.weight", "0.bias", "2.0.weight"])
        XCTAssertEqual(net.stateDict().map(\.1.shape), [[3, 4], [3], [2, 3]])
        XCTAssertEqual(net.parameterCount, 12 + 3 + 6)
    }

    func testLoadStateDictChecksKeysAndShapes() throws {
        let rng = RandomGenerator(seed: 0)
        let a = Linear(4, 3, rng: rng), b = Linear(4, 3, rng: rng)
        try b.load(stateDict: Dictionary(uniqueKeysWithValues: a.stateDict()))
        XCTAssertEqual(b.weight.scalars, a.weight.scalars)
        XCTAssertThrowsError(try b.load(stateDict: ["weight": a.weight])) { XCTAssertTrue("\($0)".contains("missing keys: bias")) }
        XCTAssertThrowsError(try b.load(stateDict: ["weight": a.weight, "bias": a.bias!, "extra": a.bias!])) {
            XCTAssertTrue("\($0)".contains("unexpected keys: extra"))
        }
        XCTAssertThrowsError(try b.load(stateDict: ["weight": Tensor(zeros: [3, 5]), "bias": a.bias!])) {
            XCTAssertTrue("\($0)".contains("weight has shape [3, 5]"))
        }
    }

    func testLinearMatchesHandComputation() throws {
        let lin = Linear(2, 2, rng: RandomGenerator(seed: 0))
        try lin.weight.assign(try Tensor([1, 2, 3, 4], shape: [2, 2]))
        try lin.bias!.assign(try Tensor([0.5, -0.5], shape: [2]))
        let y = try lin(try Tensor([1, 1, 2, 0], shape: [2, 2]))
        XCTAssertEqual(y.scalars, [3.5, 6.5, 2.5, 5.5])
        let x = RandomGenerator(seed: 1).uniform([3, 2], low: -1, high: 1)
        try assertGradients([x, lin.weight, lin.bias!]) { _ in try lin(x) }
    }
}
