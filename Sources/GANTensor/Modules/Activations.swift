/// Parameter-free layers, so networks read as a Sequential list like their PyTorch originals.
public final class ReLU: Module {
    public override func forward(_ x: Tensor) throws -> Tensor { x.relu() }
}

public final class LeakyReLU: Module {
    public let slope: Float
    public init(_ slope: Float = 0.01) { self.slope = slope }
    public override func forward(_ x: Tensor) throws -> Tensor { x.leakyRelu(slope) }
}

public final class Tanh: Module {
    public override func forward(_ x: Tensor) throws -> Tensor { x.tanh() }
}

public final class Sigmoid: Module {
    public override func forward(_ x: Tensor) throws -> Tensor { x.sigmoid() }
}

/// [N, ...] -> [N, prod(...)].
public final class Flatten: Module {
    public override func forward(_ x: Tensor) throws -> Tensor { try x.flattened(from: 1) }
}

/// [N, prod(shape)] -> [N] + shape (PyTorch's nn.Unflatten(1, shape)).
public final class Unflatten: Module {
    public let shape: [Int]
    public init(_ shape: [Int]) { self.shape = shape }
    public override func forward(_ x: Tensor) throws -> Tensor { try x.reshaped([x.shape[0]] + shape) }
}

/// Passes its input through unchanged (a placeholder where a recipe turns a layer off).
public final class Identity: Module {
    public override func forward(_ x: Tensor) throws -> Tensor { x }
}
