/// The backward of one op: given the gradient flowing into its output, the output itself, and which
/// inputs need a gradient, return one gradient (or nil) per input. It must be written in Tensor
/// ops, never raw kernels, so that with `createGraph` it is itself recorded (double backward).
public typealias BackwardFunction = (_ grad: Tensor, _ output: Tensor, _ needs: [Bool]) throws -> [Tensor?]

/// One recorded application of an op. The output is not held here (that would be a cycle);
/// the backward receives it as an argument.
final class Node {
    let op: String
    let inputs: [Tensor]
    let backward: BackwardFunction

    init(op: String, inputs: [Tensor], backward: @escaping BackwardFunction) {
        self.op = op
        self.inputs = inputs
        self.backward = backward
    }
}

extension Tensor {
    /// Attaches `backward` to a freshly computed `output` when gradients are on and an input needs
    /// them; otherwise returns `output` untouched. Every differentiable op ends with this.
    public static func record(_ output: Tensor, op: String, inputs: [Tensor],
                              backward: @escaping BackwardFunction) -> Tensor {
        if OpProfiler.isEnabled { OpProfiler.recorded(op: op, output: output, inputs: inputs) }
        guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else { return output }
        output.requiresGrad = true
        output.node = Node(op: op, inputs: inputs, backward: backward)
        return output
    }

    /// The name of the op that produced this tensor, or nil for a leaf.
    public var producingOp: String? { node?.op }
}
