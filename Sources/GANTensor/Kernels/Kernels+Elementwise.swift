import Foundation

/// Raw elementwise kernels over contiguous buffers. No autodiff here: ops in Ops/ call these in
/// their forward and express their backward in differentiable ops.
public enum Kernels {
    /// y = f(x) elementwise. `grain`: elements below which one thread does it all (lower for a
    /// costly f such as a libm transcendental, which runs scalar at 10-20 ns an element).
    @inline(__always)
    public static func map(_ x: Tensor, grain: Int = Parallel.grain, _ f: (Float) -> Float) -> Tensor {
        let y = Tensor(uninitialized: x.shape)
        let xp = x.data, yp = y.data
        Parallel.forChunks(x.count, grain: grain) { s, e in
            for i in s..<e { yp[i] = f(xp[i]) }
        }
        return y
    }

    /// Chunk size for `map` of a libm transcendental (exp, log, tanh, pow): DCGAN-28's output
    /// tanh (64 x 784 values) took 0.8 ms on one thread.
    public static let transcendentalGrain = 1 << 12

    /// z = f(x, y) elementwise on two tensors of the same shape.
    @inline(__always)
    public static func zip(_ x: Tensor, _ y: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        let z = Tensor(uninitialized: x.shape)
        let xp = x.data, yp = y.data, zp = z.data
        Parallel.forChunks(x.count) { s, e in
            for i in s..<e { zp[i] = f(xp[i], yp[i]) }
        }
        return z
    }

    /// x + y on two tensors of the same shape. Written out because `zip`'s closure is not
    /// specialised across the thread hand-off: through it every element costs an indirect call,
    /// and gradient accumulation on the small 2-D models spends most of its time there.
    public static func add(_ x: Tensor, _ y: Tensor) -> Tensor {
        let z = Tensor(uninitialized: x.shape)
        let xp = x.data, yp = y.data, zp = z.data
        Parallel.forChunks(x.count) { s, e in
            for i in s..<e { zp[i] = xp[i] + yp[i] }
        }
        return z
    }

    /// x + v with v a vector along x's last axis (a bias), written out for the same reason.
    public static func addRowVector(_ x: Tensor, _ v: Tensor) -> Tensor {
        let z = Tensor(uninitialized: x.shape)
        let n = v.count, rows = x.count / Swift.max(n, 1)
        let xp = x.data, vp = v.data, zp = z.data
        Parallel.forChunks(rows, grain: Swift.max(1, Parallel.grain / Swift.max(n, 1))) { s, e in
            for r in s..<e {
                let xr = xp + r * n, zr = zp + r * n
                for i in 0..<n { zr[i] = xr[i] + vp[i] }
            }
        }
        return z
    }

    /// z = f(a, b) with NumPy broadcasting into `shape` (already validated by the caller).
    @inline(__always)
    public static func broadcastZip(_ a: Tensor, _ b: Tensor, into shape: [Int],
                                    _ f: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape { return zip(a, b, f) }
        let out = Tensor(uninitialized: shape)
        let ap = a.data, bp = b.data, op = out.data
        if b.count == 1 && a.shape == shape {
            let bv = bp[0]
            Parallel.forChunks(out.count) { s, e in for i in s..<e { op[i] = f(ap[i], bv) } }
            return out
        }
        if a.count == 1 && b.shape == shape {
            let av = ap[0]
            Parallel.forChunks(out.count) { s, e in for i in s..<e { op[i] = f(av, bp[i]) } }
            return out
        }
        let sa = Shape.broadcastStrides(a.shape, to: shape)
        let sb = Shape.broadcastStrides(b.shape, to: shape)
        let rank = shape.count
        let inner = shape[rank - 1]
        let ia = sa[rank - 1], ib = sb[rank - 1]
        let rows = out.count / Swift.max(inner, 1)
        let outer = Array(shape.dropLast())
        let outerStrides = Shape.strides(outer)
        Parallel.forChunks(rows, grain: Swift.max(1, Parallel.grain / Swift.max(inner, 1))) { s, e in
            for r in s..<e {
                // Decompose the row index into the outer coordinates to find both offsets.
                var rem = r, offA = 0, offB = 0
                for d in 0..<outer.count {
                    let c = rem / outerStrides[d]
                    rem -= c * outerStrides[d]
                    offA += c * sa[d]
                    offB += c * sb[d]
                }
                let o = op + r * inner
                let pa = ap + offA, pb = bp + offB
                if ia == 1 && ib == 1 {
                    for i in 0..<inner { o[i] = f(pa[i], pb[i]) }
                } else if ia == 1 {
                    let bv = pb[0]
                    for i in 0..<inner { o[i] = f(pa[i], bv) }
                } else if ib == 1 {
                    let av = pa[0]
                    for i in 0..<inner { o[i] = f(av, pb[i]) }
                } else {
                    for i in 0..<inner { o[i] = f(pa[i * ia], pb[i * ib]) }
                }
            }
        }
        return out
    }
}

/// The activations of every DCGAN layer and their backward, written as plain loops over
/// pointers: through `map`/`zip` a function that captures a value (the slope) is called per
/// element and nothing vectorises, which made these a tenth of a DCGAN-28 step.
extension Kernels {
    /// y = max(x, 0).
    static func relu(_ x: Tensor) -> Tensor {
        let y = Tensor(uninitialized: x.shape)
        let xp = x.data, yp = y.data
        Parallel.forChunks(x.count) { s, e in
            for i in s..<e { yp[i] = Swift.max(xp[i], 0) }
        }
        return y
    }

    /// y = x where x > 0, else slope * x.
    static func leakyRelu(_ x: Tensor, slope: Float) -> Tensor {
        let y = Tensor(uninitialized: x.shape)
        let xp = x.data, yp = y.data
        Parallel.forChunks(x.count) { s, e in
            for i in s..<e { yp[i] = xp[i] > 0 ? xp[i] : xp[i] * slope }
        }
        return y
    }

    /// y = g * (x > 0 ? 1 : slope): the backward of relu (slope 0) and leaky relu.
    static func scaledBySign(_ g: Tensor, of x: Tensor, slope: Float) -> Tensor {
        let y = Tensor(uninitialized: g.shape)
        let gp = g.data, xp = x.data, yp = y.data
        Parallel.forChunks(g.count) { s, e in
            for i in s..<e { yp[i] = gp[i] * (xp[i] > 0 ? 1 : slope) }
        }
        return y
    }
}
