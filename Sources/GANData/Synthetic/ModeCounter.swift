import Foundation
import GANTensor

/// PacGAN's 2-D scores (Lin et al. 2018, Sec. 5.1; authors' MetricLogger in fjxmlzn/PacGAN
/// pacgan/extensions.py): a generated point is high quality when its distance to the nearest mode
/// is below `threshold` (3) standard deviations; a mode is captured when at least
/// `minimumPerMode` (1: the code counts modes with a non-zero count) high-quality points are
/// nearest to it; the reverse KL is KL(p || uniform) = sum_k p_k log(p_k K) over the histogram p of
/// the high-quality points' modes (0 log 0 = 0), infinite when no point is high quality.
public struct ModeCounter: Sendable {
    public let modes: [(Float, Float)]
    public let std: Float
    public let threshold: Float
    public let minimumPerMode: Int

    public struct Result: Codable, Equatable, Sendable {
        public let modesCaptured: Int
        public let highQualityFraction: Double
        public let reverseKL: Double
        /// High-quality points nearest to each mode.
        public let counts: [Int]
        public let total: Int
    }

    public init(modes: [(Float, Float)], std: Float, threshold: Float = 3, minimumPerMode: Int = 1) {
        self.modes = modes
        self.std = std
        self.threshold = threshold
        self.minimumPerMode = minimumPerMode
    }

    static func nearest(_ p: (Float, Float), _ modes: [(Float, Float)]) -> (index: Int, distance: Float) {
        var best = -1, bestSquared = Float.infinity
        for (k, m) in modes.enumerated() {
            let dx = p.0 - m.0, dy = p.1 - m.1
            let d = dx * dx + dy * dy
            if d < bestSquared { bestSquared = d; best = k }
        }
        return (best, bestSquared.squareRoot())
    }

    public func score(_ points: [(Float, Float)]) -> Result {
        var counts = [Int](repeating: 0, count: modes.count)
        for p in points {
            let (k, d) = Self.nearest(p, modes)
            if k >= 0 && d < threshold * std { counts[k] += 1 }
        }
        let good = counts.reduce(0, +)
        let kl: Double = good == 0 ? .infinity : counts.reduce(0.0) { acc, c in
            guard c > 0 else { return acc }
            let p = Double(c) / Double(good)
            return acc + p * Foundation.log(p * Double(modes.count))
        }
        return Result(modesCaptured: counts.filter { $0 >= minimumPerMode }.count,
                      highQualityFraction: points.isEmpty ? 0 : Double(good) / Double(points.count),
                      reverseKL: kl, counts: counts, total: points.count)
    }

    /// Scores generated points given as a tensor [N, 2].
    public func score(_ points: Tensor) throws -> Result {
        guard points.rank == 2, points.shape[1] == 2 else {
            throw DataError.option(name: "mode counter", reason: "expects points [N, 2], got \(points.shape)")
        }
        let p = points.data
        return score((0..<points.shape[0]).map { (p[2 * $0], p[2 * $0 + 1]) })
    }
}
