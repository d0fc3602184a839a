import GANTensor

/// Conversion between 8-bit images and the [C,H,W] tensors in [-1, 1] that every variant uses:
/// value v maps to v/127.5 - 1 and back with rounding and clamping.
extension Image8 {
    /// [C,H,W] in [-1, 1]. `channels` 1 or 3 converts gray<->RGB (luma by ITU-R BT.601 weights,
    /// as PIL's convert("L")); nil keeps gray as 1 channel and colour as 3. Alpha is dropped.
    /// Datasets check user-supplied channel counts; any other value is a programming error.
    public func tensor(channels wanted: Int? = nil) -> Tensor {
        let colour = channels >= 3
        let outC = wanted ?? (colour ? 3 : 1)
        precondition(outC == 1 || outC == 3, "Image8.tensor: channels must be 1 or 3, got \(outC)")
        let plane = width * height
        let out = Tensor(uninitialized: [outC, height, width])
        let dst = out.data
        let scale: Float = 1 / 127.5
        let c = channels
        pixels.withUnsafeBufferPointer { src in
            for p in 0..<plane {
                let base = p * c
                if colour {
                    let r = Float(src[base]), g = Float(src[base + 1]), b = Float(src[base + 2])
                    if outC == 3 {
                        dst[p] = r * scale - 1
                        dst[plane + p] = g * scale - 1
                        dst[2 * plane + p] = b * scale - 1
                    } else {
                        dst[p] = (0.299 * r + 0.587 * g + 0.114 * b) * scale - 1
                    }
                } else {
                    let v = Float(src[base]) * scale - 1
                    for k in 0..<outC { dst[k * plane + p] = v }
                }
            }
        }
        return out
    }

    /// From a [C,H,W] tensor (C in 1...4) in [-1, 1]; values outside are clamped, NaN becomes 0.
    public init(tensor: Tensor) throws {
        guard tensor.rank == 3, (1...4).contains(tensor.shape[0]), tensor.shape[1] > 0, tensor.shape[2] > 0 else {
            throw TensorError.invalidShape(op: "Image8(tensor:)", shape: tensor.shape, reason: "needs [C,H,W] with C in 1...4")
        }
        let (c, h, w) = (tensor.shape[0], tensor.shape[1], tensor.shape[2])
        let plane = h * w
        var pixels = [UInt8](repeating: 0, count: plane * c)
        let src = tensor.data
        pixels.withUnsafeMutableBufferPointer { dst in
            for k in 0..<c {
                for p in 0..<plane { dst[p * c + k] = Image8.byte(src[k * plane + p]) }
            }
        }
        self.init(width: w, height: h, channels: c, pixels: pixels)
    }

    @inline(__always)
    static func byte(_ x: Float) -> UInt8 {
        let v = ((x + 1) * 127.5).rounded()
        guard v > 0 else { return 0 }   // also NaN
        return v >= 255 ? 255 : UInt8(v)
    }
}
