import GANTensor

/// An 8-bit image, interleaved channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA), row-major.
public struct Image8: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var channels: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// [C, H, W] in [-1, 1] with `channels` 1 or 3 (default: 1 for gray images, else 3). Alpha is
    /// dropped; gray becomes RGB by replication, RGB becomes gray by ITU-R 601 luma (as PIL's "L").
    public func tensor(channels wanted: Int? = nil) -> Tensor {
        let colour = channels >= 3
        let c = wanted ?? (colour ? 3 : 1)
        let t = Tensor(uninitialized: [c, height, width])
        let plane = width * height, p = t.data
        pixels.withUnsafeBufferPointer { px in
            for i in 0..<plane {
                let base = i * channels
                if c == 1 {
                    let v: Float = colour
                        ? 0.299 * Float(px[base]) + 0.587 * Float(px[base + 1]) + 0.114 * Float(px[base + 2])
                        : Float(px[base])
                    p[i] = v / 127.5 - 1
                } else {
                    for k in 0..<3 { p[k * plane + i] = Float(px[base + (colour ? k : 0)]) / 127.5 - 1 }
                }
            }
        }
        return t
    }

    /// From [C, H, W] (C = 1 or 3) in [-1, 1], clamped and rounded.
    public init(tensor t: Tensor) throws {
        guard t.rank == 3, t.shape[0] == 1 || t.shape[0] == 3 else {
            throw DataError.option(name: "image", reason: "expected [1 or 3, H, W], got \(t.shape)")
        }
        let c = t.shape[0], h = t.shape[1], w = t.shape[2], plane = h * w
        var px = [UInt8](repeating: 0, count: plane * c)
        for i in 0..<plane {
            for k in 0..<c {
                let v = t.data[k * plane + i]
                px[i * c + k] = UInt8(Swift.max(0, Swift.min(255, ((v.isNaN ? -1 : v) + 1) * 127.5 + 0.5)))
            }
        }
        self.init(width: w, height: h, channels: c, pixels: px)
    }
}
