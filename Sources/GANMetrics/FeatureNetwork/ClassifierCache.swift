import Foundation
import GANData
import GANTensor

/// Where a trained Fashion-MNIST classifier and the reference statistics of the real test set
/// live: `<root>/classifier-fashion/<settings hash>/`, root being $GANKIT_CACHE or
/// ~/.cache/gankit. The folder holds
///     classifier.safetensors  the network's state dict (PyTorch names)
///     reference.safetensors   "features" [N, d] and "labels" [N] of the N real test images
///     classifier.json         the settings, test accuracy, training time, the reference mean and
///                             covariance, and the real data's within-class MS-SSIM
/// classifier.json is written last, so a folder without it is incomplete. A missing, corrupt or
/// mismatched folder is rebuilt (with a warning naming the file for the corrupt case) rather than
/// failing: the cache is derived data and the settings reproduce it exactly.
public enum ClassifierCache {
    /// The JSON record of one cached classifier.
    public struct Record: Codable, Equatable {
        public var codeVersion: Int
        public var settings: FashionClassifierSettings
        public var testAccuracy: Double
        public var testImages: Int
        public var trainSeconds: Double
        /// Mean and covariance of the penultimate features of the real test images.
        public var statistics: FeatureStatistics
        /// Mean within-class MS-SSIM of real test images (`msssimPairsPerClass` pairs per class).
        public var realMSSSIM: Double
        public var msssimPairsPerClass: Int
    }

    public static let classifierFile = "classifier.safetensors"
    public static let referenceFile = "reference.safetensors"
    public static let recordFile = "classifier.json"

    /// $GANKIT_CACHE, else ~/.cache/gankit.
    public static var defaultRoot: String {
        if let env = ProcessInfo.processInfo.environment["GANKIT_CACHE"], !env.isEmpty { return env }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/gankit").path
    }

    public static func directory(for settings: FashionClassifierSettings, root: String? = nil) -> URL {
        URL(fileURLWithPath: root ?? defaultRoot).appendingPathComponent("classifier-fashion")
            .appendingPathComponent(settings.hash)
    }

    /// What a cache folder holds once read and checked.
    struct Contents {
        let record: Record
        let network: FashionClassifier
        let features: Tensor
        let labels: [Int]
    }

    /// Reads a complete cache folder; nil when it has no record (never built or unfinished);
    /// throws `EvaluationError.cache` naming the file when something in it is unusable.
    static func read(_ dir: URL, expecting settings: FashionClassifierSettings) throws -> Contents? {
        let recordURL = dir.appendingPathComponent(recordFile)
        guard let bytes = FileManager.default.contents(atPath: recordURL.path) else { return nil }
        let record: Record
        do {
            record = try JSONDecoder().decode(Record.self, from: bytes)
        } catch {
            throw EvaluationError.cache(path: recordURL.path, reason: "not a valid classifier record (\(error))")
        }
        guard record.codeVersion == FashionClassifierSettings.codeVersion, record.settings == settings else {
            throw EvaluationError.cache(path: recordURL.path, reason: "written for other settings or an older version")
        }
        let network = FashionClassifier(settings, rng: RandomGenerator(seed: 0))
        let netURL = dir.appendingPathComponent(classifierFile), refURL = dir.appendingPathComponent(referenceFile)
        do {
            try network.load(stateDict: SafeTensors.read(from: netURL).dictionary)
        } catch {
            throw EvaluationError.cache(path: netURL.path, reason: "\(error)")
        }
        let reference: SafeTensors.Contents
        do {
            reference = try SafeTensors.read(from: refURL)
        } catch {
            throw EvaluationError.cache(path: refURL.path, reason: "\(error)")
        }
        guard let features = reference["features"], let labels = reference["labels"],
              features.shape == [record.testImages, settings.features], labels.shape == [record.testImages],
              record.statistics.dimension == settings.features else {
            throw EvaluationError.cache(path: refURL.path, reason: "expected features [\(record.testImages), \(settings.features)] and labels [\(record.testImages)]")
        }
        return Contents(record: record, network: network, features: features, labels: labels.scalars.map { Int($0) })
    }

    static func write(_ contents: Contents, to dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let entries = contents.network.stateDict()
        try SafeTensors.write(entries, metadata: ["network": "classifier-fashion", "settings": contents.record.settings.hash],
                              int64Keys: Set(entries.map(\.0).filter { $0.hasSuffix("num_batches_tracked") }),
                              to: dir.appendingPathComponent(classifierFile))
        let labels = try Tensor(contents.labels.map(Float.init), shape: [contents.labels.count])
        try SafeTensors.write([("features", contents.features), ("labels", labels)], to: dir.appendingPathComponent(referenceFile))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(contents.record), to: dir.appendingPathComponent(recordFile))
    }
}
