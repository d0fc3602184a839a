import Foundation
import XCTest
@testable import GANTensor

final class InitTests: XCTestCase {
    func moments(_ t: Tensor) -> (mean: Double, std: Double) {
        let x = t.scalars.map(Double.init)
        let mean = x.reduce(0, +) / Double(x.count)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)
        return (mean, variance.squareRoot())
    }

    func testFansFollowPyTorch() throws {
        XCTAssertTrue(try Init.fans([10, 5]) == (5, 10))
        // Conv [out, in, kH, kW]: in * kH * kW and out * kH * kW.
        XCTAssertTrue(try Init.fans([16, 8, 3, 3]) == (72, 144))
        // A transposed conv's [in, out, k, k] weight is read by position, as PyTorch does.
        XCTAssertTrue(try Init.fans([100, 512, 4, 4]) == (512 * 16, 100 * 16))
        XCTAssertTrue(try Init.fans([4, 3, 2]) == (6, 8))
        XCTAssertThrowsError(try Init.fans([7])) { XCTAssertTrue("\($0)".contains("Init.fans")) }
    }

    func testGainsFollowPyTorch() {
        XCTAssertEqual(Init.gain(.linear), 1)
        XCTAssertEqual(Init.gain(.sigmoid), 1)
        XCTAssertEqual(Init.gain(.tanh), 5.0 / 3, accuracy: 1e-7)
        XCTAssertEqual(Init.gain(.relu), sqrt(2), accuracy: 1e-7)
        XCTAssertEqual(Init.gain(.leakyRelu), sqrt(2 / (1 + 0.0001)), accuracy: 1e-7)
        XCTAssertEqual(Init.gain(.leakyRelu, param: 0.2), sqrt(2 / 1.04), accuracy: 1e-7)
        XCTAssertEqual(Init.gain(.selu), 0.75)
    }

    func testSimpleFills() {
        let rng = RandomGenerator(seed: 1)
        let t = Tensor(zeros: [200, 500])
        Init.normal(t, mean: 1, std: 0.02, rng: rng)
        let (m, s) = moments(t)
        XCTAssertEqual(m, 1, accuracy: 0.001)
        XCTAssertEqual(s, 0.02, accuracy: 0.0005)
        Init.uniform(t, low: -3, high: -1, rng: rng)
        XCTAssertTrue(t.scalars.allSatisfy { $0 >= -3 && $0 < -1 })
        XCTAssertEqual(moments(t).mean, -2, accuracy: 0.01)
        Init.constant(t, 0.5)
        XCTAssertTrue(t.scalars.allSatisfy { $0 == 0.5 })
        Init.zeros(t)
        XCTAssertTrue(t.scalars.allSatisfy { $0 == 0 })
        Init.ones(t)
        XCTAssertTrue(t.scalars.allSatisfy { $0 == 1 })
    }

    func testXavierStatistics() throws {
        let rng = RandomGenerator(seed: 2)
        let t = Tensor(zeros: [64, 32, 5, 5])  // fans 800 and 1600
        let std = 2 * (2.0 / 2400).squareRoot()
        try Init.xavierNormal(t, gain: 2, rng: rng)
        XCTAssertEqual(moments(t).std, std, accuracy: std * 0.02)
        try Init.xavierUniform(t, gain: 2, rng: rng)
        let bound = Float(3.0.squareRoot() * std)
        XCTAssertTrue(t.scalars.allSatisfy { abs($0) <= bound })
        XCTAssertEqual(moments(t).std, std, accuracy: std * 0.02)
    }

    func testKaimingStatistics() throws {
        let rng = RandomGenerator(seed: 3)
        let t = Tensor(zeros: [128, 64, 3, 3])  // fan in 576, fan out 1152
        try Init.kaimingNormal(t, rng: rng)  // leaky ReLU with a = 0: gain sqrt(2)
        XCTAssertEqual(moments(t).std, (2.0 / 576).squareRoot(), accuracy: 0.02 * (2.0 / 576).squareRoot())
        try Init.kaimingNormal(t, mode: .fanOut, nonlinearity: .relu, rng: rng)
        XCTAssertEqual(moments(t).std, (2.0 / 1152).squareRoot(), accuracy: 0.02 * (2.0 / 1152).squareRoot())
        try Init.kaimingUniform(t, a: 0.2, nonlinearity: .leakyRelu, rng: rng)
        let std = (2 / 1.04).squareRoot() / 576.0.squareRoot()
        XCTAssertTrue(t.scalars.allSatisfy { abs(Double($0)) <= 3.0.squareRoot() * std + 1e-7 })
        XCTAssertEqual(moments(t).std, std, accuracy: 0.02 * std)
        XCTAssertThrowsError(try Init.kaimingUniform(Tensor(zeros: [5]), rng: rng))
    }

    /// Rows (wide) or columns (tall) of the [rows, cols] view must be orthonormal times gain.
    func assertOrthonormal(_ t: Tensor, gain: Double, file: StaticString = #filePath, line: UInt = #line) {
        let rows = t.shape[0], cols = t.count / rows
        let w = t.scalars.map(Double.init)
        let wide = rows <= cols
        let n = wide ? rows : cols
        for i in 0..<n {
            for j in 0..<n {
                var dot = 0.0
                for k in 0..<(wide ? cols : rows) {
                    dot += wide ? w[i * cols + k] * w[j * cols + k] : w[k * cols + i] * w[k * cols + j]
                }
                XCTAssertEqual(dot, i == j ? gain * gain : 0, accuracy: 1e-5, "(\(i), \(j)) of \(t.shape)", file: file, line: line)
            }
        }
    }

    func testOrthogonalIsOrthonormal() throws {
        let rng = RandomGenerator(seed: 4)
        for (shape, gain) in [([6, 10], 1.0), ([10, 4], 1.0), ([7, 7], 2.0), ([8, 2, 3, 3], 0.5), ([1, 5], 1.0)] {
            let t = Tensor(zeros: shape)
            try Init.orthogonal(t, gain: Float(gain), rng: rng)
            assertOrthonormal(t, gain: gain)
        }
        XCTAssertThrowsError(try Init.orthogonal(Tensor(zeros: [3]), rng: rng))
    }

    /// PyTorch's sign convention: Q is the Q of the QR of the drawn normal matrix A with R's
    /// diagonal made positive, so Q^T A must be upper triangular with a positive diagonal.
    func testOrthogonalIsTheSignCorrectedQOfTheDrawnMatrix() throws {
        let (rows, cols) = (9, 5)
        let t = Tensor(zeros: [rows, cols])
        try Init.orthogonal(t, rng: RandomGenerator(seed: 5))
        let a = RandomGenerator(seed: 5).normal([rows, cols]).scalars.map(Double.init)
        let q = t.scalars.map(Double.init)
        for i in 0..<cols {
            for j in 0..<cols {
                let r = (0..<rows).reduce(0.0) { $0 + q[$1 * cols + i] * a[$1 * cols + j] }
                if i > j { XCTAssertEqual(r, 0, accuracy: 1e-5, "R[\(i), \(j)]") }
                if i == j { XCTAssertGreaterThan(r, 0, "R[\(i), \(i)]") }
            }
        }
    }

    func testModuleWalkersFollowPyTorchOrder() {
        let rng = RandomGenerator(seed: 6)
        let net = Sequential(Linear(4, 3, rng: rng), ReLU(), Sequential(Linear(3, 2, rng: rng)))
        XCTAssertEqual(net.namedModules().map(\.0), ["", "0", "1", "2", "2.0"])
        var visited: [String] = []
        net.apply { visited.append("\(type(of: $0))") }
        XCTAssertEqual(visited, ["Linear", "ReLU", "Linear", "Sequential", "Sequential"])
    }

    func testInitializeByRule() throws {
        let rng = RandomGenerator(seed: 7)
        let inner = Linear(3, 2, rng: rng)
        let net = Sequential(Linear(4, 3, rng: rng), ReLU(), Sequential(inner))
        let innerBias = inner.bias!.scalars
        var sites: [String] = []
        try net.initialize(rng: rng) { site in
            sites.append(site.path)
            switch (site.name, site.tensor.rank) {
            case ("weight", 2): return site.module === inner ? .orthogonal(gain: 1) : .constant(0.5)
            case ("bias", _) where site.path.hasPrefix("0."): return .zeros
            default: return nil
            }
        }
        XCTAssertEqual(sites, ["0.weight", "0.bias", "2.0.weight", "2.0.bias"])
        let first = net.layers[0] as! Linear
        XCTAssertTrue(first.weight.scalars.allSatisfy { $0 == 0.5 })
        XCTAssertTrue(first.bias!.scalars.allSatisfy { $0 == 0 })
        assertOrthonormal(inner.weight, gain: 1)
        XCTAssertEqual(inner.bias!.scalars, innerBias, "a nil rule leaves the parameter alone")
    }

    func testInitializeIsReproducible() throws {
        func build() throws -> [Float] {
            let net = Sequential(Linear(4, 3, rng: RandomGenerator(seed: 0)), Linear(3, 3, rng: RandomGenerator(seed: 0)))
            try net.initialize(rng: RandomGenerator(seed: 8)) { _ in .normal(mean: 0, std: 0.02) }
            return net.parameters.flatMap(\.scalars)
        }
        XCTAssertEqual(try build(), try build())
    }
}
