import Foundation

/// Elementwise math. Each backward is written in Tensor ops so it can be differentiated again.
extension Tensor {
    public func exp() -> Tensor {
        let out = Kernels.map(self, grain: Kernels.transcendentalGrain) { Foundation.exp($0) }
        return Tensor.record(out, op: "exp", inputs: [self]) { g, y, _ in [try g * y] }
    }

    public func log() -> Tensor {
        let out = Kernels.map(self, grain: Kernels.transcendentalGrain) { Foundation.log($0) }
        return Tensor.record(out, op: "log", inputs: [self]) { g, _, _ in [try g / self] }
    }

    public func sqrt() -> Tensor {
        let out = Kernels.map(self) { $0.squareRoot() }
        return Tensor.record(out, op: "sqrt", inputs: [self]) { g, y, _ in [try g / (y * 2)] }
    }

    /// x^p for a constant exponent.
    public func pow(_ p: Float) -> Tensor {
        if p == 2 { return (try? self * self)! }
        let out = Kernels.map(self, grain: Kernels.transcendentalGrain) { Foundation.pow($0, p) }
        return Tensor.record(out, op: "pow", inputs: [self]) { g, _, _ in
            [try g * (self.pow(p - 1) * p)]
        }
    }

    public func tanh() -> Tensor {
        let out = Kernels.map(self, grain: Kernels.transcendentalGrain) { Foundation.tanh($0) }
        return Tensor.record(out, op: "tanh", inputs: [self]) { g, y, _ in [try g * (1 - y * y)] }
    }

    public func sigmoid() -> Tensor {
        let out = Kernels.map(self, grain: Kernels.transcendentalGrain) { x in
            x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
        }
        return Tensor.record(out, op: "sigmoid", inputs: [self]) { g, y, _ in [try g * (y * (1 - y))] }
    }

    /// A constant (non-differentiable) tensor of the same shape: `f(x)` elementwise.
    func constantMap(_ f: (Float) -> Float) -> Tensor { Kernels.map(self, f) }

    public func relu() -> Tensor {
        Tensor.record(Kernels.relu(self), op: "relu", inputs: [self]) { g, _, _ in [g.scaledBySign(of: self, slope: 0)] }
    }

    public func leakyRelu(_ slope: Float = 0.2) -> Tensor {
        Tensor.record(Kernels.leakyRelu(self, slope: slope), op: "leaky_relu", inputs: [self]) { g, _, _ in
            [g.scaledBySign(of: self, slope: slope)]
        }
    }

    /// g * (x > 0 ? 1 : slope) in one pass: the (leaky) relu backward. Linear in g with x held
    /// constant (its derivative in x is 0 almost everywhere), so its own backward is itself.
    func scaledBySign(of x: Tensor, slope: Float) -> Tensor {
        Tensor.record(Kernels.scaledBySign(self, of: x, slope: slope), op: "relu_backward", inputs: [self]) { a, _, _ in
            [a.scaledBySign(of: x, slope: slope)]
        }
    }

    public func abs() -> Tensor {
        let out = Kernels.map(self) { Swift.abs($0) }
        return Tensor.record(out, op: "abs", inputs: [self]) { g, _, _ in
            [try g * self.constantMap { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }]
        }
    }

    /// Clamps to [lo, hi]; the gradient passes only where the input was inside.
    public func clamp(min lo: Float = -.infinity, max hi: Float = .infinity) -> Tensor {
        let out = Kernels.map(self) { Swift.min(Swift.max($0, lo), hi) }
        return Tensor.record(out, op: "clamp", inputs: [self]) { g, _, _ in
            [try g * self.constantMap { $0 >= lo && $0 <= hi ? 1 : 0 }]
        }
    }

    /// log(1 + e^x), computed stably for large |x|.
    public func softplus() -> Tensor {
        let out = Kernels.map(self, grain: Kernels.transcendentalGrain) { x in Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x))) }
        return Tensor.record(out, op: "softplus", inputs: [self]) { g, _, _ in [try g * self.sigmoid()] }
    }
}
