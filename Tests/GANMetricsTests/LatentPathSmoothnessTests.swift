import XCTest
import GANTensor
@testable import GANMetrics

final class LatentPathSmoothnessTests: XCTestCase {
    func testQuantileInterpolatesBetweenOrderStatisticsLikeNumpy() {
        let x = [4.0, 1, 3, 2]
        XCTAssertEqual(Quantile.of(x, 0.5), 2.5)
        XCTAssertEqual(Quantile.of(x, 0), 1)
        XCTAssertEqual(Quantile.of(x, 1), 4)
        XCTAssertEqual(try XCTUnwrap(Quantile.of(x, 0.9)), 3.7, accuracy: 1e-12)  // numpy.quantile: 1 + 0.9 * 3 -> 3.7
        XCTAssertEqual(Quantile.of([5], 0.3), 5)
        XCTAssertNil(Quantile.of([], 0.5))
        XCTAssertNil(Quantile.of(x, 1.5))
        XCTAssertNil(Quantile.of([1, .nan], 0.5))
    }

    /// Frames of paths from `a` to `b`, each frame `shape(t)` of the way, t = i / (frames - 1).
    static func path(_ a: [Float], _ b: [Float], frames: Int = 9, _ shape: (Float) -> Float) -> [Float] {
        (0..<frames).flatMap { i -> [Float] in
            let w = shape(Float(i) / Float(frames - 1))
            return zip(a, b).map { $0 + w * ($1 - $0) }
        }
    }

    static let a: [Float] = (0..<16).map { Float($0 % 5) / 5 - 0.5 }
    static let b: [Float] = (0..<16).map { Float(($0 * 7) % 11) / 11 - 0.4 }

    func testAnEvenWalkAJumpADetourAndAConstantPath() throws {
        let a = Self.a, b = Self.b
        let frames = Self.path(a, b) { $0 }                       // even: 1 and 1/8
            + Self.path(a, b) { $0 < 0.5 ? 0 : 1 }                // one jump: 8 and 1
            + Self.path(a, b) { 1 - abs(2 * $0 - 1) }             // out to b and back to a
            + Self.path(a, a) { $0 }                              // the same image throughout
        let s = try LatentPathSmoothness(frames: Tensor(frames, shape: [36, 1, 4, 4]), framesPerPath: 9)
        XCTAssertEqual(s.paths.count, 4)
        XCTAssertEqual(s.paths[0].jump, 1, accuracy: 1e-5)
        XCTAssertEqual(s.paths[0].step, 1.0 / 8, accuracy: 1e-5)
        XCTAssertEqual(s.paths[1].jump, 8, accuracy: 1e-5)
        XCTAssertEqual(s.paths[1].step, 1, accuracy: 1e-5)
        XCTAssertEqual(s.paths[2].jump, 1, accuracy: 1e-5)
        XCTAssertGreaterThan(s.paths[2].step, 1e6)  // endpoints coincide while the frames move
        XCTAssertEqual(s.paths[3], .init(jump: 1, step: 1.0 / 8))
        XCTAssertEqual(s.quantile(0, \.jump), 1, accuracy: 1e-5)
        XCTAssertEqual(s.quantile(1, \.jump), 8, accuracy: 1e-5)
    }

    func testBadFramesAreRejectedWithTheReason() {
        let ok = Self.path(Self.a, Self.b) { $0 }
        XCTAssertThrowsError(try LatentPathSmoothness(frames: Tensor(ok, shape: [9, 16]), framesPerPath: 2)) {
            XCTAssertTrue("\($0)".contains("at least 3 frames"), "\($0)")
        }
        XCTAssertThrowsError(try LatentPathSmoothness(frames: Tensor(ok, shape: [9, 16]), framesPerPath: 4)) {
            XCTAssertTrue("\($0)".contains("9 images do not split into paths of 4"), "\($0)")
        }
        var bad = ok
        bad[20] = .nan
        XCTAssertThrowsError(try LatentPathSmoothness(frames: Tensor(bad, shape: [9, 16]), framesPerPath: 9)) {
            XCTAssertTrue("\($0)".contains("non-finite"), "\($0)")
        }
    }
}
