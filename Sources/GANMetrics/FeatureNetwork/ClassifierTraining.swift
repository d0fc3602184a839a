import Foundation
import GANData
import GANTensor

/// Trains a `FashionClassifier` on the Fashion-MNIST training split, reproducibly: weights come
/// from fork("init") of the settings' seed, each epoch's order from fork("order") and dropout masks
/// from fork("dropout"), so the same
/// settings give bit-identical weights (on the same machine and thread count). Plain supervised
/// learning: Adam on softmax cross-entropy, full batches only (batch norm needs two or more).
public enum ClassifierTraining {
    public struct Outcome {
        public let network: FashionClassifier
        /// Fraction of the test images classified correctly.
        public let testAccuracy: Double
        public let testImages: Int
        public let seconds: Double
    }

    /// Trains on `train` images [N, 1, 28, 28] with labels and scores on `test`; `log` gets one
    /// line per epoch.
    public static func train(_ s: FashionClassifierSettings, train: (images: Tensor, labels: [Int]),
                             test: (images: Tensor, labels: [Int]), log: (String) -> Void = { _ in }) throws -> Outcome {
        let n = train.images.shape[0]
        guard s.batchSize >= 2, n >= s.batchSize, train.labels.count == n else {
            throw EvaluationError.invalid("classifier: \(n) training images (\(train.labels.count) labels) make no batch of \(s.batchSize) (needs >= 2)")
        }
        let clock = Date()
        let root = RandomGenerator(seed: s.seed)
        let network = FashionClassifier(s, rng: root.fork("init"), dropoutRNG: root.fork("dropout"))
        network.train()
        let order = root.fork("order")
        let optimizer = try Adam(params: network.namedParameters(), lr: Float(s.learningRate))
        for epoch in 0..<s.epochs {
            optimizer.learningRate = Float(s.learningRate * Foundation.pow(s.lrDecay, Double(epoch)))
            let permutation = order.permutation(n)
            var lossSum = 0.0
            let batches = n / s.batchSize
            for b in 0..<batches {
                let rows = permutation[(b * s.batchSize)..<((b + 1) * s.batchSize)]
                let x = FeatureInput.gatherRows(train.images, rows)
                let loss = try Loss.crossEntropy(logits: network(x), labels: rows.map { train.labels[$0] })
                try optimizer.minimize(loss)
                lossSum += Double(loss.item)
            }
            log(String(format: "classifier: epoch %d/%d, mean loss %.4f (%.0f s)", epoch + 1, s.epochs,
                       lossSum / Double(Swift.max(batches, 1)), Date().timeIntervalSince(clock)))
        }
        let accuracy = try self.accuracy(network, test)
        return Outcome(network: network, testAccuracy: accuracy, testImages: test.labels.count,
                       seconds: Date().timeIntervalSince(clock))
    }

    /// Fraction of `data` the network labels correctly (evaluation mode).
    public static func accuracy(_ network: FashionClassifier, _ data: (images: Tensor, labels: [Int])) throws -> Double {
        let predicted = try ClassificationAccuracy.predictions(logits: network.embed(data.images).logits)
        return try ClassificationAccuracy.accuracy(predicted: predicted, requested: data.labels)
    }
}
