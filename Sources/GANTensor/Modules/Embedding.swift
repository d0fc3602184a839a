/// A lookup table of `count` vectors of size `dimension` (PyTorch's nn.Embedding: weight of shape
/// [count, dimension] drawn from N(0, 1)). The gradient of the lookup adds into the looked-up rows.
public final class Embedding: Module {
    public let weight: Tensor

    public init(_ count: Int, _ dimension: Int, rng: RandomGenerator) {
        weight = rng.normal([count, dimension]).requiringGrad()
    }

    public var count: Int { weight.shape[0] }
    public var dimension: Int { weight.shape[1] }

    public override var namedOwnParameters: [(String, Tensor)] { [("weight", weight)] }

    /// Rows of the table for `indices`, as [indices.count, dimension].
    public func callAsFunction(_ indices: [Int]) throws -> Tensor {
        if let bad = indices.first(where: { $0 < 0 || $0 >= count }) {
            throw TensorError.invalidArgument(op: "Embedding(\(count), \(dimension))", reason: "index \(bad) is out of range 0..<\(count)")
        }
        return try weight.indexSelect(axis: 0, indices: indices)
    }
}
