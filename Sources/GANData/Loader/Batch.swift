import GANTensor

/// Samples stacked along a new axis 0, by tensor name, plus their labels when every sample has one.
public struct Batch: @unchecked Sendable {
    public var tensors: [String: Tensor]
    public var labels: [Int]?
    /// Which epoch and which batch of it this is.
    public var epoch: Int
    public var index: Int

    public init(tensors: [String: Tensor], labels: [Int]? = nil, epoch: Int = 0, index: Int = 0) {
        self.tensors = tensors
        self.labels = labels
        self.epoch = epoch
        self.index = index
    }

    /// Stacks samples (raw copies; data carries no gradient). All samples must hold the same names
    /// and shapes.
    public static func collate(_ samples: [Sample], dataset: String, indices: [Int], epoch: Int, index: Int) throws -> Batch {
        guard let first = samples.first else { return Batch(tensors: [:], epoch: epoch, index: index) }
        var tensors: [String: Tensor] = [:]
        for (name, t0) in first.tensors {
            let out = Tensor(uninitialized: [samples.count] + t0.shape)
            for (i, s) in samples.enumerated() {
                guard let t = s.tensors[name], t.shape == t0.shape else {
                    throw DataError.invalid(path: dataset, reason: "sample \(indices[i]) has \"\(name)\" of shape \(s.tensors[name]?.shape.description ?? "none"), sample \(indices[0]) has \(t0.shape); a batch needs equal shapes")
                }
                (out.data + i * t0.count).update(from: t.data, count: t0.count)
            }
            tensors[name] = out
        }
        let labels = samples.allSatisfy { $0.label != nil } ? samples.map { $0.label! } : nil
        return Batch(tensors: tensors, labels: labels, epoch: epoch, index: index)
    }
}
