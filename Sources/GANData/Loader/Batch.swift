import GANTensor

/// Samples stacked along a new axis 0, by tensor name, plus their labels when the samples have them.
public struct Batch: @unchecked Sendable {
    public var tensors: [String: Tensor]
    public var labels: [Int]?
    /// Which epoch, and which batch of that epoch, this is.
    public var epoch: Int
    public var indexInEpoch: Int

    public init(tensors: [String: Tensor], labels: [Int]? = nil, epoch: Int = 0, indexInEpoch: Int = 0) {
        self.tensors = tensors
        self.labels = labels
        self.epoch = epoch
        self.indexInEpoch = indexInEpoch
    }

    /// The same as `init(tensors:labels:epoch:indexInEpoch:)` (the name GANCore uses).
    public init(tensors: [String: Tensor], labels: [Int]? = nil, epoch: Int = 0, index: Int) {
        self.init(tensors: tensors, labels: labels, epoch: epoch, indexInEpoch: index)
    }

    /// Alias of `indexInEpoch`.
    public var index: Int { indexInEpoch }

    public subscript(_ name: String) -> Tensor? { tensors[name] }

    /// Number of samples in the batch.
    public var count: Int { tensors.values.first?.shape.first ?? labels?.count ?? 0 }
}
