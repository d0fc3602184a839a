/// Zeroes each element with probability p in training and scales the rest by 1 / (1 - p);
/// the identity in evaluation (PyTorch's nn.Dropout). Masks come from the generator given at init,
/// so a run is reproducible from its seed.
public final class Dropout: Module {
    public let p: Float
    public let rng: RandomGenerator

    public init(_ p: Float = 0.5, rng: RandomGenerator) {
        self.p = p
        self.rng = rng
    }

    public override func forward(_ x: Tensor) throws -> Tensor {
        try x.dropout(p: p, rng: rng, training: isTraining)
    }
}
