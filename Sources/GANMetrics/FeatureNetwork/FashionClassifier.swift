import GANTensor

/// The feature network of the Fashion-MNIST metrics: a small CNN classifier, trained by the
/// toolkit itself (`ClassifierTraining`), whose penultimate layer gives the features that the
/// Fréchet, kernel and precision/recall metrics compare. Not Inception: metrics computed with it
/// carry "fashion_features" in their names.
///
/// Layout, with PyTorch's state_dict names (an nn.Module with `features` = nn.Sequential and
/// `head` = nn.Linear):
///     features: Conv2d(1, c1, 3, padding=1, bias=False), BatchNorm2d(c1), ReLU, MaxPool2d(2),
///               Conv2d(c1, c2, 3, padding=1, bias=False), BatchNorm2d(c2), ReLU, MaxPool2d(2),
///               Flatten, Dropout(p), Linear(c2*7*7, d), ReLU
///     head:     Linear(d, 10)
/// Input [N, 1, 28, 28] in [-1, 1] (the toolkit's image range).
public final class FashionClassifier: Module {
    public static let imageShape = [1, 28, 28]
    public static let classCount = 10

    public let features: Sequential
    public let head: Linear
    public let featureDimension: Int

    /// Weights from `rng`; dropout masks (training only) from `dropoutRNG`.
    public init(_ s: FashionClassifierSettings, rng: RandomGenerator, dropoutRNG: RandomGenerator? = nil) {
        features = Sequential(
            Conv2d(1, s.conv1, kernel: 3, padding: 1, bias: false, rng: rng), BatchNorm(s.conv1), ReLU(), MaxPool2d(2),
            Conv2d(s.conv1, s.conv2, kernel: 3, padding: 1, bias: false, rng: rng), BatchNorm(s.conv2), ReLU(), MaxPool2d(2),
            Flatten(), Dropout(Float(s.dropout), rng: dropoutRNG ?? rng.fork("dropout")), Linear(s.conv2 * 7 * 7, s.features, rng: rng), ReLU())
        head = Linear(s.features, Self.classCount, rng: rng)
        featureDimension = s.features
    }

    public override var namedChildren: [(String, Module)] { [("features", features), ("head", head)] }

    public override func forward(_ x: Tensor) throws -> Tensor { try head(features(x)) }

    /// Penultimate features and class logits of `images` [N, 1, 28, 28], computed in evaluation
    /// mode (running batch-norm statistics) without recording, in chunks of `chunk` images.
    public func embed(_ images: Tensor, chunk: Int = 500) throws -> (features: Tensor, logits: Tensor) {
        guard images.rank == 4, Array(images.shape.dropFirst()) == Self.imageShape, images.shape[0] >= 1 else {
            throw TensorError.invalidShape(op: "FashionClassifier", shape: images.shape,
                                           reason: "expects Fashion-MNIST images [N, 1, 28, 28] in [-1, 1]")
        }
        let wasTraining = isTraining
        eval()
        defer { train(wasTraining) }
        return try withoutGrad {
            var f: [Tensor] = [], l: [Tensor] = []
            var start = 0
            while start < images.shape[0] {
                let end = Swift.min(start + chunk, images.shape[0])
                let h = try features(images.sliced(axis: 0, start: start, end: end))
                f.append(h)
                l.append(try head(h))
                start = end
            }
            return (try Tensor.concat(f, axis: 0), try Tensor.concat(l, axis: 0))
        }
    }
}
