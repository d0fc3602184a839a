import Foundation
import GANTensor

/// Structural similarity (Wang, Bovik, Sheikh & Simoncelli 2004, "Image Quality Assessment:
/// From Error Visibility to Structural Similarity"), with the paper's constants: an 11x11
/// Gaussian window of σ = 1.5, K1 = 0.01, K2 = 0.03, C = (K·L)² for data range L (2 for images in
/// [-1, 1]). Local statistics use the window weights (population, not sample, covariance) and are
/// taken only where the window fits inside the image ('valid'), which is what scikit-image's
/// structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False) averages
/// over after cropping its border. Colour images average the per-channel values.
public enum SSIM {
    public static let windowSize = 11
    public static let sigma = 1.5
    public static let k1 = 0.01
    public static let k2 = 0.03

    /// SSIM of each pair (a[i], b[i]) of [N, C, H, W] batches, H, W >= 11; 1 for identical images.
    public static func compute(_ a: Tensor, _ b: Tensor, dataRange: Double = 2) throws -> [Double] {
        try ImagePairInput.check(a, b, op: "SSIM.compute", minSide: windowSize)
        try ImagePairInput.checkDataRange(dataRange, op: "SSIM.compute")
        let c = a.shape[1], h = a.shape[2], w = a.shape[3]
        let constants = Constants(dataRange: dataRange)
        return ImagePairInput.perPair(a, b) { x, y, _ in
            (0..<c).reduce(0) { acc, ch in
                acc + components(Plane(x + ch * h * w, height: h, width: w),
                                 Plane(y + ch * h * w, height: h, width: w), constants).ssim
            } / Double(c)
        }
    }

    /// The normalised Gaussian window (the paper's 11 taps of σ = 1.5).
    static let window: [Double] = {
        let r = windowSize / 2
        let raw = (-r...r).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }()

    struct Constants {
        let c1: Double, c2: Double
        init(dataRange: Double) {
            c1 = (k1 * dataRange) * (k1 * dataRange)
            c2 = (k2 * dataRange) * (k2 * dataRange)
        }
    }

    /// Mean SSIM and mean contrast-structure term cs = (2σxy + C2) / (σx² + σy² + C2) over the
    /// valid positions of one channel (MS-SSIM uses cs at all but its coarsest scale).
    static func components(_ x: Plane, _ y: Plane, _ k: Constants) -> (ssim: Double, cs: Double) {
        let mx = x.filteredValid(window).values, my = y.filteredValid(window).values
        let xx = x.times(x).filteredValid(window).values, yy = y.times(y).filteredValid(window).values
        let xy = x.times(y).filteredValid(window).values
        var ssim = 0.0, cs = 0.0
        for i in mx.indices {
            let vx = xx[i] - mx[i] * mx[i], vy = yy[i] - my[i] * my[i], cov = xy[i] - mx[i] * my[i]
            let contrast = (2 * cov + k.c2) / (vx + vy + k.c2)
            let luminance = (2 * mx[i] * my[i] + k.c1) / (mx[i] * mx[i] + my[i] * my[i] + k.c1)
            cs += contrast
            ssim += luminance * contrast
        }
        return (ssim / Double(mx.count), cs / Double(mx.count))
    }
}
