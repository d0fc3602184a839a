/// Initialising a whole network by rule, e.g. DCGAN's "conv weights N(0, 0.02), batch-norm
/// weights N(1, 0.02), biases 0":
///
///     try net.initialize(rng: rng) { p in
///         switch (p.name, p.tensor.rank) {
///         case ("weight", 4): return .normal(mean: 0, std: 0.02)
///         case ("weight", 1): return .normal(mean: 1, std: 0.02)
///         case ("bias", _): return .zeros
///         default: return nil  // keep the layer's own default
///         }
///     }
extension Init {
    /// One way to fill a tensor, as data (so a recipe can name it).
    public enum Rule: Sendable {
        case normal(mean: Float, std: Float)
        case uniform(low: Float, high: Float)
        case constant(Float)
        case zeros, ones
        case xavierUniform(gain: Float), xavierNormal(gain: Float)
        case kaimingUniform(a: Float, mode: FanMode, nonlinearity: Nonlinearity)
        case kaimingNormal(a: Float, mode: FanMode, nonlinearity: Nonlinearity)
        case orthogonal(gain: Float)
    }

    public static func apply(_ rule: Rule, to t: Tensor, rng: RandomGenerator) throws {
        switch rule {
        case let .normal(mean, std): normal(t, mean: mean, std: std, rng: rng)
        case let .uniform(low, high): uniform(t, low: low, high: high, rng: rng)
        case let .constant(v): constant(t, v)
        case .zeros: zeros(t)
        case .ones: ones(t)
        case let .xavierUniform(gain): try xavierUniform(t, gain: gain, rng: rng)
        case let .xavierNormal(gain): try xavierNormal(t, gain: gain, rng: rng)
        case let .kaimingUniform(a, mode, nl): try kaimingUniform(t, a: a, mode: mode, nonlinearity: nl, rng: rng)
        case let .kaimingNormal(a, mode, nl): try kaimingNormal(t, a: a, mode: mode, nonlinearity: nl, rng: rng)
        case let .orthogonal(gain): try orthogonal(t, gain: gain, rng: rng)
        }
    }

    /// A parameter as an initialisation rule sees it.
    public struct Site {
        /// The module that owns the parameter (test its type for class-based rules).
        public let module: Module
        /// The full state-dict key, e.g. "main.0.weight".
        public let path: String
        /// The owner's own name for it, e.g. "weight".
        public let name: String
        public let tensor: Tensor
    }
}

extension Module {
    /// Every module in the tree with its path ("" for this one), this one first and then each
    /// child's subtree in declaration order (PyTorch's `named_modules`).
    public func namedModules(prefix: String = "") -> [(String, Module)] {
        var out = [(prefix, self)]
        for (name, child) in namedChildren {
            out += child.namedModules(prefix: prefix.isEmpty ? name : prefix + "." + name)
        }
        return out
    }

    /// Calls `body` on every descendant and then on this module (PyTorch's `Module.apply` order).
    @discardableResult
    public func apply(_ body: (Module) throws -> Void) rethrows -> Self {
        for (_, child) in namedChildren { try child.apply(body) }
        try body(self)
        return self
    }

    /// Re-initialises every parameter for which `rule` returns a rule (nil leaves it as it is),
    /// visiting parameters in state-dict order so the random draws are reproducible.
    public func initialize(rng: RandomGenerator, _ rule: (Init.Site) throws -> Init.Rule?) throws {
        for (path, module) in namedModules() {
            for (name, tensor) in module.namedOwnParameters {
                let site = Init.Site(module: module, path: path.isEmpty ? name : path + "." + name, name: name, tensor: tensor)
                if let r = try rule(site) { try Init.apply(r, to: tensor, rng: rng) }
            }
        }
    }
}
