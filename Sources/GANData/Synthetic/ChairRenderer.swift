import Foundation
import GANTensor

/// A small software rasterizer for box models: a perspective camera on a sphere around the origin
/// (azimuth about the vertical axis, elevation above the horizon), back-face culling, a z-buffer on
/// inverse depth, flat Lambert shading from a light fixed to the camera (upper left, in front)
/// plus ambient, `supersample` x `supersample` samples per pixel. Models are expected inside the
/// unit sphere. The mask is 1 where at least half of a pixel's samples hit the model; there the
/// image is the mean colour of the samples that hit, elsewhere pure white, so
/// image = mask * colour + (1 - mask) * white holds exactly.
public enum ChairRenderer {
    /// Camera distance from the origin in model units (the model fits the unit sphere).
    static let distance: Float = 3.5
    /// Fraction of the half-frame the unit sphere's silhouette spans.
    static let silhouette: Float = 0.98
    static let ambient: Float = 0.4
    static let lightInView = normalized([-0.4, 0.55, 0.75])

    /// RGB [3, size, size] in [-1, 1] and the mask [1, size, size] in {0, 1}. Angles in radians;
    /// azimuth 0 looks at the model's +z side (a chair's front).
    public static func render(_ boxes: [RenderBox], size: Int, azimuth: Float, elevation: Float,
                              augmentation: ChairAugmentation = .identity, supersample: Int = 2) -> (image: Tensor, mask: Tensor) {
        let ss = Swift.max(1, supersample), n = size * ss
        let camera = distance * SIMD3<Float>(sin(azimuth) * cos(elevation), sin(elevation), cos(azimuth) * cos(elevation))
        let forward = -normalized(camera)
        let right = normalized(cross(forward, [0, 1, 0])), up = cross(right, forward)
        let light = normalized(right * lightInView.x + up * lightInView.y - forward * lightInView.z)
        let focal = silhouette * (distance * distance - 1).squareRoot()

        var depth = [Float](repeating: 0, count: n * n)  // inverse depth; 0 = nothing
        var colour = [SIMD3<Float>](repeating: .zero, count: n * n)
        for box in boxes {
            let corners = box.corners
            // Screen position (pixels of the supersampled raster) and inverse depth per corner.
            let projected = corners.map { p -> SIMD3<Float> in
                let d = dot(p - camera, forward)
                let (x, y) = augmentation.apply(focal * dot(p, right) / d, focal * dot(p, up) / d)
                return [(x + 1) / 2 * Float(n), (1 - y) / 2 * Float(n), 1 / d]
            }
            let base = augmentation.apply(colour: box.colour)
            for face in box.faces {
                let centre = face.corners.reduce(SIMD3<Float>.zero) { $0 + corners[$1] } / 4
                guard dot(face.normal, camera - centre) > 0 else { continue }  // faces away
                let shade = ambient + (1 - ambient) * Swift.max(0, dot(face.normal, light))
                let c = base * shade
                let q = face.corners.map { projected[$0] }
                fill(q[0], q[1], q[2], c, n, &depth, &colour)
                fill(q[0], q[2], q[3], c, n, &depth, &colour)
            }
        }
        return resolve(depth, colour, size: size, supersample: ss)
    }

    /// Scan-converts one triangle (pixel centres at +0.5) into the buffers, nearest wins.
    static func fill(_ a: SIMD3<Float>, _ b: SIMD3<Float>, _ c: SIMD3<Float>, _ rgb: SIMD3<Float>, _ n: Int,
                     _ depth: inout [Float], _ colour: inout [SIMD3<Float>]) {
        let area = (b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)
        guard Swift.abs(area) > 1e-9 else { return }
        let x0 = Swift.max(0, Int((Swift.min(a.x, b.x, c.x) - 0.5).rounded(.up)))
        let x1 = Swift.min(n - 1, Int((Swift.max(a.x, b.x, c.x) - 0.5).rounded(.down)))
        let y0 = Swift.max(0, Int((Swift.min(a.y, b.y, c.y) - 0.5).rounded(.up)))
        let y1 = Swift.min(n - 1, Int((Swift.max(a.y, b.y, c.y) - 0.5).rounded(.down)))
        guard x0 <= x1, y0 <= y1 else { return }
        let inv = 1 / area
        for y in y0...y1 {
            let py = Float(y) + 0.5
            for x in x0...x1 {
                let px = Float(x) + 0.5
                let wa = ((b.x - px) * (c.y - py) - (c.x - px) * (b.y - py)) * inv
                let wb = ((c.x - px) * (a.y - py) - (a.x - px) * (c.y - py)) * inv
                let wc = 1 - wa - wb
                guard wa >= 0, wb >= 0, wc >= 0 else { continue }
                // Inverse depth is affine in screen space under perspective.
                let z = wa * a.z + wb * b.z + wc * c.z
                let i = y * n + x
                if z > depth[i] {
                    depth[i] = z
                    colour[i] = rgb
                }
            }
        }
    }

    static func resolve(_ depth: [Float], _ colour: [SIMD3<Float>], size: Int, supersample ss: Int) -> (image: Tensor, mask: Tensor) {
        let n = size * ss, plane = size * size
        let image = Tensor(repeating: 1, shape: [3, size, size]), mask = Tensor(zeros: [1, size, size])
        for y in 0..<size {
            for x in 0..<size {
                var hits = 0
                var sum = SIMD3<Float>.zero
                for dy in 0..<ss {
                    for dx in 0..<ss {
                        let i = (y * ss + dy) * n + x * ss + dx
                        if depth[i] > 0 { hits += 1; sum += colour[i] }
                    }
                }
                guard 2 * hits >= ss * ss, hits > 0 else { continue }
                let o = y * size + x, mean = sum / Float(hits)
                mask.data[o] = 1
                for k in 0..<3 { image.data[k * plane + o] = 2 * mean[k] - 1 }
            }
        }
        return (image, mask)
    }
}
