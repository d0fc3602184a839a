/// Stochastic gradient descent with momentum, exactly as PyTorch's `torch.optim.SGD`:
///
///     g = grad + weightDecay * p
///     b = g on a parameter's first update, else b * momentum + (1 - dampening) * g
///     g = nesterov ? g + momentum * b : b          (when momentum != 0)
///     p = p - lr * g
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float, dampening: Float, nesterov: Bool, weightDecay: Float
    public let state: OptimizerState

    public init(params: [(String, Tensor)], lr: Float, momentum: Float = 0, dampening: Float = 0,
                nesterov: Bool = false, weightDecay: Float = 0) throws {
        try OptimizerCheck.hyperparameters("SGD", [
            ("lr", lr, lr >= 0), ("momentum", momentum, momentum >= 0),
            ("weightDecay", weightDecay, weightDecay >= 0),
        ])
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw TensorError.invalidArgument(op: "SGD", reason: "Nesterov momentum needs momentum > 0 and dampening 0")
        }
        learningRate = lr
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        state = try OptimizerState(parameters: params, slots: momentum != 0 ? ["momentum_buffer"] : [], op: "SGD")
    }

    public func step() throws {
        let active = try state.beginStep(op: "SGD.step")
        let mu = momentum, keep = 1 - dampening, wd = weightDecay, nesterov = self.nesterov
        let alpha = -learningRate
        state.forEachSegment(active) { i, range in
            let p = state.parameters[i].tensor.data, g = state.parameters[i].tensor.grad!.data
            guard mu != 0 else {
                for j in range {
                    var gj = g[j]
                    if wd != 0 { gj = gj + wd * p[j] }
                    p[j] = p[j] + alpha * gj
                }
                return
            }
            let b = state.slot(0, of: i)
            let first = state.parameterSteps[i] == 1
            for j in range {
                var gj = g[j]
                if wd != 0 { gj = gj + wd * p[j] }
                b[j] = first ? gj : b[j] * mu + keep * gj
                gj = nesterov ? gj + mu * b[j] : b[j]
                p[j] = p[j] + alpha * gj
            }
        }
    }
}
