import GANTensor

/// Gradient penalties shared by variants. Both differentiate the critic's gradient, which the
/// engine supports through `gradients(..., createGraph: true)` (double backward).
public enum GradientPenalty {
    /// WGAN-GP (Gulrajani et al. 2017, Algorithm 1): E[(||grad D(x_hat)||_2 - 1)^2] at random
    /// interpolates x_hat = eps x + (1 - eps) x_fake, eps ~ U[0, 1] per sample. Returns the penalty
    /// (on the tape, to be scaled by lambda and added to the critic loss) and the mean gradient norm.
    public static func wgan(critic: (Tensor) throws -> Tensor, real: Tensor, fake: Tensor,
                            rng: RandomGenerator) throws -> (penalty: Tensor, meanNorm: Float) {
        guard real.shape == fake.shape else {
            throw TensorError.shapeMismatch(op: "GradientPenalty.wgan (real vs fake)", lhs: real.shape, rhs: fake.shape)
        }
        let n = real.shape[0]
        let eps = rng.uniform([n] + Array(repeating: 1, count: real.rank - 1))
        let xHat = try (eps * real.detached() + (1 - eps) * fake.detached()).detached().requiringGrad()
        let scores = try critic(xHat)
        let grad = try gradients(of: scores.sum(axes: nil), wrt: [xHat], createGraph: true)[0]
        let norms = try perSampleNorm(grad)
        let penalty = try (norms - 1).pow(2).mean(axes: nil)
        return (penalty, try withoutGrad { try norms.mean(axes: nil).item })
    }

    /// R1 (Mescheder et al. 2018): E[||grad D(x_real)||^2] / 2 ... returned without the gamma/2 factor.
    public static func r1(critic: (Tensor) throws -> Tensor, real: Tensor) throws -> Tensor {
        let x = real.detached().requiringGrad()
        let grad = try gradients(of: critic(x).sum(axes: nil), wrt: [x], createGraph: true)[0]
        return try (grad * grad).sum(axes: Array(1..<grad.rank)).mean(axes: nil)
    }

    /// ||g_i||_2 over all but the batch axis; the tiny offset keeps sqrt differentiable at 0.
    static func perSampleNorm(_ g: Tensor) throws -> Tensor {
        try ((g * g).sum(axes: Array(1..<g.rank)) + 1e-12).sqrt()
    }
}
