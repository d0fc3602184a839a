/// The backward of `batchNormTrain` and, for double backward, the backward of that backward.
///
/// With xhat = (x - mean) * s, s = 1/sqrt(var + eps), and M values per channel:
///   dx = w * s * (g - mean(g) - xhat * mean(g * xhat)),  dw = sum(g * xhat),  db = sum(g).
/// These come from one fused kernel and are recorded as ops of (g, x, w). Their own backwards
/// are written in differentiable ops (so any order works), using that dx is linear in g with a
/// symmetric projection (its adjoint in g is itself) and the closed form of its x-derivative.
struct BatchNormBackward {
    let x: Tensor
    let layout: BatchNormLayout
    /// Constants of the forward (shape [C]).
    let mean: Tensor, invstd: Tensor
    let eps: Float

    /// [1, C, 1, ...]: a per-channel vector viewed to broadcast against x.
    var channelShape: [Int] { [1, layout.channels] + Array(repeating: 1, count: x.rank - 2) }
    var reducedAxes: [Int] { [0] + Array(2..<x.rank) }

    func gradients(_ g: Tensor, weight: Tensor?, input: Bool, wantWeight: Bool, wantBias: Bool) throws
        -> (input: Tensor?, weight: Tensor?, bias: Tensor?) {
        guard g.shape == x.shape else { throw TensorError.shapeMismatch(op: "batch_norm backward", lhs: x.shape, rhs: g.shape) }
        let sumG = Tensor(uninitialized: [layout.channels]), sumGXhat = Tensor(uninitialized: [layout.channels])
        let dxRaw = input ? Tensor(uninitialized: x.shape) : nil
        Kernels.batchNormBackward(g: g.data, x: x.data, layout: layout, mean: mean.data, invstd: invstd.data,
                                  weight: weight?.data, dx: dxRaw?.data, sumG: sumG.data, sumGXhat: sumGXhat.data)
        let dx = dxRaw.map { raw in
            Tensor.record(raw, op: "batch_norm_backward", inputs: [g, x] + (weight.map { [$0] } ?? [])) { a, _, needs in
                try inputGradientBackward(a, g: g, weight: weight, needs: needs)
            }
        }
        let dw = !wantWeight ? nil : Tensor.record(sumGXhat, op: "batch_norm_backward_weight", inputs: [g, x]) { b, _, needs in
            try weightGradientBackward(b, g: g, needs: needs)
        }
        let db = !wantBias ? nil : Tensor.record(sumG, op: "batch_norm_backward_bias", inputs: [g]) { b, _, _ in
            [try b.reshaped(channelShape).expanded(to: x.shape)]
        }
        return (dx, dw, db)
    }

    /// xhat as a differentiable function of x (the forward op again, without affine).
    private func normalized() throws -> Tensor { try x.batchNormTrain(eps: eps).output }

    /// Backward of dx = w s P g for incoming gradient a; inputs (g, x, w?).
    private func inputGradientBackward(_ a: Tensor, g: Tensor, weight: Tensor?, needs: [Bool]) throws -> [Tensor?] {
        var out = [Tensor?](repeating: nil, count: needs.count)
        if needs[0] {
            out[0] = try gradients(a, weight: weight, input: true, wantWeight: false, wantBias: false).input
        }
        let wantWeight = weight != nil && needs[2]
        guard needs[1] || wantWeight else { return out }
        let axes = reducedAxes
        func avg(_ t: Tensor) throws -> Tensor { try t.mean(axes: axes, keepDims: true) }
        let xhat = try normalized()
        let s = 1 / (try x.variance(axes: axes, keepDims: true) + eps).sqrt()
        let gBar = try avg(g), aBar = try avg(a)
        let gx = try avg(g * xhat), ax = try avg(a * xhat)
        let covariance = try avg(a * g) - gBar * aBar
        if needs[1] {
            // d/dx of sum(a * dx), from d xhat_k/d x_i = s (delta_ik - 1/M - xhat_i xhat_k / M)
            // and d s/d x_i = -s^2 xhat_i / M.
            let bracket = try xhat * (covariance - 3 * gx * ax) + ax * (g - gBar) + gx * (a - aBar)
            var d = try -(s * s) * bracket
            if let weight { d = try d * weight.reshaped(channelShape) }
            out[1] = d
        }
        if let weight, wantWeight {
            out[2] = try (s * (covariance - gx * ax) * Float(layout.perChannel)).reshaped(weight.shape)
        }
        return out
    }

    /// Backward of dw = sum(g * xhat) for incoming gradient b [C]; inputs (g, x).
    private func weightGradientBackward(_ b: Tensor, g: Tensor, needs: [Bool]) throws -> [Tensor?] {
        [needs[0] ? try normalized() * b.reshaped(channelShape) : nil,
         // d/dx sum(b * g * xhat) = b s P g: the input gradient with b in place of w.
         needs[1] ? try gradients(g, weight: b, input: true, wantWeight: false, wantBias: false).input : nil]
    }
}
