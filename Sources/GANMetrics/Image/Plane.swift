/// One image channel in Double, row-major: the working type of the structural-similarity
/// metrics, which need Double to keep E[x²] - E[x]² accurate.
struct Plane {
    let height: Int
    let width: Int
    var values: [Double]

    init(height: Int, width: Int, values: [Double]) {
        self.height = height
        self.width = width
        self.values = values
    }

    /// Reads height x width floats starting at `p`.
    init(_ p: UnsafePointer<Float>, height: Int, width: Int) {
        self.init(height: height, width: width, values: (0..<(height * width)).map { Double(p[$0]) })
    }

    /// Elementwise product (for the second moments).
    func times(_ other: Plane) -> Plane {
        Plane(height: height, width: width, values: zip(values, other.values).map { $0 * $1 })
    }

    /// Separable 'valid' correlation with a symmetric 1-D window on both axes: output
    /// (H - n + 1) x (W - n + 1), never reading outside the plane.
    func filteredValid(_ window: [Double]) -> Plane {
        let n = window.count
        let oh = height - n + 1, ow = width - n + 1
        var horizontal = [Double](repeating: 0, count: height * ow)
        for i in 0..<height {
            for j in 0..<ow {
                var s = 0.0
                for t in 0..<n { s += window[t] * values[i * width + j + t] }
                horizontal[i * ow + j] = s
            }
        }
        var out = [Double](repeating: 0, count: oh * ow)
        for i in 0..<oh {
            for t in 0..<n {
                let w = window[t], row = (i + t) * ow
                for j in 0..<ow { out[i * ow + j] += w * horizontal[row + j] }
            }
        }
        return Plane(height: oh, width: ow, values: out)
    }

    /// 2x2 average pooling with stride 2; an odd last row or column is dropped (floor), as
    /// PyTorch's avg_pool2d(2) does.
    func halved() -> Plane {
        let oh = height / 2, ow = width / 2
        var out = [Double](repeating: 0, count: oh * ow)
        for i in 0..<oh {
            for j in 0..<ow {
                let a = values[(2 * i) * width + 2 * j], b = values[(2 * i) * width + 2 * j + 1]
                let c = values[(2 * i + 1) * width + 2 * j], d = values[(2 * i + 1) * width + 2 * j + 1]
                out[i * ow + j] = 0.25 * (a + b + c + d)
            }
        }
        return Plane(height: oh, width: ow, values: out)
    }
}
