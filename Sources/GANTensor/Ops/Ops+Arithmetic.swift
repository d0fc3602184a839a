/// + - * / with NumPy broadcasting. The backward of a broadcast input sums the gradient back to
/// the input's shape (`sumTo`).
extension Tensor {
    static func broadcastShape(_ a: Tensor, _ b: Tensor, op: String) throws -> [Int] {
        guard let s = Shape.broadcast(a.shape, b.shape) else {
            throw TensorError.shapeMismatch(op: op, lhs: a.shape, rhs: b.shape)
        }
        return s
    }

    public static func + (a: Tensor, b: Tensor) throws -> Tensor {
        let shape = try broadcastShape(a, b, op: "add")
        let out = a.shape == b.shape ? Kernels.add(a, b)
            : b.rank == 1 && a.shape == shape ? Kernels.addRowVector(a, b)
            : Kernels.broadcastZip(a, b, into: shape, +)
        return record(out, op: "add", inputs: [a, b]) { g, _, needs in
            [needs[0] ? try g.sumTo(a.shape) : nil, needs[1] ? try g.sumTo(b.shape) : nil]
        }
    }

    public static func - (a: Tensor, b: Tensor) throws -> Tensor {
        let shape = try broadcastShape(a, b, op: "sub")
        let out = Kernels.broadcastZip(a, b, into: shape, -)
        return record(out, op: "sub", inputs: [a, b]) { g, _, needs in
            [needs[0] ? try g.sumTo(a.shape) : nil, needs[1] ? try (-g).sumTo(b.shape) : nil]
        }
    }

    public static func * (a: Tensor, b: Tensor) throws -> Tensor {
        let shape = try broadcastShape(a, b, op: "mul")
        let out = Kernels.broadcastZip(a, b, into: shape, *)
        return record(out, op: "mul", inputs: [a, b]) { g, _, needs in
            [needs[0] ? try (g * b).sumTo(a.shape) : nil, needs[1] ? try (g * a).sumTo(b.shape) : nil]
        }
    }

    public static func / (a: Tensor, b: Tensor) throws -> Tensor {
        let shape = try broadcastShape(a, b, op: "div")
        let out = Kernels.broadcastZip(a, b, into: shape, /)
        return record(out, op: "div", inputs: [a, b]) { g, _, needs in
            [needs[0] ? try (g / b).sumTo(a.shape) : nil,
             needs[1] ? try (-(g * a) / (b * b)).sumTo(b.shape) : nil]
        }
    }

    public static prefix func - (a: Tensor) -> Tensor {
        let out = Kernels.map(a) { -$0 }
        return record(out, op: "neg", inputs: [a]) { g, _, _ in [-g] }
    }

    // Scalars: y = x op c never fails, so these do not throw.
    public static func + (a: Tensor, c: Float) -> Tensor {
        record(Kernels.map(a) { $0 + c }, op: "add_scalar", inputs: [a]) { g, _, _ in [g] }
    }
    public static func + (c: Float, a: Tensor) -> Tensor { a + c }
    public static func - (a: Tensor, c: Float) -> Tensor { a + (-c) }
    public static func - (c: Float, a: Tensor) -> Tensor { (-a) + c }
    public static func * (a: Tensor, c: Float) -> Tensor {
        record(Kernels.map(a) { $0 * c }, op: "mul_scalar", inputs: [a]) { g, _, _ in [g * c] }
    }
    public static func * (c: Float, a: Tensor) -> Tensor { a * c }
    public static func / (a: Tensor, c: Float) -> Tensor { a * (1 / c) }
    public static func / (c: Float, a: Tensor) -> Tensor {
        let out = Kernels.map(a) { c / $0 }
        return record(out, op: "rdiv_scalar", inputs: [a]) { g, y, _ in
            [try -(g * y) / a]
        }
    }
}
