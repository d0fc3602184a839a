/// A layer whose output is a function of its input and one weight tensor, so that a wrapper can
/// substitute a reparametrised weight (weight norm, spectral norm). Linear and PointwiseConv
/// conform; convolution layers can conform the same way.
public protocol WeightedModule: Module {
    /// The layer's own weight parameter (wrappers take it over as their initial value).
    var weight: Tensor { get }
    /// The layer applied with `weight` in place of its own.
    func forward(_ x: Tensor, weight: Tensor) throws -> Tensor
    /// The axis of `weight` that indexes output features: 0 for Linear and Conv2d ([out, in, ...]),
    /// 1 for ConvTranspose2d ([in, out, ...]). It is PyTorch's default `dim` for spectral norm.
    var outputAxis: Int { get }
}

extension WeightedModule {
    public var outputAxis: Int { 0 }
}

/// The shell shared by weight reparametrisations. PyTorch's weight_norm/spectral_norm hooks
/// replace `weight` inside the wrapped module itself, so its state dict holds the module's other
/// entries plus the new ones with no extra prefix; this wrapper presents exactly that: the
/// wrapped module's parameters other than `weight`, then `extraParameters`; its buffers, then
/// `extraBuffers`; its children.
public class WeightReparametrization<Wrapped: WeightedModule>: Module {
    public let wrapped: Wrapped

    init(wrapping module: Wrapped) {
        wrapped = module
        super.init()
        train(module.isTraining)
    }

    var extraParameters: [(String, Tensor)] { [] }
    var extraBuffers: [(String, Tensor)] { [] }

    /// The weight the wrapped layer runs with now (may update state in training mode).
    public func currentWeight() throws -> Tensor {
        throw TensorError.invalidArgument(op: "\(type(of: self))", reason: "no weight reparametrisation defined")
    }

    public override var namedOwnParameters: [(String, Tensor)] {
        wrapped.namedOwnParameters.filter { $0.0 != "weight" } + extraParameters
    }

    public override var namedOwnBuffers: [(String, Tensor)] { wrapped.namedOwnBuffers + extraBuffers }

    public override var namedChildren: [(String, Module)] { wrapped.namedChildren }

    public override func forward(_ x: Tensor) throws -> Tensor {
        try wrapped.forward(x, weight: currentWeight())
    }

    /// The wrapped module is not a child (its entries are ours), so pass the mode on by hand.
    public override func didChangeMode() {
        if wrapped.isTraining != isTraining { wrapped.train(isTraining) }
    }

    /// `dim` (negative counts from the end) checked against the weight's rank.
    static func checkedAxis(_ dim: Int, of weight: Tensor, op: String) throws -> Int {
        try Shape.axes([dim], rank: weight.rank, op: op)[0]
    }
}
