/// Simultaneous gradient descent for several players sharing one forward pass (the update rule of
/// the ALI/PacGAN reference code, where one compiled function computes every player's gradient and
/// then applies all updates): each optimizer receives the gradient of its own loss with respect to
/// its own parameters, all gradients are taken before any parameter changes, then every optimizer
/// steps. Unlike alternating updates, no player sees another's update of the same iteration.
public enum SimultaneousStep {
    public static func minimize(_ players: [(loss: Tensor, optimizer: any Optimizer)]) throws {
        var updates: [([Tensor], [Tensor])] = []
        for (loss, optimizer) in players {
            let params = optimizer.state.parameters.map(\.tensor)
            updates.append((params, try gradients(of: loss, wrt: params)))
        }
        for (params, grads) in updates {
            for (p, g) in zip(params, grads) { p.grad = g.detached() }
        }
        for (_, optimizer) in players {
            try OpProfiler.timing("optimizer_step") { try optimizer.step() }
        }
    }
}
