/// Order statistics of a sample.
public enum Quantile {
    /// The q-quantile (0 <= q <= 1) interpolated linearly between the two nearest order statistics
    /// (numpy.quantile's default, "type 7"): q = 0.5 is the median, q = 1 the maximum. Nil for an
    /// empty sample or a q outside [0, 1]; NaNs are not allowed (they have no order).
    public static func of(_ x: [Double], _ q: Double) -> Double? {
        guard !x.isEmpty, q >= 0, q <= 1, !x.contains(where: \.isNaN) else { return nil }
        let sorted = x.sorted()
        let position = q * Double(sorted.count - 1)
        let below = Int(position.rounded(.down)), above = Swift.min(below + 1, sorted.count - 1)
        let fraction = position - Double(below)
        return fraction == 0 ? sorted[below] : sorted[below] + fraction * (sorted[above] - sorted[below])
    }
}
