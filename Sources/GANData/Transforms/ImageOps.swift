import GANTensor

/// Raw image operations on [C, H, W] tensors (data preparation: no autodiff).
public enum ImageOps {
    /// Bilinear resize with half-pixel centres (align_corners = false, as torchvision's tensor
    /// resize without antialiasing).
    public static func resize(_ x: Tensor, height oh: Int, width ow: Int) -> Tensor {
        let c = x.shape[0], h = x.shape[1], w = x.shape[2]
        if h == oh && w == ow { return x }
        let out = Tensor(uninitialized: [c, oh, ow])
        let sy = Float(h) / Float(oh), sx = Float(w) / Float(ow)
        for y in 0..<oh {
            let fy = Swift.max(0, (Float(y) + 0.5) * sy - 0.5)
            let y0 = Swift.min(Int(fy), h - 1), y1 = Swift.min(y0 + 1, h - 1), ty = fy - Float(y0)
            for xo in 0..<ow {
                let fx = Swift.max(0, (Float(xo) + 0.5) * sx - 0.5)
                let x0 = Swift.min(Int(fx), w - 1), x1 = Swift.min(x0 + 1, w - 1), tx = fx - Float(x0)
                for k in 0..<c {
                    let p = x.data + k * h * w
                    let top = p[y0 * w + x0] * (1 - tx) + p[y0 * w + x1] * tx
                    let bottom = p[y1 * w + x0] * (1 - tx) + p[y1 * w + x1] * tx
                    out.data[(k * oh + y) * ow + xo] = top * (1 - ty) + bottom * ty
                }
            }
        }
        return out
    }

    public static func crop(_ x: Tensor, top: Int, left: Int, height: Int, width: Int) throws -> Tensor {
        let c = x.shape[0], h = x.shape[1], w = x.shape[2]
        guard top >= 0, left >= 0, top + height <= h, left + width <= w else {
            throw DataError.option(name: "crop", reason: "\(height)x\(width) at (\(top), \(left)) does not fit in \(h)x\(w)")
        }
        let out = Tensor(uninitialized: [c, height, width])
        for k in 0..<c {
            for y in 0..<height {
                (out.data + (k * height + y) * width).update(from: x.data + (k * h + top + y) * w + left, count: width)
            }
        }
        return out
    }

    public static func flipHorizontal(_ x: Tensor) -> Tensor {
        let c = x.shape[0], h = x.shape[1], w = x.shape[2]
        let out = Tensor(uninitialized: x.shape)
        for r in 0..<(c * h) {
            for i in 0..<w { out.data[r * w + i] = x.data[r * w + w - 1 - i] }
        }
        return out
    }

    /// RGB -> gray by ITU-R 601 luma; gray stays.
    public static func grayscale(_ x: Tensor) -> Tensor {
        guard x.shape[0] == 3 else { return x }
        let plane = x.shape[1] * x.shape[2]
        let out = Tensor(uninitialized: [1, x.shape[1], x.shape[2]])
        for i in 0..<plane { out.data[i] = 0.299 * x.data[i] + 0.587 * x.data[plane + i] + 0.114 * x.data[2 * plane + i] }
        return out
    }

    /// Gray -> RGB by replication; RGB stays.
    public static func rgb(_ x: Tensor) -> Tensor {
        guard x.shape[0] == 1 else { return x }
        let plane = x.shape[1] * x.shape[2]
        let out = Tensor(uninitialized: [3, x.shape[1], x.shape[2]])
        for k in 0..<3 { (out.data + k * plane).update(from: x.data, count: plane) }
        return out
    }

    /// Pads every side with `value` (-1 is black in [-1, 1]).
    public static func pad(_ x: Tensor, _ p: Int, value: Float = -1) -> Tensor {
        let c = x.shape[0], h = x.shape[1], w = x.shape[2]
        let out = Tensor(repeating: value, shape: [c, h + 2 * p, w + 2 * p])
        for k in 0..<c {
            for y in 0..<h { (out.data + (k * (h + 2 * p) + y + p) * (w + 2 * p) + p).update(from: x.data + (k * h + y) * w, count: w) }
        }
        return out
    }
}
