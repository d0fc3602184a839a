import Foundation
import GANData

/// Everything that determines a trained `FashionClassifier` (recipe `classifier-fashion`): the
/// cache key is a hash of these values, so changing any of them trains a new network. The
/// defaults are the recipe's (a test checks they agree): 91.57% on the 10,000 test images
/// (3 epochs without dropout gave 90.58%, too close to the 90% floor).
public struct FashionClassifierSettings: Codable, Equatable, Sendable {
    public var seed: UInt64 = 0
    /// Channels of the two conv layers and size of the penultimate (feature) layer.
    public var conv1 = 32
    public var conv2 = 64
    public var features = 128
    /// Dropout probability on the flattened conv features, during training.
    public var dropout = 0.3
    public var epochs = 5
    public var batchSize = 64
    /// Adam (betas 0.9, 0.999) learning rate; multiplied by `lrDecay` after each epoch.
    public var learningRate = 1e-3
    public var lrDecay = 0.6
    /// Use only the first N training / test images (tests and quick checks); nil: all.
    public var trainLimit: Int?
    public var testLimit: Int?
    /// Folder of the four Fashion-MNIST .gz files.
    public var dataRoot = FashionMNIST.defaultRoot

    public init() {}

    /// Bumped whenever the training code changes what a given set of settings produces, so that
    /// networks cached by older code are rebuilt.
    public static let codeVersion = 2

    /// 16 hex digits identifying these settings (FNV-1a 64 over their canonical JSON and the code
    /// version): the cache folder's name.
    public var hash: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let bytes = (try? encoder.encode(self)) ?? Data()
        for b in Array("v\(Self.codeVersion):".utf8) + Array(bytes) { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(format: "%016llx", h)
    }
}
