import GANTensor

/// How evenly generated images change along straight paths in latent space (Radford, Metz, Chintala
/// 2016, section 6.1: a walk in latent space without sharp transitions is evidence that the generator
/// has not memorised its training images). The images come path after path, `framesPerPath` evenly
/// spaced frames each. Per path, the root-mean-square pixel change between consecutive frames gives:
/// - `jump`: the largest change over the mean change (1 for an even walk, frames-1 when the whole
///   change happens between two frames);
/// - `step`: the largest change over the change between the path's endpoints (1/(frames-1) for an even
///   walk along a straight image-space line; 1 for a single jump; above 1 when the path detours
///   through images far from both ends).
/// A path whose frames are all identical has no transition at all and counts as an even walk (a
/// collapsed generator shows up in FID, not here).
public struct LatentPathSmoothness: Sendable {
    public struct Path: Sendable, Equatable {
        public var jump: Double
        public var step: Double
    }

    public let framesPerPath: Int
    public let paths: [Path]

    public init(frames images: Tensor, framesPerPath: Int) throws {
        let op = "LatentPathSmoothness"
        guard framesPerPath >= 3 else {
            throw EvaluationError.invalid("\(op): a path needs at least 3 frames, got \(framesPerPath)")
        }
        guard images.rank >= 2, images.shape[0] > 0, images.shape[0] % framesPerPath == 0 else {
            throw EvaluationError.invalid("\(op): \(images.shape.first ?? 0) images do not split into paths of \(framesPerPath) frames")
        }
        let x = images.scalars
        guard x.allSatisfy({ $0.isFinite }) else { throw EvaluationError.invalid("\(op): the frames hold non-finite values") }
        let size = images.count / images.shape[0]
        func change(_ i: Int, _ j: Int) -> Double {
            var sum = 0.0
            for e in 0..<size { let d = Double(x[i * size + e]) - Double(x[j * size + e]); sum += d * d }
            return (sum / Double(size)).squareRoot()
        }
        self.framesPerPath = framesPerPath
        paths = (0..<(images.shape[0] / framesPerPath)).map { k in
            let first = k * framesPerPath, last = first + framesPerPath - 1
            let steps = (first..<last).map { change($0, $0 + 1) }
            let largest = steps.max()!, mean = steps.reduce(0, +) / Double(steps.count)
            guard largest > 0 else { return Path(jump: 1, step: 1 / Double(framesPerPath - 1)) }
            return Path(jump: largest / mean, step: largest / Swift.max(change(first, last), largest * 1e-9))
        }
    }

    /// The q-quantile over paths of one measure, e.g. `quantile(0.5, \.step)` for the median path.
    public func quantile(_ q: Double, _ measure: KeyPath<Path, Double>) -> Double {
        Quantile.of(paths.map { $0[keyPath: measure] }, q)!
    }
}
