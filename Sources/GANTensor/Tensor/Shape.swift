/// Shape arithmetic shared by every op: element counts, strides, NumPy broadcasting, axis checks.
public enum Shape {
    public static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    public static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc *= shape[i]
        }
        return s
    }

    /// NumPy broadcasting of two shapes, or nil when they do not broadcast.
    public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
        }
        return out
    }

    /// Strides that read a tensor of `shape` as if it had the broadcast shape `target` (0 on
    /// broadcast dimensions).
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let pad = target.count - shape.count
        return (0..<target.count).map { i in
            i < pad || shape[i - pad] == 1 ? 0 : own[i - pad]
        }
    }

    /// Normalises possibly negative axes against a rank, rejecting duplicates and out-of-range ones.
    public static func axes(_ axes: [Int], rank: Int, op: String) throws -> [Int] {
        var seen = Set<Int>()
        let out = try axes.map { a -> Int in
            let x = a < 0 ? a + rank : a
            guard x >= 0, x < rank, seen.insert(x).inserted else {
                throw TensorError.invalidArgument(op: op, reason: "axis \(a) is invalid or repeated for rank \(rank)")
            }
            return x
        }
        return out.sorted()
    }
}
