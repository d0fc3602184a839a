import Foundation
import GANTensor

/// 2-D mixtures of the PacGAN and WGAN-GP papers, as a fixed set of points drawn once from the seed
/// (PacGAN trains on a fixed set of 100k samples). Samples: "point" [2], label = mode index.
public final class GaussianMixture: Dataset, @unchecked Sendable {
    public enum Preset: String, CaseIterable, Sendable {
        /// PacGAN (Lin et al. 2018, Sec. 5.1, authors' code): 8 modes on a circle of radius 1, std 0.01.
        case ring8
        /// PacGAN: 25 modes at {-4, -2, 0, 2, 4}^2, std 0.05.
        case grid25
        /// WGAN-GP gan_toy.py: 8 modes at radius 2 (45 degree steps), std 0.02, all divided by 1.414.
        case wgan8
        /// WGAN-GP gan_toy.py: 25 modes at 2 * {-2..2}^2, std 0.05, all divided by 2.828.
        case wgan25
        /// WGAN-GP gan_toy.py: sklearn's make_swiss_roll (noise 0.25), dims (0, 2), divided by 7.5.
        case swissroll
    }

    public let name: String
    public let count: Int
    public let preset: Preset
    /// Mode centres and the per-coordinate standard deviation around them (empty for the swiss roll).
    public let modes: [(Float, Float)]
    public let std: Float
    let points: [Float]
    let labels: [Int]

    public var classCount: Int? { modes.isEmpty ? nil : modes.count }

    public init(preset: Preset, count: Int = 100_000, seed: UInt64 = 0) {
        self.preset = preset
        self.count = count
        name = "mixture \(preset.rawValue) (\(count))"
        var centres: [(Float, Float)] = []
        var sd: Float = 0, scale: Float = 1
        switch preset {
        case .ring8:
            centres = (0..<8).map { k -> (Float, Float) in
                let a = 2 * Double.pi * Double(k) / 8
                return (Float(cos(a)), Float(sin(a)))
            }
            sd = 0.01
        case .grid25:
            centres = (0..<25).map { k -> (Float, Float) in
                let row: Int = k / 5, col: Int = k % 5
                return (Float(2 * row - 4), Float(2 * col - 4))
            }
            sd = 0.05
        case .wgan8:
            centres = (0..<8).map { k -> (Float, Float) in
                let a = Double.pi * Double(k) / 4
                return (Float(2 * cos(a)), Float(2 * sin(a)))
            }
            sd = 0.02
            scale = 1 / 1.414
        case .wgan25:
            centres = (0..<25).map { k -> (Float, Float) in
                let row: Int = k / 5, col: Int = k % 5
                return (Float(2 * row - 4), Float(2 * col - 4))
            }
            sd = 0.05
            scale = 1 / 2.828
        case .swissroll:
            break
        }
        let rng = RandomGenerator(seed: seed, stream: 0x6D69_7874)  // "mixt"
        var pts = [Float](repeating: 0, count: 2 * count)
        var labs = [Int](repeating: 0, count: count)
        if preset == .swissroll {
            // make_swiss_roll: t = 1.5 pi (1 + 2 u), (x, z) = (t cos t, t sin t) + N(0, 0.25^2).
            let noise = rng.normal([2 * count], std: 0.25).scalars
            for i in 0..<count {
                let t = 1.5 * Float.pi * (1 + 2 * rng.nextFloat())
                pts[2 * i] = (t * cos(t) + noise[2 * i]) / 7.5
                pts[2 * i + 1] = (t * sin(t) + noise[2 * i + 1]) / 7.5
            }
        } else {
            let noise = rng.normal([2 * count], std: sd).scalars
            for i in 0..<count {
                let m = rng.nextInt(below: centres.count)
                labs[i] = m
                pts[2 * i] = (centres[m].0 + noise[2 * i]) * scale
                pts[2 * i + 1] = (centres[m].1 + noise[2 * i + 1]) * scale
            }
        }
        modes = centres.map { ($0.0 * scale, $0.1 * scale) }
        std = sd * scale
        points = pts
        labels = labs
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        guard (0..<count).contains(index) else { throw DataError.option(name: "index", reason: "\(index) outside 0..<\(count) in \(name)") }
        let t = try Tensor([points[2 * index], points[2 * index + 1]], shape: [2])
        return Sample(["point": t], label: modes.isEmpty ? nil : labels[index])
    }

    /// PacGAN's mode metrics for generated points [N, 2].
    public func score(_ generated: Tensor) throws -> ModeReport {
        try ModeReport(points: generated, modes: modes, std: std)
    }
}

/// PacGAN's 2-D scores (Lin et al. 2018, Sec. 5.1): a sample is high quality when it lies within
/// 3 standard deviations of its nearest mode; a mode is captured when at least one high-quality
/// sample is nearest to it; the reverse KL compares the histogram of high-quality samples over the
/// modes with the uniform distribution, KL(p || u) = sum p log(p K), with 0 log 0 = 0.
public struct ModeReport: Equatable, Sendable {
    public let modesCaptured: Int
    public let highQualityFraction: Double
    public let reverseKL: Double
    public let counts: [Int]

    public init(points: Tensor, modes: [(Float, Float)], std: Float) throws {
        guard points.rank == 2, points.shape[1] == 2, !modes.isEmpty else {
            throw DataError.option(name: "points", reason: "expected [N, 2] points and a mixture with modes, got \(points.shape)")
        }
        var counts = [Int](repeating: 0, count: modes.count)
        var good = 0
        let n = points.shape[0]
        for i in 0..<n {
            let x = points.data[2 * i], y = points.data[2 * i + 1]
            var best = 0, bestD = Float.infinity
            for (k, m) in modes.enumerated() {
                let d = ((x - m.0) * (x - m.0) + (y - m.1) * (y - m.1)).squareRoot()
                if d < bestD { bestD = d; best = k }
            }
            if bestD <= 3 * std { counts[best] += 1; good += 1 }
        }
        self.counts = counts
        modesCaptured = counts.filter { $0 > 0 }.count
        highQualityFraction = n > 0 ? Double(good) / Double(n) : 0
        let k = Double(modes.count)
        reverseKL = good == 0 ? .infinity : counts.reduce(0.0) { acc, c in
            guard c > 0 else { return acc }
            let p = Double(c) / Double(good)
            return acc + p * Foundation.log(p * k)
        }
    }
}
