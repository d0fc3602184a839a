import Foundation
import GANData
import GANTensor

/// Scores generated Fashion-MNIST images with the toolkit's own classifier: Fréchet and kernel
/// distances and precision/recall on its penultimate features against the real test set, the
/// accuracy of conditional samples against their requested labels, and within-class MS-SSIM
/// next to the real data's value. Build one with `FeatureEvaluator.fashionClassifier(...)`, which
/// loads the classifier from its cache (`ClassifierCache`) or trains and caches it (a few
/// minutes for the full recipe), then call `score(generator:labels:metrics:)` with images
/// [N, 1, 28, 28] in [-1, 1] and metric names from `metricNames` ("fid", "kid", "pr", "acc",
/// "msssim"). Results are keyed by honest names (`fid_fashion_features`, not `fid`: these are
/// not Inception features; `displayNames` has the long form). Scoring draws from its own
/// generator seeded by `seed`, never from a caller's stream, so it is repeatable and leaves a
/// training run's randomness untouched.
public final class FeatureEvaluator {
    public let network: FashionClassifier
    public let record: ClassifierCache.Record
    /// Penultimate features [N, d] and labels of the real test images.
    public let referenceFeatures: Tensor
    public let referenceLabels: [Int]
    /// The cache folder this evaluator came from.
    public let directory: URL
    /// Root mean square of the reference features' entries. KID divides every feature by it.
    ///
    /// Why: the cubic kernel (xᵀy / d + 1)³ was designed for Inception's pool features, whose
    /// entries are O(1) or below; this classifier's ReLU features have xᵀx / d ≈ 14 (measured on
    /// the recipe's network), so kernel values were in the thousands, the "+ 1" vanished, and KID
    /// came out in whole units (±5 between two disjoint halves of the test set; -19 for a set
    /// against itself, where the unbiased estimator equals (2/m)(mean k(xi, xj) - mean k(xi, xi))
    /// because the two sets are not independent). One fixed scale per classifier keeps the
    /// kernel a polynomial kernel and brings KID to the scale it has with Inception features.
    public let kernelFeatureScale: Float

    init(_ contents: ClassifierCache.Contents, directory: URL) {
        network = contents.network
        record = contents.record
        referenceFeatures = contents.features
        referenceLabels = contents.labels
        self.directory = directory
        let f = contents.features.data
        var sum = 0.0
        for i in 0..<contents.features.count { sum += Double(f[i]) * Double(f[i]) }
        let rms = (sum / Double(Swift.max(contents.features.count, 1))).squareRoot()
        kernelFeatureScale = rms > 0 ? Float(rms) : 1
    }

    public static let metricNames = ["fid", "kid", "pr", "acc", "msssim"]

    /// The result keys each metric name produces.
    public static let resultKeys: [String: [String]] = [
        "fid": ["fid_fashion_features"],
        "kid": ["kid_fashion_features", "kid_fashion_features_std"],
        "pr": ["precision_fashion_features", "recall_fashion_features"],
        "acc": ["accuracy_fashion_classifier"],
        "msssim": ["msssim_within_class", "msssim_within_class_real"],
    ]

    public static let displayNames: [String: String] = [
        "fid_fashion_features": "FID (Fashion-MNIST classifier features)",
        "kid_fashion_features": "KID (Fashion-MNIST classifier features)",
        "kid_fashion_features_std": "KID std over subsets",
        "precision_fashion_features": "Precision (k=3, Fashion-MNIST classifier features)",
        "recall_fashion_features": "Recall (k=3, Fashion-MNIST classifier features)",
        "accuracy_fashion_classifier": "Accuracy of requested labels (Fashion-MNIST classifier)",
        "msssim_within_class": "Within-class MS-SSIM of samples (lower: more diverse)",
        "msssim_within_class_real": "Within-class MS-SSIM of real test images",
    ]

    /// MS-SSIM pairs drawn per class, for samples and for the real reference alike.
    public static let msssimPairsPerClass = 100

    /// Checks metric names, throwing `EvaluationError.unknownMetric` for the first unknown one.
    public static func validate<S: Sequence>(_ names: S) throws -> Set<String> where S.Element == String {
        var out = Set<String>()
        for name in names {
            guard metricNames.contains(name) else { throw EvaluationError.unknownMetric(name, available: metricNames) }
            out.insert(name)
        }
        return out
    }

    /// The classifier of `settings`, loaded from the cache under `cacheRoot` (default
    /// `ClassifierCache.defaultRoot`), or trained and cached when the folder is missing, corrupt,
    /// or `rebuild` is set. `log` receives progress and the reason for any rebuild.
    public static func fashionClassifier(_ settings: FashionClassifierSettings = FashionClassifierSettings(),
                                         cacheRoot: String? = nil, rebuild: Bool = false,
                                         log: (String) -> Void = { _ in }) throws -> FeatureEvaluator {
        let dir = ClassifierCache.directory(for: settings, root: cacheRoot)
        if !rebuild {
            do {
                if let cached = try ClassifierCache.read(dir, expecting: settings) { return FeatureEvaluator(cached, directory: dir) }
                log("classifier: no cached network in \(dir.path); training it")
            } catch let error as EvaluationError {
                log("classifier: warning: \(error); rebuilding")
            }
        }
        let contents = try build(settings, log: log)
        try ClassifierCache.write(contents, to: dir)
        log(String(format: "classifier: test accuracy %.4f on %d images, trained in %.0f s; cached in %@",
                   contents.record.testAccuracy, contents.record.testImages, contents.record.trainSeconds, dir.path))
        return FeatureEvaluator(contents, directory: dir)
    }

    static func build(_ s: FashionClassifierSettings, log: (String) -> Void) throws -> ClassifierCache.Contents {
        let train = try FashionMNIST(split: .train, root: s.dataRoot, limit: s.trainLimit)
        let test = try FashionMNIST(split: .test, root: s.dataRoot, limit: s.testLimit)
        log("classifier: training on \(train.count) images, \(s.epochs) epochs (settings \(s.hash))")
        let outcome = try ClassifierTraining.train(s, train: (train.images, train.labels), test: (test.images, test.labels), log: log)
        let features = try outcome.network.embed(test.images).features
        let msssim = try ClassDiversity.meanMSSSIM(images: test.images, labels: test.labels, pairsPerClass: msssimPairsPerClass,
                                                   rng: RandomGenerator(seed: 0).fork("msssim-real")).mean
        let record = ClassifierCache.Record(
            codeVersion: FashionClassifierSettings.codeVersion, settings: s, testAccuracy: outcome.testAccuracy,
            testImages: outcome.testImages, trainSeconds: outcome.seconds, statistics: try FeatureStatistics(features: features),
            realMSSSIM: msssim, msssimPairsPerClass: msssimPairsPerClass)
        return ClassifierCache.Contents(record: record, network: outcome.network, features: features, labels: test.labels)
    }

    /// Penultimate features [N, d] of images [N, 1, 28, 28] in [-1, 1].
    public func features(_ images: Tensor) throws -> Tensor { try network.embed(images).features }

    /// Predicted classes of images [N, 1, 28, 28].
    public func classify(_ images: Tensor) throws -> [Int] {
        try ClassificationAccuracy.predictions(logits: network.embed(images).logits)
    }

    /// The requested metrics of generated `samples` [N, 1, 28, 28] in [-1, 1] (N >= 4), keyed as
    /// in `resultKeys`. `labels` are the classes the samples were requested as (conditional
    /// models); "acc" needs them, and "msssim" groups by them, or by the classifier's predicted
    /// class when they are nil. FID compares with the whole real test set, KID with 50 random
    /// subsets of min(1000, N) (features divided by `kernelFeatureScale`), precision/recall with N
    /// random real test images. Samples must be independent of the reference images for KID's
    /// unbiased estimate to centre on 0 (the reference set scored against itself is negative).
    public func score(generator samples: Tensor, labels: [Int]?, metrics: Set<String>, seed: UInt64 = 0) throws -> [String: Double] {
        let wanted = try Self.validate(metrics)
        let n = samples.shape.first ?? 0
        guard n >= 4 else { throw EvaluationError.invalid("feature metrics need at least 4 samples, got \(n)") }
        if let labels, labels.count != n {
            throw EvaluationError.invalid("\(labels.count) labels for \(n) samples")
        }
        if wanted.contains("acc") && labels == nil {
            throw EvaluationError.invalid("metric \"acc\" needs conditional samples with requested labels")
        }
        let (fake, logits) = try network.embed(samples)
        let rng = RandomGenerator(seed: seed).fork("feature-metrics")
        var out: [String: Double] = [:]
        if wanted.contains("fid") {
            out["fid_fashion_features"] = try FrechetDistance.distance(record.statistics, FeatureStatistics(features: fake))
        }
        if wanted.contains("kid") {
            let size = Swift.min(1000, n, referenceFeatures.shape[0])
            let kid = try KernelInceptionDistance.compute(real: referenceFeatures / kernelFeatureScale, fake: fake / kernelFeatureScale,
                                                          subsetSize: size, subsets: 50, rng: rng.fork("kid"))
            out["kid_fashion_features"] = kid.mean
            out["kid_fashion_features_std"] = kid.std
        }
        if wanted.contains("pr") {
            let real = FeatureInput.gatherRows(referenceFeatures,
                                               rng.fork("pr").permutation(referenceFeatures.shape[0]).prefix(Swift.min(n, referenceFeatures.shape[0])))
            let pr = try PrecisionRecall.compute(real: real, fake: fake, k: 3)
            out["precision_fashion_features"] = pr.precision
            out["recall_fashion_features"] = pr.recall
        }
        let predicted = try ClassificationAccuracy.predictions(logits: logits)
        if wanted.contains("acc"), let labels {
            out["accuracy_fashion_classifier"] = try ClassificationAccuracy.accuracy(predicted: predicted, requested: labels)
        }
        if wanted.contains("msssim") {
            out["msssim_within_class"] = try ClassDiversity.meanMSSSIM(images: samples, labels: labels ?? predicted,
                                                                       pairsPerClass: Self.msssimPairsPerClass, rng: rng.fork("msssim")).mean
            out["msssim_within_class_real"] = record.realMSSSIM
        }
        return out
    }
}
