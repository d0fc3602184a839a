/// Weight normalisation (Salimans & Kingma 2016), as torch.nn.utils.weight_norm: the wrapped
/// layer's weight becomes weight_g * weight_v / ||weight_v||, the norm taken over every axis
/// except `dim` (over all of them when `dim` is nil). State dict: the wrapped layer's other
/// parameters, then `weight_g` (shape 1 except along `dim`; [] when nil) and `weight_v`.
/// Initially weight_v is the layer's weight and weight_g its norm, so the output is unchanged.
public final class WeightNorm<Wrapped: WeightedModule>: WeightReparametrization<Wrapped> {
    public let dim: Int?
    /// weight_g and weight_v.
    public let magnitude: Tensor, direction: Tensor
    private let normAxes: [Int]

    public init(_ module: Wrapped, dim: Int? = 0) throws {
        let v = module.weight
        let axis = try dim.map { try Self.checkedAxis($0, of: v, op: "WeightNorm") }
        self.dim = axis
        let axes = (0..<v.rank).filter { $0 != axis }
        normAxes = axes
        direction = v
        magnitude = try withoutGrad { try Self.norm(v, axes: axes, keepDims: axis != nil) }.requiringGrad()
        super.init(wrapping: module)
    }

    private static func norm(_ v: Tensor, axes: [Int], keepDims: Bool) throws -> Tensor {
        try (v * v).sum(axes: axes, keepDims: keepDims).sqrt()
    }

    override var extraParameters: [(String, Tensor)] { [("weight_g", magnitude), ("weight_v", direction)] }

    public override func currentWeight() throws -> Tensor {
        try direction * (magnitude / Self.norm(direction, axes: normAxes, keepDims: dim != nil))
    }
}
