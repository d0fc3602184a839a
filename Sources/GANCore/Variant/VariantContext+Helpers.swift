import GANTensor

/// Checks and builders every variant needs, so a variant's init reads as its paper's setup.
extension VariantContext {
    /// Adam over a network with the recipe's betas and the learning rate named `lr` ("lr_g", "lr_d").
    public func adam(for net: Module, lr key: String) throws -> Adam {
        try Adam(params: net.namedParameters(), lr: train.float(key), betas: (train.float("beta1"), train.float("beta2")))
    }

    /// The number of classes of labelled data, or an error naming the variant.
    public func classCount(for variant: String) throws -> Int {
        guard let k = data.classCount else { throw TrainingError.invalid("\(variant): the dataset has no class labels") }
        return k
    }

    /// Requires square images of `size` pixels.
    public func requireImages(_ size: Int, for variant: String) throws {
        guard data.kind == .images, data.height == size, data.width == size else {
            throw TrainingError.invalid("\(variant): needs \(size)x\(size) images, the data gives \(data.imageShape)")
        }
    }
}
