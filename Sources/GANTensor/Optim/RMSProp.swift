/// RMSProp (Hinton's lecture 6e) exactly as PyTorch's `torch.optim.RMSprop`:
///
///     g = grad + weightDecay * p
///     s = s * alpha + (1 - alpha) * g * g
///     centered: a = lerp(a, g, 1 - alpha), avg = sqrt(s - a * a) + eps; else avg = sqrt(s) + eps
///     momentum > 0: b = b * momentum + g / avg, p = p - lr * b;  else p = p - lr * g / avg
public final class RMSProp: Optimizer {
    public var learningRate: Float
    public let alpha: Float, eps: Float, momentum: Float, centered: Bool, weightDecay: Float
    public let state: OptimizerState

    public init(params: [(String, Tensor)], lr: Float = 1e-2, alpha: Float = 0.99, eps: Float = 1e-8,
                momentum: Float = 0, centered: Bool = false, weightDecay: Float = 0) throws {
        try OptimizerCheck.hyperparameters("RMSProp", [
            ("lr", lr, lr >= 0), ("alpha", alpha, alpha >= 0), ("eps", eps, eps >= 0),
            ("momentum", momentum, momentum >= 0), ("weightDecay", weightDecay, weightDecay >= 0),
        ])
        learningRate = lr
        self.alpha = alpha
        self.eps = eps
        self.momentum = momentum
        self.centered = centered
        self.weightDecay = weightDecay
        // PyTorch's state keys; slot indices follow this order.
        let slots = ["square_avg"] + (momentum > 0 ? ["momentum_buffer"] : []) + (centered ? ["grad_avg"] : [])
        state = try OptimizerState(parameters: params, slots: slots, op: "RMSProp")
    }

    public func step() throws {
        let active = try state.beginStep(op: "RMSProp.step")
        let a = alpha, c = Float(1 - Double(alpha)), eps = self.eps, wd = weightDecay
        let mu = momentum, centered = self.centered, negLR = -learningRate
        let bufferSlot = 1, averageSlot = momentum > 0 ? 2 : 1
        state.forEachSegment(active) { i, range in
            let p = state.parameters[i].tensor.data, g = state.parameters[i].tensor.grad!.data
            let s = state.slot(0, of: i)
            let b = mu > 0 ? state.slot(bufferSlot, of: i) : s
            let avgGrad = centered ? state.slot(averageSlot, of: i) : s
            for j in range {
                var gj = g[j]
                if wd != 0 { gj = gj + wd * p[j] }
                s[j] = s[j] * a + c * gj * gj
                var avg: Float
                if centered {
                    avgGrad[j] = OptimizerMath.lerp(avgGrad[j], gj, c)
                    avg = (s[j] + -1 * avgGrad[j] * avgGrad[j]).squareRoot()
                } else {
                    avg = s[j].squareRoot()
                }
                avg = avg + eps
                if mu > 0 {
                    b[j] = b[j] * mu + gj / avg
                    p[j] = p[j] + negLR * b[j]
                } else {
                    p[j] = p[j] + negLR * gj / avg
                }
            }
        }
    }
}
