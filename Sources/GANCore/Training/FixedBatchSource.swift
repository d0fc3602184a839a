import GANData
import GANTensor

/// The same batch every time: benchmarks (a resident batch, as the PyTorch reference uses) and tests.
public final class FixedBatchSource: BatchSource {
    public let batch: Batch

    public init(_ batch: Batch) { self.batch = batch }

    public convenience init(images: Tensor, labels: [Int]? = nil) {
        self.init(Batch(tensors: ["image": images], labels: labels, epoch: 0, index: 0))
    }

    public func next() throws -> Batch { batch }
    public var batchSize: Int { batch.tensors.values.first?.shape.first ?? 0 }
}
