import Foundation
import GANTensor

/// The 2-D toy distributions of the PacGAN and WGAN-GP papers. Samples: "point" [2], label = the
/// mode the point was drawn from (none for the Swiss roll). `modes` and `std` are in the final
/// (scaled) coordinates, which is what a generator must reproduce and what `ModeCounter` scores.
///
/// Sampling: `.fresh` draws a new point from the loader's per-sample generator on every call (an
/// infinite data stream; `count` is only the nominal epoch length); `.fixed` makes sample i the
/// same point forever, drawn from (seed, i): a finite training set. The default follows each
/// reference code: PacGAN trains on a fixed set of 100k points (fjxmlzn/PacGAN config.py
/// `num_sample`), gan_toy.py pre-draws 100k points for 25 Gaussians but draws the 8 Gaussians and
/// the Swiss roll afresh for every batch.
public final class GaussianMixture: Dataset, @unchecked Sendable {
    public enum Preset: String, CaseIterable, Sendable {
        /// PacGAN (Lin et al. 2018, Sec. 5.1, authors' config.py): 8 modes at angles 2 pi k / 8 on a
        /// circle of radius 1, std 0.01.
        case ring8
        /// PacGAN: 25 modes at {-4, -2, 0, 2, 4}^2, std 0.05.
        case grid25
        /// WGAN-GP gan_toy.py: 8 modes at radius 2 (45 degree steps), std 0.02, everything divided by
        /// 1.414 (the code's literal), so modes at radius 1.414 and std 0.0141.
        case wgan8
        /// WGAN-GP gan_toy.py: modes at 2 * {-2, ..., 2}^2, std 0.05, everything divided by 2.828.
        case wgan25
        /// WGAN-GP gan_toy.py: sklearn's make_swiss_roll(noise=0.25), dimensions (0, 2), / 7.5.
        case swissroll
    }

    public enum Sampling: Sendable { case fresh, fixed }

    public let preset: Preset
    public let count: Int
    public let sampling: Sampling
    public let seed: UInt64
    public let modes: [(Float, Float)]
    public let std: Float
    public var name: String { "\(preset.rawValue) (\(sampling == .fixed ? "fixed" : "fresh"), \(count))" }
    public var classCount: Int? { modes.isEmpty ? nil : modes.count }

    /// `sampling: nil` follows the preset's reference code (see the type's notes); `seed` only
    /// matters for `.fixed`.
    public init(preset: Preset, count: Int = 100_000, seed: UInt64 = 0, sampling: Sampling? = nil) {
        self.preset = preset
        self.count = count
        self.seed = seed
        self.sampling = sampling ?? ([.ring8, .grid25, .wgan25].contains(preset) ? .fixed : .fresh)
        let (centres, sd, scale) = Self.layout(preset)
        modes = centres.map { ($0.0 * scale, $0.1 * scale) }
        std = sd * scale
    }

    /// Mode centres and std before scaling, and the scale the reference code applies afterwards.
    static func layout(_ preset: Preset) -> ([(Float, Float)], Float, Float) {
        func circle(_ radius: Double) -> [(Float, Float)] {
            (0..<8).map { k in (Float(radius * cos(2 * Double.pi * Double(k) / 8)), Float(radius * sin(2 * Double.pi * Double(k) / 8))) }
        }
        func grid(_ steps: [Float]) -> [(Float, Float)] { steps.flatMap { x in steps.map { y in (x, y) } } }
        switch preset {
        case .ring8: return (circle(1), 0.01, 1)
        case .grid25: return (grid([-4, -2, 0, 2, 4]), 0.05, 1)
        case .wgan8: return (circle(2), 0.02, 1 / 1.414)
        case .wgan25: return (grid([-4, -2, 0, 2, 4]), 0.05, 1 / 2.828)
        case .swissroll: return ([], 0, 1 / 7.5)
        }
    }

    /// One point and its mode (nil for the Swiss roll), drawn from `rng`.
    public func draw(_ rng: RandomGenerator) -> (x: Float, y: Float, mode: Int?) {
        let noise = rng.normal([2])
        let n = noise.data
        if preset == .swissroll {
            // make_swiss_roll: t = 1.5 pi (1 + 2 u); (x, z) = (t cos t, t sin t); + N(0, 0.25^2) each.
            let t = 1.5 * Float.pi * (1 + 2 * rng.nextFloat())
            return ((t * cos(t) + 0.25 * n[0]) / 7.5, (t * sin(t) + 0.25 * n[1]) / 7.5, nil)
        }
        let m = rng.nextInt(below: modes.count)
        return (modes[m].0 + std * n[0], modes[m].1 + std * n[1], m)
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        guard (0..<count).contains(index) else {
            throw DataError.option(name: "index", reason: "\(index) outside 0..<\(count) in \(name)")
        }
        let source = sampling == .fixed ? RandomGenerator(seed: seed, stream: StreamHash.of("mixture", index)) : rng
        let p = draw(source)
        return Sample(["point": try Tensor([p.x, p.y], shape: [2])], label: p.mode)
    }

    /// The nearest mode centre and the Euclidean distance to it (index -1 without modes).
    public func nearestMode(_ p: (Float, Float)) -> (index: Int, distance: Float) {
        ModeCounter.nearest(p, modes)
    }

    /// PacGAN's scorer for this mixture's modes and std.
    public var modeCounter: ModeCounter { ModeCounter(modes: modes, std: std) }
}
