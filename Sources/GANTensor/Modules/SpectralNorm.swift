/// Spectral normalisation (Miyato et al. 2018), as torch.nn.utils.spectral_norm: the wrapped
/// layer runs with weight_orig / sigma, where sigma estimates the largest singular value of
/// weight_orig seen as a matrix whose rows are indexed by axis `dim` (default: the layer's
/// `outputAxis`, PyTorch's choice) and whose columns are all other axes flattened in order.
///
/// Each training-mode forward first runs `powerIterations` steps of power iteration on the
/// buffers u, v (in place, no gradient): v = normalize(W^T u), u = normalize(W v). Then
/// sigma = u^T W v is computed differentiably in W with u and v held constant, as PyTorch does.
/// Evaluation mode uses the stored u, v without updating them.
///
/// State dict: the wrapped layer's other parameters, `weight_orig`, then buffers `weight_u`
/// [rows] and `weight_v` [columns]: exactly PyTorch's keys (PyTorch keeps the computed `weight`
/// as a plain attribute, not in its state dict, and neither is it emitted here).
public final class SpectralNorm<Wrapped: WeightedModule>: WeightReparametrization<Wrapped> {
    public let dim: Int
    public let powerIterations: Int
    public let eps: Float
    /// weight_orig (the wrapped layer's own weight tensor, shared), weight_u, weight_v.
    public let weightOrig: Tensor, u: Tensor, v: Tensor
    private let matrix: WeightMatrixView

    /// u and v start as normalised standard-normal draws from `rng` (u first, as PyTorch).
    public init(_ module: Wrapped, rng: RandomGenerator, powerIterations: Int = 1, eps: Float = 1e-12,
                dim: Int? = nil) throws {
        let w = module.weight
        let axis = try Self.checkedAxis(dim ?? module.outputAxis, of: w, op: "SpectralNorm")
        guard powerIterations >= 0, w.count > 0 else {
            throw TensorError.invalidArgument(op: "SpectralNorm", reason: "needs a non-empty weight (got \(w.shape)) and powerIterations >= 0")
        }
        let view = WeightMatrixView(shape: w.shape, rowAxis: axis)
        self.dim = axis
        self.powerIterations = powerIterations
        self.eps = eps
        matrix = view
        weightOrig = w
        u = rng.normal([view.rows])
        v = rng.normal([view.columns])
        super.init(wrapping: module)
        Self.normalize(u, u.scalars.map(Double.init), eps: eps)
        Self.normalize(v, v.scalars.map(Double.init), eps: eps)
    }

    override var extraParameters: [(String, Tensor)] { [("weight_orig", weightOrig)] }
    override var extraBuffers: [(String, Tensor)] { [("weight_u", u), ("weight_v", v)] }

    public override func currentWeight() throws -> Tensor {
        if isTraining {
            for _ in 0..<powerIterations {
                Self.normalize(v, matrix.transposedTimes(weightOrig, u), eps: eps)
                Self.normalize(u, matrix.times(weightOrig, v), eps: eps)
            }
        }
        // sigma = u^T W v = sum(W * (u v^T laid out like W)); the layout is a fresh constant, so
        // later in-place updates of u, v cannot disturb this forward's backward.
        let sigma = try (weightOrig * matrix.outerProduct(u, v)).sum(axes: nil)
        return try weightOrig / sigma
    }

    /// u^T W v for the stored u, v: the divisor of the next evaluation-mode forward.
    public var sigma: Float {
        let wv = matrix.times(weightOrig, v)
        return Float((0..<u.count).reduce(0.0) { $0 + Double(u.data[$1]) * wv[$1] })
    }

    /// target = x / max(||x||, eps), PyTorch's F.normalize.
    private static func normalize(_ target: Tensor, _ x: [Double], eps: Float) {
        let norm = Swift.max(x.reduce(0) { $0 + $1 * $1 }.squareRoot(), Double(eps))
        for i in x.indices { target.data[i] = Float(x[i] / norm) }
    }
}

/// A tensor seen as a matrix: rows along one axis, columns the other axes flattened in order.
/// Element (o, r, i) of the tensor viewed as [outer, rows, inner] is entry (r, o * inner + i).
struct WeightMatrixView {
    let shape: [Int]
    let outer: Int, rows: Int, inner: Int
    var columns: Int { outer * inner }

    init(shape: [Int], rowAxis: Int) {
        self.shape = shape
        outer = shape.prefix(rowAxis).reduce(1, *)
        rows = shape[rowAxis]
        inner = shape.suffix(from: rowAxis + 1).reduce(1, *)
    }

    /// Calls body(flat index, row, column) for every element, in memory order.
    @inline(__always)
    private func forEach(_ body: (Int, Int, Int) -> Void) {
        var flat = 0
        for o in 0..<outer {
            for r in 0..<rows {
                for i in 0..<inner {
                    body(flat, r, o * inner + i)
                    flat += 1
                }
            }
        }
    }

    /// W x for x of length `columns`, in Double.
    func times(_ w: Tensor, _ x: Tensor) -> [Double] {
        var out = [Double](repeating: 0, count: rows)
        let wp = w.data, xp = x.data
        forEach { k, r, c in out[r] += Double(wp[k]) * Double(xp[c]) }
        return out
    }

    /// W^T y for y of length `rows`, in Double.
    func transposedTimes(_ w: Tensor, _ y: Tensor) -> [Double] {
        var out = [Double](repeating: 0, count: columns)
        let wp = w.data, yp = y.data
        forEach { k, r, c in out[c] += Double(wp[k]) * Double(yp[r]) }
        return out
    }

    /// The matrix u v^T laid out in the tensor's shape.
    func outerProduct(_ u: Tensor, _ v: Tensor) -> Tensor {
        let t = Tensor(uninitialized: shape)
        let tp = t.data, up = u.data, vp = v.data
        forEach { k, r, c in tp[k] = up[r] * vp[c] }
        return t
    }
}
