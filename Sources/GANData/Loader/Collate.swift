import GANTensor

extension Batch {
    /// Stacks samples into one batch by copying their raw buffers (the result carries no gradient
    /// history). Every sample must hold the same tensor names with the same shapes, and either all
    /// or none must be labelled; errors name the dataset and the offending dataset indices.
    public static func collate(_ samples: [Sample], dataset: String, indices: [Int],
                               epoch: Int = 0, indexInEpoch: Int = 0) throws -> Batch {
        guard let first = samples.first else {
            throw DataError.invalid(path: dataset, reason: "cannot make a batch of no samples")
        }
        precondition(indices.count == samples.count, "collate: one dataset index per sample")
        let names = Set(first.tensors.keys)
        for (i, s) in samples.enumerated().dropFirst() {
            guard Set(s.tensors.keys) == names else {
                throw DataError.invalid(path: dataset, reason: "sample \(indices[i]) holds \(s.tensors.keys.sorted()), "
                                        + "sample \(indices[0]) holds \(names.sorted()); a batch needs the same names")
            }
            guard (s.label == nil) == (first.label == nil) else {
                throw DataError.invalid(path: dataset, reason: "sample \(indices[i]) is \(s.label == nil ? "un" : "")labelled "
                                        + "but sample \(indices[0]) is \(first.label == nil ? "not" : "")")
            }
        }
        var tensors: [String: Tensor] = [:]
        for (name, t0) in first.tensors {
            let out = Tensor(uninitialized: [samples.count] + t0.shape)
            let n = t0.count
            for (i, s) in samples.enumerated() {
                let t = s.tensors[name]!
                guard t.shape == t0.shape else {
                    throw DataError.invalid(path: dataset, reason: "sample \(indices[i]) has \"\(name)\" of shape \(t.shape) "
                                            + "but sample \(indices[0]) has \(t0.shape); a batch needs equal shapes")
                }
                (out.data + i * n).update(from: t.data, count: n)
            }
            tensors[name] = out
        }
        let labels = first.label == nil ? nil : samples.map { $0.label! }
        return Batch(tensors: tensors, labels: labels, epoch: epoch, indexInEpoch: indexInEpoch)
    }
}
