import GANTensor

/// Bilinear resizing of a [C,H,W] image tensor with pixel centres at half-integers (PyTorch's
/// align_corners=false). When shrinking, the triangle filter is widened by the scale factor so
/// every input pixel contributes (antialiasing, as PIL's BILINEAR does), instead of sampling.
enum TensorResize {
    /// Per output index: first input index and normalised weights, for one axis.
    struct Taps {
        var start: [Int] = [], weights: [[Float]] = []
    }

    static func taps(input: Int, output: Int) -> Taps {
        let scale = Double(input) / Double(output)
        let support = max(1, scale)
        var t = Taps()
        for o in 0..<output {
            let centre = (Double(o) + 0.5) * scale
            let lo = max(0, Int((centre - support).rounded(.down)))
            let hi = min(input - 1, Int((centre + support).rounded(.up)))
            var w = [Float]()
            for i in lo...hi { w.append(Float(max(0, 1 - abs((Double(i) + 0.5 - centre) / support)))) }
            let sum = w.reduce(0, +)
            if sum > 0 { w = w.map { $0 / sum } } else { w = [Float](repeating: 0, count: w.count); w[0] = 1 }
            t.start.append(lo)
            t.weights.append(w)
        }
        return t
    }

    static func resize(_ x: Tensor, height: Int, width: Int) -> Tensor {
        let (c, h, w) = (x.shape[0], x.shape[1], x.shape[2])
        if h == height && w == width { return x }
        let tx = taps(input: w, output: width), ty = taps(input: h, output: height)
        let mid = Tensor(uninitialized: [c, h, width])       // horizontal pass
        for row in 0..<(c * h) {
            let src = x.data + row * w, dst = mid.data + row * width
            for o in 0..<width {
                var s: Float = 0
                for (k, wt) in tx.weights[o].enumerated() { s += wt * src[tx.start[o] + k] }
                dst[o] = s
            }
        }
        let out = Tensor(uninitialized: [c, height, width])  // vertical pass
        for ch in 0..<c {
            for o in 0..<height {
                let dst = out.data + (ch * height + o) * width
                for j in 0..<width { dst[j] = 0 }
                for (k, wt) in ty.weights[o].enumerated() {
                    let src = mid.data + (ch * h + ty.start[o] + k) * width
                    for j in 0..<width { dst[j] += wt * src[j] }
                }
            }
        }
        return out
    }
}
