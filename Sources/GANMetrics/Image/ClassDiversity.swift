import GANTensor

/// Within-class diversity as in AC-GAN (Odena, Olah & Shlens 2017, "Conditional Image Synthesis
/// with Auxiliary Classifier GANs", §4.2): the mean MS-SSIM over random pairs of images of the same
/// class. Lower means more diverse; a class whose samples score above the real data's value
/// suggests mode collapse. See `MSSSIM` for the scale count on small images.
public enum ClassDiversity {
    public struct Result: Equatable, Sendable {
        /// Mean MS-SSIM of the sampled pairs of each class with at least two images.
        public var perClass: [Int: Double]
        /// Mean over those classes (each class weighs the same).
        public var mean: Double
    }

    /// For each class in `labels` with >= 2 images, draws `pairsPerClass` pairs of two distinct
    /// images of that class (with replacement across pairs) from `rng` and averages their MS-SSIM.
    /// `images` is [N, C, H, W] with H, W >= 11 and `labels` holds N class indices.
    public static func meanMSSSIM(images: Tensor, labels: [Int], pairsPerClass: Int, rng: RandomGenerator,
                                  dataRange: Double = 2) throws -> Result {
        let op = "ClassDiversity.meanMSSSIM"
        try ImagePairInput.check(images, images, op: op, minSide: SSIM.windowSize)
        try ImagePairInput.checkDataRange(dataRange, op: op)
        guard labels.count == images.shape[0] else {
            throw TensorError.shapeMismatch(op: "\(op) (one label per image)", lhs: images.shape, rhs: [labels.count])
        }
        guard pairsPerClass >= 1 else {
            throw TensorError.invalidArgument(op: op, reason: "pairsPerClass must be >= 1, got \(pairsPerClass)")
        }
        let members = Dictionary(grouping: labels.indices, by: { labels[$0] }).filter { $0.value.count >= 2 }
        guard !members.isEmpty else {
            throw TensorError.invalidArgument(op: op, reason: "no class has two images to compare")
        }
        let imageShape = Array(images.shape.dropFirst()), per = images.count / images.shape[0]
        let constants = SSIM.Constants(dataRange: dataRange)
        var perClass: [Int: Double] = [:]
        // Sorted so the draws from `rng` do not depend on dictionary order.
        for label in members.keys.sorted() {
            let idx = members[label]!
            var sum = 0.0
            for _ in 0..<pairsPerClass {
                let i = rng.nextInt(below: idx.count)
                var j = rng.nextInt(below: idx.count - 1)
                if j >= i { j += 1 }
                sum += MSSSIM.pair(images.data + idx[i] * per, images.data + idx[j] * per, imageShape: imageShape, constants)
            }
            perClass[label] = sum / Double(pairsPerClass)
        }
        return Result(perClass: perClass, mean: perClass.values.reduce(0, +) / Double(perClass.count))
    }
}
