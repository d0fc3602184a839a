/// Reverse-mode differentiation over the tape.
///
/// `gradients(of:wrt:)` returns d(output)/d(each wrt tensor). With `createGraph: true` the
/// backward closures run with recording on, so the returned gradients are themselves on the tape
/// and can be differentiated again (gradient penalties). Only the part of the graph that leads to
/// a requested tensor is walked.
public func gradients(of output: Tensor, wrt targets: [Tensor], seed: Tensor? = nil,
                      createGraph: Bool = false) throws -> [Tensor] {
    let grads = try backpropagate(from: output, seed: seed, createGraph: createGraph,
                                  isTarget: Set(targets.map(ObjectIdentifier.init)))
    return targets.map { grads[ObjectIdentifier($0)] ?? Tensor(zeros: $0.shape) }
}

extension Tensor {
    /// Accumulates d(self)/d(leaf) into `.grad` of every leaf that requires grad (PyTorch's
    /// `loss.backward()`). The output must hold one element unless a seed gradient is given.
    public func backward(seed: Tensor? = nil, createGraph: Bool = false) throws {
        try accumulateGradients(seed: seed, createGraph: createGraph, isTarget: nil)
    }

    /// `backward()` restricted to `parameters`: only they receive (accumulate) a gradient, and only
    /// the part of the graph leading to them is differentiated. A GAN's generator step thereby
    /// skips the discriminator's weight gradients, which its optimizer would never read.
    /// Parameters the output does not depend on keep their `.grad` as it was.
    public func backward(onto parameters: [Tensor], seed: Tensor? = nil, createGraph: Bool = false) throws {
        try accumulateGradients(seed: seed, createGraph: createGraph, isTarget: Set(parameters.map(ObjectIdentifier.init)))
    }

    private func accumulateGradients(seed: Tensor?, createGraph: Bool, isTarget: Set<ObjectIdentifier>?) throws {
        let grads = try backpropagate(from: self, seed: seed, createGraph: createGraph, isTarget: isTarget)
        for (leaf, g) in grads.leaves {
            if let existing = leaf.grad {
                leaf.grad = try withGradMode(createGraph) { try existing + g }
            } else {
                leaf.grad = createGraph ? g : g.detached()
            }
        }
    }

    /// Clears the accumulated gradient.
    public func zeroGrad() { grad = nil }
}

/// Gradients by tensor identity, plus the leaves reached (for `backward()`).
struct GradientTable {
    var byID: [ObjectIdentifier: Tensor] = [:]
    var leaves: [(Tensor, Tensor)] = []
    subscript(_ id: ObjectIdentifier) -> Tensor? { byID[id] }
}

private func backpropagate(from output: Tensor, seed: Tensor?, createGraph: Bool,
                           isTarget: Set<ObjectIdentifier>?) throws -> GradientTable {
    guard output.requiresGrad else {
        throw TensorError.invalidArgument(op: "backward", reason: "the output \(output.shape) does not depend on any tensor that requires grad")
    }
    if seed == nil && output.count != 1 {
        throw TensorError.invalidShape(op: "backward", shape: output.shape,
                                       reason: "a non-scalar output needs an explicit seed gradient")
    }
    if let seed, seed.shape != output.shape {
        throw TensorError.shapeMismatch(op: "backward seed", lhs: output.shape, rhs: seed.shape)
    }
    let order = topologicalOrder(from: output)  // inputs before outputs

    // Which tensors lead to something we want a gradient for.
    var relevant = Set<ObjectIdentifier>()
    for t in order {
        let id = ObjectIdentifier(t)
        let wanted = isTarget.map { $0.contains(id) } ?? (t.node == nil && t.requiresGrad)
        if wanted || (t.node?.inputs.contains { relevant.contains(ObjectIdentifier($0)) } ?? false) {
            relevant.insert(id)
        }
    }

    var table = GradientTable()
    table.byID[ObjectIdentifier(output)] = seed ?? Tensor(repeating: 1, shape: output.shape)
    try withGradMode(createGraph) {
        for t in order.reversed() {
            let id = ObjectIdentifier(t)
            guard let g = table.byID[id] else { continue }
            guard let node = t.node else {
                if t.requiresGrad { table.leaves.append((t, g)) }
                continue
            }
            let needs = node.inputs.map { $0.requiresGrad && relevant.contains(ObjectIdentifier($0)) }
            guard needs.contains(true) else { continue }
            let inputGrads = try OpProfiler.timingBackward(of: node.op) { try node.backward(g, t, needs) }
            for (i, input) in node.inputs.enumerated() where needs[i] {
                guard let gi = inputGrads[i] else { continue }
                guard gi.shape == input.shape else {
                    throw TensorError.shapeMismatch(op: "backward of \(node.op) (input \(i))", lhs: input.shape, rhs: gi.shape)
                }
                let iid = ObjectIdentifier(input)
                table.byID[iid] = try OpProfiler.timingBackward(of: "accumulate_grad") { try table.byID[iid].map { try $0 + gi } ?? gi }
            }
            // Free what is no longer needed as we go (keeps peak memory down).
            if isTarget.map({ !$0.contains(id) }) ?? true { table.byID[id] = nil }
        }
    }
    return table
}

/// Inputs before outputs, iteratively (deep graphs would overflow a recursive walk).
private func topologicalOrder(from root: Tensor) -> [Tensor] {
    var order: [Tensor] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(Tensor, Int)] = [(root, 0)]
    visited.insert(ObjectIdentifier(root))
    while let (t, next) = stack.popLast() {
        let inputs = t.node?.inputs ?? []
        if next < inputs.count {
            stack.append((t, next + 1))
            let child = inputs[next]
            if child.requiresGrad, visited.insert(ObjectIdentifier(child)).inserted {
                stack.append((child, 0))
            }
        } else {
            order.append(t)
        }
    }
    return order
}
