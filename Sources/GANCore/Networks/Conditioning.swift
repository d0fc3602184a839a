import GANTensor

/// Ways of giving a class label to a network (conditional GAN, AC-GAN).
public enum Conditioning {
    /// One-hot rows [N, classes] (a constant: labels carry no gradient).
    public static func oneHot(_ labels: [Int], classes: Int) throws -> Tensor {
        let t = Tensor(zeros: [labels.count, classes])
        for (i, y) in labels.enumerated() {
            guard (0..<classes).contains(y) else {
                throw TensorError.invalidArgument(op: "oneHot", reason: "label \(y) at position \(i) is outside 0..<\(classes)")
            }
            t.data[i * classes + y] = 1
        }
        return t
    }

    /// z and the one-hot label side by side: [N, nz + classes] (Mirza & Osindero's input concat).
    public static func concatLatent(_ z: Tensor, labels: [Int], classes: Int) throws -> Tensor {
        try Tensor.concat([z, oneHot(labels, classes: classes)], axis: 1)
    }

    /// Images with one constant plane per class appended: [N, C + classes, H, W] ("label maps").
    public static func concatLabelMaps(_ x: Tensor, labels: [Int], classes: Int) throws -> Tensor {
        let n = x.shape[0], h = x.shape[2], w = x.shape[3]
        let maps = try oneHot(labels, classes: classes).reshaped([n, classes, 1, 1]).expanded(to: [n, classes, h, w])
        return try Tensor.concat([x, maps], axis: 1)
    }

    /// Uniformly random labels for generated samples.
    public static func randomLabels(_ n: Int, classes: Int, rng: RandomGenerator) -> [Int] {
        (0..<n).map { _ in rng.nextInt(below: classes) }
    }

    /// Generated images for uniformly random labels: G([z, onehot(y)]) and the labels y.
    public static func generate(_ G: Module, count n: Int, nz: Int, classes: Int, rng: RandomGenerator) throws -> (Tensor, [Int]) {
        let labels = randomLabels(n, classes: classes, rng: rng)
        return (try G(concatLatent(rng.normal([n, nz]), labels: labels, classes: classes)), labels)
    }
}
