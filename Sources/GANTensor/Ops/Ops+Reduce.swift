/// Reductions over axes. `axes: nil` means all of them.
extension Tensor {
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        let ax = try Shape.axes(axes ?? Array(0..<rank), rank: rank, op: "sum")
        let kept = Kernels.sum(self, axes: ax)
        let keptShape = kept.shape
        let reducedOut = Tensor.record(kept, op: "sum", inputs: [self]) { g, _, _ in
            [try g.reshaped(keptShape).expanded(to: self.shape)]
        }
        return keepDims ? reducedOut : try reducedOut.reshaped(Tensor.dropping(ax, from: shape))
    }

    public func mean(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        let ax = try Shape.axes(axes ?? Array(0..<rank), rank: rank, op: "mean")
        let n = ax.reduce(1) { $0 * shape[$1] }
        return try sum(axes: ax, keepDims: keepDims) * (1 / Float(Swift.max(n, 1)))
    }

    /// Variance over axes; `unbiased` divides by n-1 (PyTorch's default for torch.var), otherwise n
    /// (what batch norm uses for normalising).
    public func variance(axes: [Int]? = nil, keepDims: Bool = false, unbiased: Bool = false) throws -> Tensor {
        let ax = try Shape.axes(axes ?? Array(0..<rank), rank: rank, op: "var")
        let n = ax.reduce(1) { $0 * shape[$1] }
        let centered = try self - mean(axes: ax, keepDims: true)
        let ss = try (centered * centered).sum(axes: ax, keepDims: keepDims)
        return ss * (1 / Float(Swift.max(unbiased ? n - 1 : n, 1)))
    }

    /// Max over axes; the gradient goes to the first maximal element of each slice.
    public func max(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        let ax = try Shape.axes(axes ?? Array(0..<rank), rank: rank, op: "max")
        guard count > 0 else { throw TensorError.invalidShape(op: "max", shape: shape, reason: "empty tensor") }
        let (values, argmax) = Kernels.max(self, axes: ax)
        let kept = Tensor.record(values, op: "max", inputs: [self]) { g, _, _ in
            [g.scatteredFlat(to: argmax, shape: self.shape)]
        }
        return keepDims ? kept : try kept.reshaped(Tensor.dropping(ax, from: shape))
    }

    static func dropping(_ axes: [Int], from shape: [Int]) -> [Int] {
        shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    }
}
