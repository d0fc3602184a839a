/// Normalisation with the batch's own statistics: the core of BatchNorm (training mode),
/// InstanceNorm and LayerNorm, which reshape their input so that the statistics they want are
/// the per-channel ones of [outer, channels, inner].
extension Tensor {
    /// y = (x - mean) / sqrt(var + eps) * weight + bias per channel (axis 1), with the mean and
    /// biased variance taken over every other axis. Returns the output and the statistics
    /// (constants, shape [C]) for updating running averages.
    ///
    /// One fused kernel forward; the backward is another fused kernel recorded as ops of
    /// (grad, x, weight), so gradients of gradients (gradient penalties) work.
    public func batchNormTrain(weight: Tensor? = nil, bias: Tensor? = nil, eps: Float = 1e-5) throws
        -> (output: Tensor, mean: Tensor, variance: Tensor) {
        guard rank >= 2 else {
            throw TensorError.invalidShape(op: "batch_norm", shape: shape, reason: "needs at least [N, C]")
        }
        let layout = BatchNormLayout(shape)
        guard layout.perChannel > 0 else {
            throw TensorError.invalidShape(op: "batch_norm", shape: shape, reason: "no values to normalise per channel")
        }
        for (name, p) in [("weight", weight), ("bias", bias)] {
            if let p, p.shape != [layout.channels] {
                throw TensorError.shapeMismatch(op: "batch_norm (\(name))", lhs: shape, rhs: p.shape)
            }
        }
        let channels = [layout.channels]
        let y = Tensor(uninitialized: shape), mean = Tensor(uninitialized: channels)
        let variance = Tensor(uninitialized: channels), invstd = Tensor(uninitialized: channels)
        Kernels.batchNormForward(x: data, layout: layout, weight: weight?.data, bias: bias?.data, eps: eps,
                                 y: y.data, mean: mean.data, variance: variance.data, invstd: invstd.data)
        let backward = BatchNormBackward(x: self, layout: layout, mean: mean, invstd: invstd, eps: eps)
        let out = Tensor.record(y, op: "batch_norm", inputs: [self] + [weight, bias].compactMap { $0 }) { g, _, needs in
            let biasIndex = weight == nil ? 1 : 2
            let grads = try backward.gradients(g, weight: weight, input: needs[0],
                                               wantWeight: weight != nil && needs[1],
                                               wantBias: bias != nil && needs[biasIndex])
            return [grads.input] + (weight == nil ? [] : [grads.weight]) + (bias == nil ? [] : [grads.bias])
        }
        return (out, mean, variance)
    }
}
