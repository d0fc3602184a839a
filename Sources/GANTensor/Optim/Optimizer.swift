/// A gradient-descent rule over a fixed list of named parameters. Usage per iteration:
/// `zeroGrad()`, `loss.backward()`, `step()`. The whole state (moment buffers and per-parameter
/// step counts) can be exported and loaded again, and training resumed from it continues
/// bit-identically to a run that was never interrupted.
public protocol Optimizer: AnyObject {
    /// Applies the next update to every parameter that has a gradient (others are skipped and
    /// their state is left untouched, as PyTorch does).
    func step() throws
    var learningRate: Float { get set }
    /// The parameters, their buffers and step counts.
    var state: OptimizerState { get }
}

extension Optimizer {
    /// Drops every parameter's gradient (PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGrad() {
        for (_, p) in state.parameters { p.zeroGrad() }
    }

    /// One gradient step on `loss`: clears the gradients, backpropagates into this optimizer's
    /// parameters only (other networks' weight gradients are not computed and their `.grad` is
    /// left alone), updates the parameters.
    public func minimize(_ loss: Tensor) throws {
        zeroGrad()
        try loss.backward(onto: state.parameters.map(\.tensor))
        try OpProfiler.timing("optimizer_step") { try step() }
    }

    /// How many times `step()` has run.
    public var stepCount: Int { state.stepCount }

    /// The state as named tensors: "<buffer>.<parameter>" for each buffer (e.g. "exp_avg.0.weight")
    /// and "step.<parameter>" holding that parameter's update count (a scalar, as in PyTorch).
    public func stateTensors() -> [(String, Tensor)] { state.export() }

    /// Restores what `stateTensors()` exported, with the optimizer's `stepCount`. Every missing,
    /// unexpected or misshapen key is named, and nothing changes unless all of it is valid.
    public func loadState(_ tensors: [String: Tensor], step: Int) throws {
        try state.load(tensors, stepCount: step)
    }
}
