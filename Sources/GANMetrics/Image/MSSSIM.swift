import Foundation
import GANTensor

/// Multi-scale structural similarity (Wang, Simoncelli & Bovik 2003, "Multiscale Structural
/// Similarity for Image Quality Assessment"): the contrast-structure term at each scale, the full
/// SSIM at the coarsest, combined as a weighted geometric mean
///     MS-SSIM = Π_{j<M-1} cs_j^{w_j} · ssim_{M-1}^{w_{M-1}},
/// halving the image by 2x2 average pooling between scales (odd sizes floor).
///
/// Small images: the paper's 5 scales need the coarsest scale to still hold the 11x11 window,
/// i.e. sides >= 176. Smaller images use as many scales M as fit (the largest M <= 5 with
/// side / 2^(M-1) >= 11) and the first M standard weights renormalised to sum to 1; 28x28 and
/// 32x32 images get M = 2 (weights 0.0448 and 0.2856 become 0.1356 and 0.8644), 64x64 M = 3.
/// Values are therefore comparable only between images of the same size. As in TensorFlow's
/// ssim_multiscale, negative per-scale terms are clamped to 0 before the fractional powers.
/// Colour images average the per-channel values.
public enum MSSSIM {
    /// The paper's per-scale exponents, finest scale first.
    public static let standardWeights = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333]

    /// Number of scales used for height x width images (0 when even one does not fit).
    public static func scaleCount(height: Int, width: Int) -> Int {
        var side = min(height, width), m = 0
        while m < standardWeights.count && side >= SSIM.windowSize {
            m += 1
            side /= 2
        }
        return m
    }

    /// The exponents used for `scales` scales: the first `scales` standard weights, summing to 1.
    public static func weights(scales: Int) -> [Double] {
        let w = Array(standardWeights.prefix(scales))
        let total = w.reduce(0, +)
        return w.map { $0 / total }
    }

    /// MS-SSIM of each pair (a[i], b[i]) of [N, C, H, W] batches, H, W >= 11; 1 for identical
    /// images, 0 at worst.
    public static func compute(_ a: Tensor, _ b: Tensor, dataRange: Double = 2) throws -> [Double] {
        try ImagePairInput.check(a, b, op: "MSSSIM.compute", minSide: SSIM.windowSize)
        try ImagePairInput.checkDataRange(dataRange, op: "MSSSIM.compute")
        let shape = Array(a.shape.dropFirst())
        let constants = SSIM.Constants(dataRange: dataRange)
        return ImagePairInput.perPair(a, b) { x, y, _ in pair(x, y, imageShape: shape, constants) }
    }

    /// MS-SSIM of one pair of [C, H, W] images stored at `x` and `y`.
    static func pair(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, imageShape: [Int], _ k: SSIM.Constants) -> Double {
        let c = imageShape[0], h = imageShape[1], w = imageShape[2]
        let scales = scaleCount(height: h, width: w)
        let exponents = weights(scales: scales)
        var total = 0.0
        for ch in 0..<c {
            var px = Plane(x + ch * h * w, height: h, width: w), py = Plane(y + ch * h * w, height: h, width: w)
            var value = 1.0
            for j in 0..<scales {
                let (ssim, cs) = SSIM.components(px, py, k)
                let term = j == scales - 1 ? ssim : cs
                value *= pow(max(term, 0), exponents[j])
                if j < scales - 1 {
                    px = px.halved()
                    py = py.halved()
                }
            }
            total += value
        }
        return total / Double(c)
    }
}
