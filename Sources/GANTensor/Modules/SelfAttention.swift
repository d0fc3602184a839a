/// The self-attention block of SAGAN (Zhang et al. 2019, "Self-Attention Generative Adversarial
/// Networks", section 4). With x_i the C-channel feature at position i of an H x W map:
///   f(x) = W_f x, g(x) = W_g x, h(x) = W_h x   (1x1 convolutions C -> C/8),
///   s_ij = f(x_i)^T g(x_j),  beta_ji = softmax over i of s_ij,
///   o_j = v(sum_i beta_ji h(x_i))               (v a 1x1 convolution C/8 -> C),
///   y = gamma * o + x, gamma a learned scalar starting at 0 (the block starts as the identity).
/// The paper states W_f, W_g, W_h in R^{C/8 x C} and W_v in R^{C x C/8} with C/8 in all
/// experiments. C/8 is rounded down and at least 1.
///
/// State dict: `gamma` [1], then children `f`, `g`, `h`, `v` with `weight` [out, in, 1, 1] and
/// `bias` [out] (or, spectral-normalised, `bias`, `weight_orig`, `weight_u`, `weight_v`).
public final class SelfAttention: Module {
    public let channels: Int
    /// C/8, the channels of f, g, h.
    public let reduced: Int
    public let f: Module, g: Module, h: Module, v: Module
    public let gamma: Tensor

    public init(_ channels: Int, spectralNorm: Bool = false, rng: RandomGenerator) throws {
        self.channels = channels
        let reduced = Swift.max(1, channels / 8)
        self.reduced = reduced
        func conv(_ i: Int, _ o: Int) throws -> Module {
            let c = PointwiseConv(i, o, rng: rng)
            return spectralNorm ? try SpectralNorm(c, rng: rng) : c
        }
        f = try conv(channels, reduced)
        g = try conv(channels, reduced)
        h = try conv(channels, reduced)
        v = try conv(reduced, channels)
        gamma = Tensor(zeros: [1]).requiringGrad()
    }

    public override var namedOwnParameters: [(String, Tensor)] { [("gamma", gamma)] }
    public override var namedChildren: [(String, Module)] { [("f", f), ("g", g), ("h", h), ("v", v)] }

    public override func forward(_ x: Tensor) throws -> Tensor {
        guard x.rank == 4, x.shape[1] == channels else {
            throw TensorError.shapeMismatch(op: "SelfAttention(\(channels))", lhs: x.shape, rhs: [channels])
        }
        let (n, height, width) = (x.shape[0], x.shape[2], x.shape[3])
        let positions = height * width
        func project(_ conv: Module) throws -> Tensor { try conv(x).reshaped([n, reduced, positions]) }
        let fx = try project(f), gx = try project(g), hx = try project(h)
        // scores[j, i] = g(x_j) . f(x_i) = s_ij, so attention over i is a softmax along the last axis.
        let beta = try gx.matmul(fx, transposeSelf: true).softmax(axis: 2)  // [N, j, i]
        // attended[c, j] = sum_i h(x_i)[c] beta[j, i]
        let attended = try hx.matmul(beta, transposeOther: true).reshaped([n, reduced, height, width])
        return try gamma * v(attended) + x
    }
}
