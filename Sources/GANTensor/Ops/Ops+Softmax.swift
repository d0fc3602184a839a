/// Softmax and log-softmax along one axis. Both backwards use the op's own output, so they are
/// differentiable again (the output carries its node back to the input).
extension Tensor {
    /// exp(x) / sum(exp(x)) along `axis` (negative counts from the end).
    public func softmax(axis: Int) throws -> Tensor {
        let ax = try Shape.axes([axis], rank: rank, op: "softmax")[0]
        let out = Kernels.softmax(self, axis: ax, log: false)
        return Tensor.record(out, op: "softmax", inputs: [self]) { g, y, _ in
            // dx = y * (g - <g, y>) along the axis.
            [try y * (g - (g * y).sum(axes: [ax], keepDims: true))]
        }
    }

    /// x - log(sum(exp(x))) along `axis`, without forming the softmax first.
    public func logSoftmax(axis: Int) throws -> Tensor {
        let ax = try Shape.axes([axis], rank: rank, op: "log_softmax")[0]
        let out = Kernels.softmax(self, axis: ax, log: true)
        return Tensor.record(out, op: "log_softmax", inputs: [self]) { g, y, _ in
            // dx = g - softmax(x) * sum(g) along the axis; softmax(x) = exp(y).
            [try g - y.exp() * g.sum(axes: [ax], keepDims: true)]
        }
    }
}
