/// Nearest-neighbour upsampling of NCHW by an integer factor: output (h, w) copies input
/// (h / scale, w / scale). A separable selection, so its backward is the adjoint map, which sums
/// each scale x scale block of the gradient (sum pooling = avgPool2d(kernel: scale) * scale^2),
/// and that in turn differentiates back to the upsampling.
extension Tensor {
    public func upsampledNearest(scale: Int) throws -> Tensor {
        guard rank == 4 else {
            throw TensorError.invalidShape(op: "upsampleNearest", shape: shape, reason: "expects NCHW input (rank 4)")
        }
        guard scale >= 1 else {
            throw TensorError.invalidArgument(op: "upsampleNearest", reason: "scale \(scale) must be at least 1")
        }
        if scale == 1 { return self }
        func axis(_ n: Int) -> AxisMatrix { AxisMatrix(selecting: (0..<(n * scale)).map { $0 / scale }, inSize: n) }
        let op = SeparableOperator(inShape: shape, axes: [nil, nil, axis(shape[2]), axis(shape[3])],
                                   name: "upsample_nearest", adjointName: "upsample_nearest_adjoint")
        return applying(op)
    }
}
