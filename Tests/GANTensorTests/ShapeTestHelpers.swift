@testable import GANTensor

/// Independent, element-by-element references that the shape and pooling kernels are checked
/// against: plain loops over coordinates, no merging, runs, tiles or threads.
enum Reference {
    /// 0, 1, 2, ... in `shape`.
    static func arange(_ shape: [Int]) -> Tensor {
        try! Tensor((0..<Shape.count(shape)).map(Float.init), shape: shape)
    }

    /// The coordinates of flat index `i` in `shape`.
    static func coordinates(_ i: Int, _ shape: [Int]) -> [Int] {
        var rem = i
        return Shape.strides(shape).map { s in
            defer { rem %= s }
            return rem / s
        }
    }

    static func flat(_ c: [Int], _ shape: [Int]) -> Int {
        zip(c, Shape.strides(shape)).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// out[c] = x[source(c)] for every output coordinate c, 0 where source returns nil.
    static func gather(_ x: Tensor, into shape: [Int], _ source: ([Int]) -> [Int]?) -> [Float] {
        (0..<Shape.count(shape)).map { o in
            source(coordinates(o, shape)).map { x.data[flat($0, x.shape)] } ?? 0
        }
    }

    /// Average (divisor k*k) or max over each window of an NCHW tensor, padding excluded from max.
    static func pool(_ x: Tensor, kernel k: Int, stride s: Int, padding p: Int, max: Bool) -> [Float] {
        let (h, w) = (x.shape[2], x.shape[3])
        let oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1
        var out: [Float] = []
        for plane in 0..<(x.shape[0] * x.shape[1]) {
            for i in 0..<oh {
                for j in 0..<ow {
                    var acc: Float = max ? -.infinity : 0
                    for a in 0..<k {
                        for b in 0..<k {
                            let (r, c) = (i * s - p + a, j * s - p + b)
                            guard r >= 0, r < h, c >= 0, c < w else { continue }
                            let v = x.data[plane * h * w + r * w + c]
                            acc = max ? Swift.max(acc, v) : acc + v
                        }
                    }
                    out.append(max ? acc : acc / Float(k * k))
                }
            }
        }
        return out
    }
}

extension Tensor {
    /// 4y^3, for second-order checks of linear ops: its curvature is of order one on values of
    /// order 0.1 to 1, so a wrong double backward exceeds the checker's absolute floor (tanh is
    /// almost linear near 0 and hides it).
    func curved() throws -> Tensor { try self * self * self * 4 }
}
