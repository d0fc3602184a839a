import Foundation
import XCTest
@testable import GANData
@testable import GANTensor

final class MixtureTests: XCTestCase {
    func points(_ m: GaussianMixture, _ n: Int, seed: UInt64 = 1) throws -> [(Float, Float, Int?)] {
        let rng = RandomGenerator(seed: seed)
        return try (0..<n).map { i in
            let s = try m.sample(at: i % m.count, rng: rng)
            return (s["point"]!.data[0], s["point"]!.data[1], s.label)
        }
    }

    func testPresetGeometry() {
        let ring = GaussianMixture(preset: .ring8)
        XCTAssertEqual(ring.modes.count, 8)
        XCTAssertEqual(ring.std, 0.01)
        for m in ring.modes { XCTAssertEqual((m.0 * m.0 + m.1 * m.1).squareRoot(), 1, accuracy: 1e-6) }
        XCTAssertEqual(ring.modes[0].0, 1, accuracy: 1e-6)
        XCTAssertEqual(ring.modes[2].1, 1, accuracy: 1e-6)

        let grid = GaussianMixture(preset: .grid25)
        XCTAssertEqual(grid.modes.count, 25)
        XCTAssertEqual(grid.std, 0.05)
        XCTAssertEqual(Set(grid.modes.map(\.0)), [-4, -2, 0, 2, 4])
        XCTAssertEqual(Set(grid.modes.map { "\($0.0),\($0.1)" }).count, 25)

        let w8 = GaussianMixture(preset: .wgan8)
        XCTAssertEqual(w8.std, 0.02 / 1.414, accuracy: 1e-7)
        for m in w8.modes { XCTAssertEqual((m.0 * m.0 + m.1 * m.1).squareRoot(), 2 / 1.414, accuracy: 1e-5) }

        let w25 = GaussianMixture(preset: .wgan25)
        XCTAssertEqual(w25.std, 0.05 / 2.828, accuracy: 1e-7)
        XCTAssertEqual(w25.modes.map(\.0).max()!, 4 / 2.828, accuracy: 1e-6)
        XCTAssertTrue(GaussianMixture(preset: .swissroll).modes.isEmpty)
        XCTAssertNil(GaussianMixture(preset: .swissroll).classCount)
    }

    func testRingMomentsAndModeFrequencies() throws {
        let ring = GaussianMixture(preset: .ring8, sampling: .fresh)
        let n = 40_000
        var perMode = [Int](repeating: 0, count: 8)
        var squared = 0.0, sx = 0.0, sy = 0.0
        for (x, y, label) in try points(ring, n) {
            let (k, d) = ring.nearestMode((x, y))
            XCTAssertEqual(k, label)
            perMode[k] += 1
            squared += Double(d * d)
            sx += Double(x)
            sy += Double(y)
        }
        for c in perMode { XCTAssertEqual(Double(c) / Double(n), 1.0 / 8, accuracy: 0.01) }
        // Squared distance to the centre of an isotropic 2-D Gaussian has mean 2 std^2.
        XCTAssertEqual(squared / Double(n), 2 * 0.01 * 0.01, accuracy: 0.05 * 2e-4)
        XCTAssertEqual(sx / Double(n), 0, accuracy: 0.01)
        XCTAssertEqual(sy / Double(n), 0, accuracy: 0.01)
    }

    func testGridPerCoordinateStd() throws {
        let grid = GaussianMixture(preset: .wgan25, sampling: .fresh)
        var vx = 0.0, vy = 0.0
        let pts = try points(grid, 20_000)
        for (x, y, label) in pts {
            let m = grid.modes[label!]
            vx += Double((x - m.0) * (x - m.0))
            vy += Double((y - m.1) * (y - m.1))
        }
        let expected = Double(grid.std * grid.std)
        XCTAssertEqual(vx / Double(pts.count), expected, accuracy: 0.05 * expected)
        XCTAssertEqual(vy / Double(pts.count), expected, accuracy: 0.05 * expected)
    }

    func testSwissRollRadiusAndRange() throws {
        let roll = GaussianMixture(preset: .swissroll)
        let pts = try points(roll, 20_000)
        let radii = pts.map { Double(($0.0 * $0.0 + $0.1 * $0.1).squareRoot()) }
        // t ~ U(1.5 pi, 4.5 pi) and radius t / 7.5 (noise 0.25 / 7.5 is small): mean 3 pi / 7.5.
        XCTAssertEqual(radii.reduce(0, +) / Double(radii.count), 3 * Double.pi / 7.5, accuracy: 0.02)
        XCTAssertGreaterThan(radii.min()!, 1.5 * Double.pi / 7.5 - 0.15)
        XCTAssertLessThan(radii.max()!, 4.5 * Double.pi / 7.5 + 0.15)
        XCTAssertTrue(pts.allSatisfy { $0.2 == nil })
    }

    func testFixedAndFreshSampling() throws {
        let ring = GaussianMixture(preset: .ring8, count: 1000, seed: 4)
        XCTAssertEqual(ring.sampling, .fixed, "PacGAN trains on a fixed set")
        XCTAssertEqual(GaussianMixture(preset: .wgan8).sampling, .fresh, "gan_toy.py draws 8 Gaussians afresh")
        let a = try ring.sample(at: 17, rng: RandomGenerator(seed: 1))["point"]!.scalars
        XCTAssertEqual(a, try ring.sample(at: 17, rng: RandomGenerator(seed: 2))["point"]!.scalars)
        XCTAssertNotEqual(a, try ring.sample(at: 18, rng: RandomGenerator(seed: 1))["point"]!.scalars)
        XCTAssertNotEqual(a, try GaussianMixture(preset: .ring8, count: 1000, seed: 5).sample(at: 17, rng: RandomGenerator(seed: 1))["point"]!.scalars)
        let fresh = GaussianMixture(preset: .ring8, count: 1000, sampling: .fresh)
        XCTAssertNotEqual(try fresh.sample(at: 17, rng: RandomGenerator(seed: 1))["point"]!.scalars,
                          try fresh.sample(at: 17, rng: RandomGenerator(seed: 2))["point"]!.scalars)
        XCTAssertThrowsError(try ring.sample(at: 1000, rng: RandomGenerator(seed: 0)))
    }

    func testNearestMode() {
        let grid = GaussianMixture(preset: .grid25)
        let (k, d) = grid.nearestMode((2.1, -3.9))
        XCTAssertEqual(grid.modes[k].0, 2)
        XCTAssertEqual(grid.modes[k].1, -4)
        XCTAssertEqual(d, (0.01 + 0.01 as Float).squareRoot(), accuracy: 1e-5)
    }

    // MARK: Mode counter

    func testAllModesCapturedGivesZeroKL() throws {
        let ring = GaussianMixture(preset: .ring8)
        let pts = ring.modes.flatMap { m in (0..<10).map { k in (m.0 + 0.001 * Float(k), m.1) } }
        let r = ring.modeCounter.score(pts)
        XCTAssertEqual(r.modesCaptured, 8)
        XCTAssertEqual(r.highQualityFraction, 1)
        XCTAssertEqual(r.reverseKL, 0, accuracy: 1e-12)
        XCTAssertEqual(r.counts, [Int](repeating: 10, count: 8))
    }

    func testOneModeGivesLogKReverseKL() throws {
        let grid = GaussianMixture(preset: .grid25)
        let r = try grid.modeCounter.score(try Tensor([Float](repeating: 0.01, count: 200), shape: [100, 2]))
        XCTAssertEqual(r.modesCaptured, 1)
        XCTAssertEqual(r.reverseKL, log(25), accuracy: 1e-9)
        XCTAssertEqual(r.highQualityFraction, 1)
    }

    func testOffModePointsAreNotHighQuality() {
        let counter = ModeCounter(modes: [(0, 0), (1, 0)], std: 0.1)
        // Inside 3 std of mode 0 at 2.9 std; outside at 3.1 std and 5 std; midway between modes.
        let r = counter.score([(0.29, 0), (0, 0.31), (0, -0.5), (0.5, 0), (1, 0.05)])
        XCTAssertEqual(r.counts, [1, 1])
        XCTAssertEqual(r.highQualityFraction, 0.4, accuracy: 1e-12)
        XCTAssertEqual(r.modesCaptured, 2)
        XCTAssertEqual(r.reverseKL, 0, accuracy: 1e-12)
        // Skewed histogram: 3 on mode 0, 1 on mode 1: KL = 0.75 log 1.5 + 0.25 log 0.5.
        let skew = counter.score([(0, 0), (0, 0), (0, 0), (1, 0)])
        XCTAssertEqual(skew.reverseKL, 0.75 * log(1.5) + 0.25 * log(0.5), accuracy: 1e-9)
        // A stricter capture rule, and nothing high quality at all.
        XCTAssertEqual(ModeCounter(modes: [(0, 0), (1, 0)], std: 0.1, minimumPerMode: 2).score([(0, 0), (0, 0), (1, 0)]).modesCaptured, 1)
        let none = counter.score([(5, 5)])
        XCTAssertEqual(none.modesCaptured, 0)
        XCTAssertEqual(none.reverseKL, .infinity)
        XCTAssertThrowsError(try counter.score(Tensor(zeros: [4, 3])))
    }

    func testRealSamplesScoreAsPerfect() throws {
        let grid = GaussianMixture(preset: .grid25)
        let pts = try points(grid, 2500).map { ($0.0, $0.1) }
        let r = grid.modeCounter.score(pts)
        XCTAssertEqual(r.modesCaptured, 25)
        XCTAssertGreaterThan(r.highQualityFraction, 0.98)  // 1 - exp(-9/2) = 0.989 inside 3 std in 2-D
        XCTAssertLessThan(r.reverseKL, 0.02)
    }
}
