import GANTensor

/// Line drawings from images for edges2X pairs. Isola et al. (2017) made edges2shoes with HED
/// edges; here a "Canny-lite": Sobel gradients of the gray image mapped to [0, 1], non-maximum
/// suppression across the gradient direction (thin lines), and one absolute threshold on the
/// gradient magnitude (no hysteresis). Output [1, H, W]: edges -1 (black) on 1 (white), as in the
/// edges2shoes A images.
public enum EdgeMap {
    /// `threshold` is in Sobel units on [0, 1] intensities: a sharp step of height s gives a
    /// magnitude of 4 s at the two pixels beside it, so the default 0.5 keeps steps above 1/8.
    public static func sobel(_ image: Tensor, threshold: Float = 0.5, thin: Bool = true) throws -> Tensor {
        let gray = try ImageOps.grayscale(image)
        let h = gray.shape[1], w = gray.shape[2]
        let g = gray.data
        // Replicated border, intensities mapped from [-1, 1] to [0, 1].
        func at(_ y: Int, _ x: Int) -> Float {
            (g[Swift.min(Swift.max(y, 0), h - 1) * w + Swift.min(Swift.max(x, 0), w - 1)] + 1) / 2
        }
        var gx = [Float](repeating: 0, count: h * w), gy = gx, mag = gx
        for y in 0..<h {
            for x in 0..<w {
                let dx = at(y - 1, x + 1) + 2 * at(y, x + 1) + at(y + 1, x + 1) - at(y - 1, x - 1) - 2 * at(y, x - 1) - at(y + 1, x - 1)
                let dy = at(y + 1, x - 1) + 2 * at(y + 1, x) + at(y + 1, x + 1) - at(y - 1, x - 1) - 2 * at(y - 1, x) - at(y - 1, x + 1)
                gx[y * w + x] = dx
                gy[y * w + x] = dy
                mag[y * w + x] = (dx * dx + dy * dy).squareRoot()
            }
        }
        func m(_ y: Int, _ x: Int) -> Float { y < 0 || y >= h || x < 0 || x >= w ? 0 : mag[y * w + x] }
        let out = Tensor(repeating: 1, shape: [1, h, w])
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                guard mag[i] > threshold else { continue }
                if thin {
                    // Neighbours along the gradient, quantised to 0, 45, 90 or 135 degrees; a tie
                    // keeps both pixels (a step between two pixels stays two pixels wide).
                    let (sx, sy) = direction(gx[i], gy[i])
                    guard mag[i] >= m(y + sy, x + sx), mag[i] >= m(y - sy, x - sx) else { continue }
                }
                out.data[i] = -1
            }
        }
        return out
    }

    /// The pixel step closest to the gradient direction (dx, dy).
    static func direction(_ dx: Float, _ dy: Float) -> (Int, Int) {
        let ax = Swift.abs(dx), ay = Swift.abs(dy)
        // tan(22.5 deg) = 0.4142: within it of an axis, step along that axis; else diagonally.
        if ay <= 0.4142 * ax { return (1, 0) }
        if ax <= 0.4142 * ay { return (0, 1) }
        return (dx * dy > 0) ? (1, 1) : (1, -1)
    }
}
