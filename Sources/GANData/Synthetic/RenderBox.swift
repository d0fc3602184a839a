/// An oriented box for the chair rasterizer: a centre, three orthogonal half-extent vectors (the
/// box spans centre +- u +- v +- w) and a base colour in [0, 1].
public struct RenderBox: Sendable {
    public var centre: SIMD3<Float>
    public var u: SIMD3<Float>, v: SIMD3<Float>, w: SIMD3<Float>
    public var colour: SIMD3<Float>

    public init(centre: SIMD3<Float>, u: SIMD3<Float>, v: SIMD3<Float>, w: SIMD3<Float>, colour: SIMD3<Float>) {
        self.centre = centre
        self.u = u
        self.v = v
        self.w = w
        self.colour = colour
    }

    /// An axis-aligned box of full size `size`.
    public init(centre: SIMD3<Float>, size: SIMD3<Float>, colour: SIMD3<Float>) {
        self.init(centre: centre, u: [size.x / 2, 0, 0], v: [0, size.y / 2, 0], w: [0, 0, size.z / 2], colour: colour)
    }

    /// A square beam of side `thickness` from `a` to `b` (legs, rails, slats, struts).
    public static func beam(from a: SIMD3<Float>, to b: SIMD3<Float>, thickness: Float, colour: SIMD3<Float>) -> RenderBox {
        let axis = b - a
        let dir = normalized(axis)
        // Any unit vector not parallel to the beam gives the cross-section frame.
        let helper: SIMD3<Float> = Swift.abs(dir.x) < 0.9 ? [1, 0, 0] : [0, 0, 1]
        let side = normalized(cross(dir, helper)), other = cross(side, dir)
        return RenderBox(centre: (a + b) / 2, u: side * (thickness / 2), v: axis / 2, w: other * (thickness / 2), colour: colour)
    }

    /// The 8 corners, index bits (u, v, w) set meaning +.
    var corners: [SIMD3<Float>] {
        (0..<8).map { (i: Int) -> SIMD3<Float> in
            let a: SIMD3<Float> = i & 1 == 0 ? -u : u
            let b: SIMD3<Float> = i & 2 == 0 ? -v : v
            let c: SIMD3<Float> = i & 4 == 0 ? -w : w
            return centre + a + b + c
        }
    }

    /// The 6 faces as corner indices in cyclic order, with their outward unit normals.
    var faces: [(corners: [Int], normal: SIMD3<Float>)] {
        let (nu, nv, nw) = (normalized(u), normalized(v), normalized(w))
        return [([0, 2, 6, 4], -nu), ([1, 3, 7, 5], nu), ([0, 1, 5, 4], -nv),
                ([2, 3, 7, 6], nv), ([0, 1, 3, 2], -nw), ([4, 5, 7, 6], nw)]
    }

    func transformed(scale: Float, offset: SIMD3<Float>) -> RenderBox {
        RenderBox(centre: (centre + offset) * scale, u: u * scale, v: v * scale, w: w * scale, colour: colour)
    }
}

@inline(__always) func dot(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { (a * b).sum() }
@inline(__always) func cross(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> {
    [a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x]
}
@inline(__always) func normalized(_ a: SIMD3<Float>) -> SIMD3<Float> {
    let n = dot(a, a).squareRoot()
    return n > 0 ? a / n : a
}
