/// The buffers an optimizer keeps per parameter, all in one flat allocation: slot k of parameter i
/// starts at `k * total + offsets[i]`. Updates run over the concatenation of the parameters that
/// have gradients, cut into equal chunks for the cores, so many small tensors parallelise as well
/// as one large one; every element's update is independent, so the result never depends on the
/// chunking.
public final class OptimizerState {
    public let parameters: [(name: String, tensor: Tensor)]
    /// Buffer names in PyTorch's spelling ("exp_avg", "momentum_buffer", ...).
    public let slotNames: [String]
    let offsets: [Int]
    let total: Int
    let buffer: Storage
    /// Updates applied to each parameter (PyTorch's per-parameter `state["step"]`); 0 means the
    /// parameter has no state yet.
    public internal(set) var parameterSteps: [Int]
    public internal(set) var stepCount = 0

    init(parameters: [(String, Tensor)], slots: [String], op: String) throws {
        var seen = Set<String>()
        for (name, _) in parameters where !seen.insert(name).inserted {
            throw TensorError.invalidArgument(op: op, reason: "parameter name \"\(name)\" appears twice")
        }
        self.parameters = parameters.map { (name: $0.0, tensor: $0.1) }
        slotNames = slots
        var acc = 0
        offsets = parameters.map { p in defer { acc += p.1.count }; return acc }
        total = acc
        buffer = Storage(zeros: slots.count * acc)
        parameterSteps = Array(repeating: 0, count: parameters.count)
    }

    @inline(__always)
    func slot(_ k: Int, of i: Int) -> UnsafeMutablePointer<Float> {
        buffer.pointer + k * total + offsets[i]
    }

    /// Starts an update: finds the parameters with a gradient, checks the gradients' shapes and
    /// advances the step counts. Returns the indices of those parameters.
    func beginStep(op: String) throws -> [Int] {
        var active: [Int] = []
        for (i, p) in parameters.enumerated() {
            guard let g = p.tensor.grad else { continue }
            guard g.shape == p.tensor.shape else {
                throw TensorError.shapeMismatch(op: "\(op) (gradient of \(p.name))", lhs: p.tensor.shape, rhs: g.shape)
            }
            active.append(i)
        }
        for i in active { parameterSteps[i] += 1 }
        stepCount += 1
        return active
    }

    /// Calls `body(i, range)` for disjoint element ranges of the active parameters covering all of
    /// them, in parallel when there is enough work.
    func forEachSegment(_ active: [Int], _ body: (_ parameter: Int, _ range: Range<Int>) -> Void) {
        var starts: [Int] = [], acc = 0
        for i in active { starts.append(acc); acc += parameters[i].tensor.count }
        Parallel.forChunks(acc, grain: 1 << 14) { s, e in
            // The last active parameter starting at or before s.
            var lo = 0, hi = starts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if starts[mid] <= s { lo = mid } else { hi = mid - 1 }
            }
            var j = lo
            while j < active.count && starts[j] < e {
                let i = active[j], n = parameters[i].tensor.count
                let from = Swift.max(s - starts[j], 0), to = Swift.min(e - starts[j], n)
                if from < to { body(i, from..<to) }
                j += 1
            }
        }
    }

    func export() -> [(String, Tensor)] {
        var out: [(String, Tensor)] = []
        for (i, p) in parameters.enumerated() {
            for (k, slotName) in slotNames.enumerated() {
                let t = Tensor(uninitialized: p.tensor.shape)
                t.data.update(from: slot(k, of: i), count: t.count)
                out.append(("\(slotName).\(p.name)", t))
            }
            out.append(("step.\(p.name)", Tensor(scalar: Float(parameterSteps[i]))))
        }
        return out
    }

    func load(_ tensors: [String: Tensor], stepCount newCount: Int) throws {
        var problems: [String] = []
        var expected = Set<String>()
        var steps = parameterSteps
        if newCount < 0 { problems.append("step count \(newCount) is negative") }
        for (i, p) in parameters.enumerated() {
            for slotName in slotNames {
                let key = "\(slotName).\(p.name)"
                expected.insert(key)
                guard let t = tensors[key] else { problems.append("missing key \(key)"); continue }
                if t.shape != p.tensor.shape {
                    problems.append("\(key) has shape \(t.shape) but the parameter has \(p.tensor.shape)")
                }
            }
            let key = "step.\(p.name)"
            expected.insert(key)
            guard let t = tensors[key] else { problems.append("missing key \(key)"); continue }
            // Float holds every integer up to 2^24 exactly.
            if t.count == 1, let s = Int(exactly: t.item), s >= 0 {
                steps[i] = s
            } else {
                problems.append("\(key) must hold one non-negative integer, found \(t)")
            }
        }
        let unexpected = tensors.keys.filter { !expected.contains($0) }.sorted()
        if !unexpected.isEmpty { problems.append("unexpected keys: \(unexpected.joined(separator: ", "))") }
        guard problems.isEmpty else { throw TensorError.stateDict("optimizer: " + problems.joined(separator: "; ")) }
        for (i, p) in parameters.enumerated() {
            for (k, slotName) in slotNames.enumerated() {
                slot(k, of: i).update(from: tensors["\(slotName).\(p.name)"]!.data, count: p.tensor.count)
            }
        }
        parameterSteps = steps
        stepCount = newCount
    }
}
