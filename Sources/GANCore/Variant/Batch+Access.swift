import GANData
import GANTensor

extension Batch {
    /// The batch's images ([N, C, H, W]).
    public func images() throws -> Tensor { try tensor("image") }

    /// What a generator imitates: images, or points for the 2-D mixtures.
    public func samples() throws -> Tensor {
        if let x = tensors["image"] ?? tensors["point"] { return x }
        throw TrainingError.invalid("the batch holds \(tensors.keys.sorted()), neither images nor points")
    }

    public func tensor(_ name: String) throws -> Tensor {
        guard let t = tensors[name] else {
            throw TrainingError.invalid("the batch has no \"\(name)\" (it holds \(tensors.keys.sorted()))")
        }
        return t
    }

    public func requireLabels() throws -> [Int] {
        guard let labels else { throw TrainingError.invalid("this variant needs class labels; the dataset has none") }
        return labels
    }
}

extension DataLoader: BatchSource {}
