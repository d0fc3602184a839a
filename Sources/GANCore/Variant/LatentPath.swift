import Foundation

/// Paths between two latent vectors for interpolation strips.
public enum LatentPath {
    public static func lerp(_ a: [Float], _ b: [Float], _ t: Float) -> [Float] {
        zip(a, b).map { $0 + t * ($1 - $0) }
    }

    /// Spherical interpolation (Shoemake 1985; White 2016 for GAN latents): follows the great circle,
    /// keeping norms typical of a Gaussian latent; falls back to lerp for (anti)parallel vectors.
    public static func slerp(_ a: [Float], _ b: [Float], _ t: Float) -> [Float] {
        let na = sqrt(a.reduce(0) { $0 + Double($1) * Double($1) }), nb = sqrt(b.reduce(0) { $0 + Double($1) * Double($1) })
        let dot = zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) } / Swift.max(na * nb, 1e-12)
        let omega = acos(Swift.min(1, Swift.max(-1, dot)))
        if sin(omega) < 1e-6 { return lerp(a, b, t) }
        let s0 = sin((1 - Double(t)) * omega) / sin(omega), s1 = sin(Double(t) * omega) / sin(omega)
        return zip(a, b).map { Float(s0 * Double($0) + s1 * Double($1)) }
    }
}
