import GANTensor

extension ImageOps {
    /// Bilinear resize of [C, H, W] with half-pixel centres, PyTorch's `interpolate(mode="bilinear",
    /// align_corners=False)`, which torchvision's tensor `resize` calls. With `antialias` (torchvision's
    /// default since 0.17) a shrinking axis averages under a triangle filter widened by the scale
    /// factor, as PyTorch's antialiased kernel does; growing axes are unaffected by it.
    public static func resize(_ x: Tensor, height oh: Int, width ow: Int, antialias: Bool = false) throws -> Tensor {
        let (c, h, w) = try dims(x, "resize")
        guard oh >= 1, ow >= 1 else {
            throw DataError.option(name: "resize", reason: "target \(oh)x\(ow) must be at least 1x1")
        }
        if h == oh && w == ow { return x.copy() }
        let rows = taps(from: h, to: oh, antialias: antialias), cols = taps(from: w, to: ow, antialias: antialias)
        // Separable: along the width into [C, H, ow], then along the height.
        let mid = Tensor(uninitialized: [c, h, ow])
        for r in 0..<(c * h) {
            let src = x.data + r * w, dst = mid.data + r * ow
            for j in 0..<ow { dst[j] = cols.apply(j, src, stride: 1) }
        }
        let out = Tensor(uninitialized: [c, oh, ow])
        for k in 0..<c {
            for i in 0..<oh {
                let dst = out.data + (k * oh + i) * ow
                for j in 0..<ow { dst[j] = rows.apply(i, mid.data + k * h * ow + j, stride: ow) }
            }
        }
        return out
    }

    /// Per output position: the first input index and the weights of the inputs it blends.
    struct Taps {
        var start: [Int] = []
        var weights: [[Float]] = []

        @inline(__always)
        func apply(_ o: Int, _ p: UnsafeMutablePointer<Float>, stride: Int) -> Float {
            var acc: Float = 0
            let s = start[o]
            for (t, wt) in weights[o].enumerated() { acc += wt * p[(s + t) * stride] }
            return acc
        }
    }

    static func taps(from n: Int, to m: Int, antialias: Bool) -> Taps {
        var taps = Taps()
        let scale = Double(n) / Double(m)
        for o in 0..<m {
            if antialias && scale > 1 {
                // Triangle of half-width `scale` centred on the output pixel's centre in input
                // coordinates; input pixel centres at i + 0.5; weights renormalised at the borders.
                let centre = scale * (Double(o) + 0.5)
                let lo = Swift.max(0, Int((centre - scale + 0.5).rounded(.down)))
                let hi = Swift.min(n, Int((centre + scale + 0.5).rounded(.down)))
                var ws = (lo..<hi).map { i in Swift.max(0, 1 - Swift.abs((Double(i) + 0.5 - centre) / scale)) }
                let total = ws.reduce(0, +)
                ws = ws.map { $0 / total }
                taps.start.append(lo)
                taps.weights.append(ws.map(Float.init))
            } else {
                // align_corners = false: source = (o + 0.5) * scale - 0.5, clamped at 0 (PyTorch).
                let src = Swift.max(0, (Double(o) + 0.5) * scale - 0.5)
                let i0 = Swift.min(Int(src), n - 1), i1 = Swift.min(i0 + 1, n - 1)
                let t = Float(src - Double(i0))
                taps.start.append(i0)
                taps.weights.append(i1 == i0 ? [1] : [1 - t, t])
            }
        }
        return taps
    }
}
