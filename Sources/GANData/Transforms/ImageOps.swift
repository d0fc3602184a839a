import GANTensor

/// Raw operations on one [C, H, W] image tensor for data preparation: new tensors computed from
/// the buffers, no autodiff. Bad shapes or arguments throw DataError naming the operation.
public enum ImageOps {
    static func dims(_ x: Tensor, _ op: String) throws -> (Int, Int, Int) {
        guard x.rank == 3, x.shape.allSatisfy({ $0 > 0 }) else {
            throw DataError.option(name: op, reason: "expects an image [C, H, W], got shape \(x.shape)")
        }
        return (x.shape[0], x.shape[1], x.shape[2])
    }

    public static func crop(_ x: Tensor, top: Int, left: Int, height: Int, width: Int) throws -> Tensor {
        let (c, h, w) = try dims(x, "crop")
        guard top >= 0, left >= 0, height >= 1, width >= 1, top + height <= h, left + width <= w else {
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

    /// torchvision's centre crop offsets: round((H - h) / 2) with Python's round-half-to-even.
    public static func centerCropOrigin(height h: Int, width w: Int, cropHeight ch: Int, cropWidth cw: Int) -> (top: Int, left: Int) {
        (Int((Double(h - ch) / 2).rounded(.toNearestOrEven)), Int((Double(w - cw) / 2).rounded(.toNearestOrEven)))
    }

    public static func centerCrop(_ x: Tensor, height: Int, width: Int) throws -> Tensor {
        let (_, h, w) = try dims(x, "center_crop")
        let o = centerCropOrigin(height: h, width: w, cropHeight: height, cropWidth: width)
        return try crop(x, top: o.top, left: o.left, height: height, width: width)
    }

    public static func flipHorizontal(_ x: Tensor) throws -> Tensor {
        let (c, h, w) = try dims(x, "hflip")
        let out = Tensor(uninitialized: x.shape)
        for r in 0..<(c * h) {
            let src = x.data + r * w, dst = out.data + r * w
            for i in 0..<w { dst[i] = src[w - 1 - i] }
        }
        return out
    }

    /// RGB -> one channel by ITU-R 601-2 luma (torchvision's weights; they sum to 1, so the
    /// [-1, 1] range is kept); a one-channel image is returned as a copy.
    public static func grayscale(_ x: Tensor) throws -> Tensor {
        let (c, h, w) = try dims(x, "grayscale")
        if c == 1 { return x.copy() }
        guard c == 3 else { throw DataError.option(name: "grayscale", reason: "expects 1 or 3 channels, got \(c)") }
        let plane = h * w
        let out = Tensor(uninitialized: [1, h, w])
        let p = x.data
        for i in 0..<plane { out.data[i] = 0.299 * p[i] + 0.587 * p[plane + i] + 0.114 * p[2 * plane + i] }
        return out
    }

    /// One channel -> RGB by replication; an RGB image is returned as a copy.
    public static func rgb(_ x: Tensor) throws -> Tensor {
        let (c, h, w) = try dims(x, "rgb")
        if c == 3 { return x.copy() }
        guard c == 1 else { throw DataError.option(name: "rgb", reason: "expects 1 or 3 channels, got \(c)") }
        let out = Tensor(uninitialized: [3, h, w])
        for k in 0..<3 { (out.data + k * h * w).update(from: x.data, count: h * w) }
        return out
    }

    /// (x - mean[c]) / std[c] per channel; one mean and std apply to every channel.
    public static func normalize(_ x: Tensor, mean: [Float], std: [Float]) throws -> Tensor {
        let (c, h, w) = try dims(x, "normalize")
        guard mean.count == std.count, mean.count == 1 || mean.count == c, std.allSatisfy({ $0 != 0 }) else {
            throw DataError.option(name: "normalize", reason: "needs 1 or \(c) means and as many non-zero stds, got \(mean) and \(std)")
        }
        let out = Tensor(uninitialized: x.shape)
        for k in 0..<c {
            let m = mean[mean.count == 1 ? 0 : k], s = std[std.count == 1 ? 0 : k]
            let src = x.data + k * h * w, dst = out.data + k * h * w
            for i in 0..<(h * w) { dst[i] = (src[i] - m) / s }
        }
        return out
    }

    public enum PadMode: Equatable, Sendable {
        /// A fixed value (-1 is black, 1 white in [-1, 1] images).
        case constant(Float)
        /// Mirror without repeating the edge pixel (numpy "reflect", torchvision "reflect").
        case reflect
        /// Repeat the edge pixel.
        case replicate

        var isConstant: Bool { if case .constant = self { return true } else { return false } }
    }

    public static func pad(_ x: Tensor, top: Int, bottom: Int, left: Int, right: Int, mode: PadMode = .constant(-1)) throws -> Tensor {
        let (c, h, w) = try dims(x, "pad")
        guard top >= 0, bottom >= 0, left >= 0, right >= 0 else {
            throw DataError.option(name: "pad", reason: "amounts must be >= 0, got \([top, bottom, left, right])")
        }
        if mode == .reflect, Swift.max(top, bottom) >= h || Swift.max(left, right) >= w {
            throw DataError.option(name: "pad", reason: "reflect padding must be smaller than the image \(h)x\(w)")
        }
        let oh = h + top + bottom, ow = w + left + right
        let out = Tensor(uninitialized: [c, oh, ow])
        // Output coordinate -> input coordinate (nil: outside, constant fill).
        func source(_ o: Int, _ before: Int, _ n: Int) -> Int? {
            let i = o - before
            if i >= 0 && i < n { return i }
            switch mode {
            case .constant: return nil
            case .replicate: return Swift.min(Swift.max(i, 0), n - 1)
            case .reflect: return i < 0 ? -i : 2 * (n - 1) - i
            }
        }
        let fill: Float = { if case let .constant(v) = mode { return v }; return 0 }()
        let cols = (0..<ow).map { source($0, left, w) }
        for k in 0..<c {
            for y in 0..<oh {
                let dst = out.data + (k * oh + y) * ow
                guard let sy = source(y, top, h) else {
                    dst.initialize(repeating: fill, count: ow)
                    continue
                }
                let src = x.data + (k * h + sy) * w
                for j in 0..<ow { dst[j] = cols[j].map { src[$0] } ?? fill }
            }
        }
        return out
    }

    /// The same amount on every side.
    public static func pad(_ x: Tensor, _ amount: Int, mode: PadMode = .constant(-1)) throws -> Tensor {
        try pad(x, top: amount, bottom: amount, left: amount, right: amount, mode: mode)
    }
}
