import Foundation
import GANTensor

/// The chair renderer's augmentation, after the 8 parameters of the chair-GAN authors' code
/// (Dosovitskiy et al. 2015 augment similarly): in-plane rotation (radians), shift x and y (in
/// half-image units, y up), log stretch x and y, hue rotation (turns), log saturation, brightness
/// (added to [0, 1] colours). All zeros is the identity, which is the default "transform" vector.
public struct ChairAugmentation: Equatable, Sendable {
    public static let count = 8
    public var rotation: Float = 0, shiftX: Float = 0, shiftY: Float = 0
    public var logStretchX: Float = 0, logStretchY: Float = 0
    public var hue: Float = 0, logSaturation: Float = 0, brightness: Float = 0

    public static let identity = ChairAugmentation()

    public init() {}

    public init(vector v: [Float]) throws {
        guard v.count == Self.count else {
            throw DataError.option(name: "transform", reason: "a chair transform has \(Self.count) numbers, got \(v.count)")
        }
        (rotation, shiftX, shiftY, logStretchX, logStretchY) = (v[0], v[1], v[2], v[3], v[4])
        (hue, logSaturation, brightness) = (v[5], v[6], v[7])
    }

    public var vector: [Float] { [rotation, shiftX, shiftY, logStretchX, logStretchY, hue, logSaturation, brightness] }

    /// Each parameter uniform in +- its range times `strength`: rotation 0.15 rad, shift 0.1,
    /// log stretch 0.1, hue 0.05 turns, log saturation 0.2, brightness 0.1.
    public static func random(_ rng: RandomGenerator, strength: Float = 1) -> ChairAugmentation {
        let ranges: [Float] = [0.15, 0.1, 0.1, 0.1, 0.1, 0.05, 0.2, 0.1]
        return try! ChairAugmentation(vector: ranges.map { strength * $0 * (2 * rng.nextFloat() - 1) })
    }

    /// Normalised device coordinates after the 2-D part: rotate(stretch(p)) + shift.
    func apply(_ x: Float, _ y: Float) -> (Float, Float) {
        let sx = x * Foundation.exp(logStretchX), sy = y * Foundation.exp(logStretchY)
        let c = Foundation.cos(rotation), s = Foundation.sin(rotation)
        return (c * sx - s * sy + shiftX, s * sx + c * sy + shiftY)
    }

    /// The colour part: hue as a rotation about the gray axis, saturation about the gray value,
    /// then brightness; kept in [0, 0.97] so a chair is never pure background white.
    func apply(colour c: SIMD3<Float>) -> SIMD3<Float> {
        var out = c
        if hue != 0 {
            // Rodrigues rotation about k = (1, 1, 1) / sqrt(3).
            let angle = 2 * Float.pi * hue, k = SIMD3<Float>(repeating: 1 / Float(3).squareRoot())
            let cs = Foundation.cos(angle), sn = Foundation.sin(angle)
            out = out * cs + cross(k, out) * sn + k * dot(k, out) * (1 - cs)
        }
        let gray = out.sum() / 3
        out = SIMD3(repeating: gray) + (out - SIMD3(repeating: gray)) * Foundation.exp(logSaturation) + SIMD3(repeating: brightness)
        return out.clamped(lowerBound: SIMD3(repeating: 0), upperBound: SIMD3(repeating: 0.97))
    }
}
