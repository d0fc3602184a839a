import GANTensor

/// One example of any dataset, as named tensors plus an optional class label, so that every variant
/// reads the same type: "image" ([C,H,W] in [-1, 1]) for plain sets, "A" and "B" for paired and
/// unpaired translation sets, "point" ([2]) for 2-D mixtures, and "image", "mask", "view",
/// "transform" for the chair renderer. A loader stacks each name into a batch along a new axis 0.
public struct Sample: @unchecked Sendable {
    public var tensors: [String: Tensor]
    public var label: Int?

    public init(_ tensors: [String: Tensor], label: Int? = nil) {
        self.tensors = tensors
        self.label = label
    }

    public subscript(_ name: String) -> Tensor? {
        get { tensors[name] }
        set { tensors[name] = newValue }
    }
}

/// A finite, indexable collection of samples. Random access by index is what makes a seeded
/// shuffle, exact resume and parallel prefetching possible. Datasets that augment at random take
/// the generator the loader passes, which depends only on the seed, the epoch and the index.
public protocol Dataset: AnyObject, Sendable {
    /// A short description for logs ("fashion-mnist train (60000)").
    var name: String { get }
    var count: Int { get }
    /// Number of classes when samples carry labels, else nil.
    var classCount: Int? { get }
    /// Sample `index` (0..<count). `rng` drives any random augmentation of this one sample.
    func sample(at index: Int, rng: RandomGenerator) throws -> Sample
}

extension Dataset {
    public var classCount: Int? { nil }
}
