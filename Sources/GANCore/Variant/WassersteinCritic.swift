import GANTensor

/// A variant whose critic estimates the Wasserstein distance between real and generated data
/// (WGAN-GP). Exposing the critic and one critic update lets the reproduction suite train a
/// critic alone against a frozen generator and read its estimate.
public protocol WassersteinCritic: GANVariant {
    /// One critic update on `real` against fresh generator samples of the same count. Returns the
    /// estimate E[D(real)] - E[D(fake)] on that batch before the update, the full critic loss
    /// (with its penalty) and the mean gradient norm at the penalty's interpolates.
    func criticStep(real: Tensor) throws -> CriticStepFigures
    /// The critic network, whose scores [N, 1] the estimate averages.
    var criticNetwork: Module { get }
}

public struct CriticStepFigures: Sendable {
    public var estimate: Float
    public var loss: Float
    public var gradientNorm: Float

    public init(estimate: Float, loss: Float, gradientNorm: Float) {
        self.estimate = estimate
        self.loss = loss
        self.gradientNorm = gradientNorm
    }
}
