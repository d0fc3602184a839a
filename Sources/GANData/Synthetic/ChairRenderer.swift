import Foundation
import GANTensor

/// A parametric chair made of boxes (seat, back, legs, optional arms), and a small software
/// rasterizer for it: orthographic view at an azimuth and elevation, z-buffer, Lambert shading from
/// one directional light plus ambient, white background, and a foreground mask.
public struct ChairModel: Sendable {
    public struct Box: Sendable { var centre: SIMD3<Float>; var size: SIMD3<Float>; var colour: SIMD3<Float> }
    public var boxes: [Box]

    /// Class `k` fixes the style (proportions, legs, back, arms, colours); `instance` jitters it.
    public init(classID k: Int, instance: Int, seed: UInt64) {
        let styleRNG = RandomGenerator(seed: seed, stream: 0x4348_0000 &+ UInt64(k))
        let jitterRNG = RandomGenerator(seed: seed, stream: 0x4349_0000 &+ UInt64(k) &* 1000 &+ UInt64(instance))
        func u(_ r: RandomGenerator, _ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * r.nextFloat() }
        func j(_ v: Float) -> Float { v * u(jitterRNG, 0.92, 1.08) }
        let width = j(u(styleRNG, 0.8, 1.2)), depth = j(u(styleRNG, 0.7, 1.1))
        let seatHeight = j(u(styleRNG, 0.7, 1.0)), seatThick = u(styleRNG, 0.08, 0.2)
        let backHeight = j(u(styleRNG, 0.5, 1.3)), backThick = u(styleRNG, 0.06, 0.16)
        let legThick = u(styleRNG, 0.06, 0.16), pedestal = k % 5 == 4, arms = k % 3 == 1
        let seatColour = SIMD3<Float>(u(styleRNG, 0.1, 0.9), u(styleRNG, 0.1, 0.9), u(styleRNG, 0.1, 0.9))
        let legColour = styleRNG.nextFloat() < 0.5 ? seatColour * 0.6 : SIMD3<Float>(repeating: u(styleRNG, 0.1, 0.4))
        var b: [Box] = []
        b.append(Box(centre: [0, seatHeight, 0], size: [width, seatThick, depth], colour: seatColour))
        b.append(Box(centre: [0, seatHeight + backHeight / 2, -depth / 2 + backThick / 2], size: [width, backHeight, backThick], colour: seatColour * 0.9))
        if pedestal {
            b.append(Box(centre: [0, seatHeight / 2, 0], size: [legThick * 1.5, seatHeight, legThick * 1.5], colour: legColour))
            b.append(Box(centre: [0, 0.03, 0], size: [width * 0.9, 0.06, depth * 0.9], colour: legColour))
        } else {
            for sx in [-1, 1] as [Float] {
                for sz in [-1, 1] as [Float] {
                    b.append(Box(centre: [sx * (width - legThick) / 2, seatHeight / 2, sz * (depth - legThick) / 2],
                                 size: [legThick, seatHeight, legThick], colour: legColour))
                }
            }
        }
        if arms {
            for sx in [-1, 1] as [Float] {
                b.append(Box(centre: [sx * width / 2, seatHeight + 0.25, 0], size: [0.08, 0.08, depth], colour: legColour))
                b.append(Box(centre: [sx * width / 2, seatHeight + 0.12, depth / 2 - 0.05], size: [0.06, 0.25, 0.06], colour: legColour))
            }
        }
        boxes = b
    }

    /// RGB [3, size, size] in [-1, 1] on white, and the mask [1, size, size] in {0, 1}.
    public func render(size: Int, azimuth: Float, elevation: Float) -> (image: Tensor, mask: Tensor) {
        let image = Tensor(repeating: 1, shape: [3, size, size]), mask = Tensor(zeros: [1, size, size])
        var depthBuffer = [Float](repeating: -.infinity, count: size * size)
        let (ca, sa, ce, se) = (cos(azimuth), sin(azimuth), cos(elevation), sin(elevation))
        // View transform: rotate about y by the azimuth, then tilt by the elevation; centre the chair.
        func view(_ p: SIMD3<Float>) -> SIMD3<Float> {
            let q = SIMD3<Float>(p.x, p.y - 0.9, p.z)
            let x = ca * q.x + sa * q.z, z = -sa * q.x + ca * q.z
            return SIMD3<Float>(x, ce * q.y - se * z, se * q.y + ce * z)
        }
        let light = simd_normalize3(SIMD3<Float>(0.4, 0.8, 0.6))
        let scale = Float(size) / 2.6
        for box in boxes {
            let h = box.size / 2
            let corners = (0..<8).map { i -> SIMD3<Float> in
                view(box.centre + SIMD3<Float>(i & 1 == 0 ? -h.x : h.x, i & 2 == 0 ? -h.y : h.y, i & 4 == 0 ? -h.z : h.z))
            }
            // Faces as corner indices, with their outward normals in model space.
            let faces: [([Int], SIMD3<Float>)] = [([0, 2, 6, 4], [-1, 0, 0]), ([1, 3, 7, 5], [1, 0, 0]), ([0, 1, 5, 4], [0, -1, 0]),
                                                  ([2, 3, 7, 6], [0, 1, 0]), ([0, 1, 3, 2], [0, 0, -1]), ([4, 5, 7, 6], [0, 0, 1])]
            for (idx, n) in faces {
                let vn = view(n + SIMD3<Float>(0, 0.9, 0))
                let shade = 0.35 + 0.65 * Swift.max(0, simd_dot3(vn, light))
                let colour = box.colour * shade
                let pts = idx.map { corners[$0] }
                for tri in [[pts[0], pts[1], pts[2]], [pts[0], pts[2], pts[3]]] {
                    rasterize(tri, scale: scale, size: size) { x, y, z in
                        let o = y * size + x
                        guard z > depthBuffer[o] else { return }
                        depthBuffer[o] = z
                        for k in 0..<3 { image.data[k * size * size + o] = colour[k] * 2 - 1 }
                        mask.data[o] = 1
                    }
                }
            }
        }
        return (image, mask)
    }

    private func rasterize(_ t: [SIMD3<Float>], scale: Float, size: Int, _ plot: (Int, Int, Float) -> Void) {
        let p = t.map { SIMD2<Float>($0.x * scale + Float(size) / 2, Float(size) / 2 - $0.y * scale) }
        let area = (p[1].x - p[0].x) * (p[2].y - p[0].y) - (p[2].x - p[0].x) * (p[1].y - p[0].y)
        guard abs(area) > 1e-6 else { return }
        let minX = Swift.max(0, Int(Swift.min(p[0].x, p[1].x, p[2].x))), maxX = Swift.min(size - 1, Int(Swift.max(p[0].x, p[1].x, p[2].x)))
        let minY = Swift.max(0, Int(Swift.min(p[0].y, p[1].y, p[2].y))), maxY = Swift.min(size - 1, Int(Swift.max(p[0].y, p[1].y, p[2].y)))
        guard minX <= maxX, minY <= maxY else { return }
        for y in minY...maxY {
            for x in minX...maxX {
                let c = SIMD2<Float>(Float(x) + 0.5, Float(y) + 0.5)
                let w0 = ((p[1].x - c.x) * (p[2].y - c.y) - (p[2].x - c.x) * (p[1].y - c.y)) / area
                let w1 = ((p[2].x - c.x) * (p[0].y - c.y) - (p[0].x - c.x) * (p[2].y - c.y)) / area
                let w2 = 1 - w0 - w1
                if w0 >= 0, w1 >= 0, w2 >= 0 { plot(x, y, w0 * t[0].z + w1 * t[1].z + w2 * t[2].z) }
            }
        }
    }
}

@inline(__always) func simd_dot3(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { (a * b).sum() }
@inline(__always) func simd_normalize3(_ a: SIMD3<Float>) -> SIMD3<Float> { a / simd_dot3(a, a).squareRoot() }
