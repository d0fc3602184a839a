/// The base of every layer and network. Like PyTorch's nn.Module, a module names its own
/// parameters and buffers and its children; the state dict lists parameters, then buffers, then
/// each child's entries under "child." in declaration order, which is PyTorch's order, so a
/// checkpoint's keys match the equivalent PyTorch module's `state_dict()`.
open class Module {
    /// Training mode (batch statistics, dropout on) or evaluation mode.
    public private(set) var isTraining = true

    public init() {}

    /// This module's own trainable tensors, in declaration order (not its children's).
    open var namedOwnParameters: [(String, Tensor)] { [] }
    /// This module's own persistent non-trainable state (running statistics, power-iteration vectors).
    open var namedOwnBuffers: [(String, Tensor)] { [] }
    /// Sub-modules in declaration order.
    open var namedChildren: [(String, Module)] { [] }

    /// The module's function of one tensor. Modules with other signatures (conditional batch norm,
    /// networks with labels) offer their own `callAsFunction` and leave this unimplemented.
    open func forward(_ x: Tensor) throws -> Tensor {
        throw TensorError.invalidArgument(op: "\(type(of: self)).forward", reason: "this module does not take a single tensor")
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try forward(x) }

    /// Called after `train(_:)` changes the mode, for modules that cache something per mode.
    open func didChangeMode() {}

    /// Sets training (true) or evaluation (false) mode on this module and every descendant.
    @discardableResult
    public func train(_ on: Bool = true) -> Self {
        isTraining = on
        didChangeMode()
        for (_, child) in namedChildren { child.train(on) }
        return self
    }

    @discardableResult
    public func eval() -> Self { train(false) }
}

extension Module {
    /// Every parameter, prefixed with the path of the module that owns it ("main.0.weight").
    public func namedParameters(prefix: String = "") -> [(String, Tensor)] {
        var out = namedOwnParameters.map { (prefix + $0.0, $0.1) }
        for (name, child) in namedChildren {
            out += child.namedParameters(prefix: prefix + name + ".")
        }
        return out
    }

    public var parameters: [Tensor] { namedParameters().map(\.1) }

    public func namedBuffers(prefix: String = "") -> [(String, Tensor)] {
        var out = namedOwnBuffers.map { (prefix + $0.0, $0.1) }
        for (name, child) in namedChildren {
            out += child.namedBuffers(prefix: prefix + name + ".")
        }
        return out
    }

    /// Parameters and buffers in PyTorch's state_dict order: at each level the module's own
    /// parameters, then its own buffers, then each child recursively.
    public func stateDict(prefix: String = "") -> [(String, Tensor)] {
        var out = namedOwnParameters.map { (prefix + $0.0, $0.1) }
        out += namedOwnBuffers.map { (prefix + $0.0, $0.1) }
        for (name, child) in namedChildren {
            out += child.stateDict(prefix: prefix + name + ".")
        }
        return out
    }

    /// Copies values into this module's tensors in place. With `strict`, keys that the module
    /// lacks or that the dictionary lacks are errors; a shape mismatch always is. Every offending
    /// key is named. Nothing is changed unless the whole dictionary is acceptable.
    public func load(stateDict values: [String: Tensor], strict: Bool = true, prefix: String = "") throws {
        let own = stateDict()
        var problems: [String] = []
        let ownNames = Set(own.map(\.0))
        let missing = own.map(\.0).filter { values[prefix + $0] == nil }
        let unexpected = values.keys.filter { $0.hasPrefix(prefix) && !ownNames.contains(String($0.dropFirst(prefix.count))) }.sorted()
        if strict && !missing.isEmpty { problems.append("missing keys: \(missing.joined(separator: ", "))") }
        if strict && !unexpected.isEmpty { problems.append("unexpected keys: \(unexpected.joined(separator: ", "))") }
        for (name, t) in own {
            if let v = values[prefix + name], v.shape != t.shape {
                problems.append("\(prefix + name) has shape \(v.shape) in the checkpoint but \(t.shape) in the model")
            }
        }
        guard problems.isEmpty else { throw TensorError.stateDict(problems.joined(separator: "; ")) }
        for (name, t) in own {
            if let v = values[prefix + name] { try t.assign(v) }
        }
    }

    /// Drops the accumulated gradient of every parameter.
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }

    /// Total number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
}
