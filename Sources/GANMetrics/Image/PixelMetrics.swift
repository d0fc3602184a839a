import Foundation
import GANTensor

/// Peak signal-to-noise ratio per image pair: 10·log10(L² / MSE) over all C·H·W values, with L the
/// data range (2 for images in [-1, 1]). Identical images have MSE 0 and return +infinity
/// (Double.infinity), as scikit-image's peak_signal_noise_ratio does; average in the MSE domain
/// or filter infinities before taking a mean of PSNRs.
public enum PSNR {
    public static func compute(_ a: Tensor, _ b: Tensor, dataRange: Double = 2) throws -> [Double] {
        try ImagePairInput.check(a, b, op: "PSNR.compute")
        try ImagePairInput.checkDataRange(dataRange, op: "PSNR.compute")
        return ImagePairInput.perPair(a, b) { x, y, n in
            var se = 0.0
            for i in 0..<n {
                let d = Double(x[i]) - Double(y[i])
                se += d * d
            }
            let mse = se / Double(n)
            return mse == 0 ? .infinity : 10 * log10(dataRange * dataRange / mse)
        }
    }
}

/// Mean absolute difference per image pair over all C·H·W values (the pix2pix reconstruction
/// measure), in the images' own units.
public enum L1 {
    public static func compute(_ a: Tensor, _ b: Tensor) throws -> [Double] {
        try ImagePairInput.check(a, b, op: "L1.compute")
        return ImagePairInput.perPair(a, b) { x, y, n in
            var s = 0.0
            for i in 0..<n { s += abs(Double(x[i]) - Double(y[i])) }
            return s / Double(n)
        }
    }
}
