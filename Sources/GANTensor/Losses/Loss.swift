/// Training objectives. Each returns a scalar (shape []) mean over its inputs, built from
/// differentiable ops so gradients (and gradients of gradients, for penalties) flow through.
/// The GAN losses follow their papers' sign conventions: every function is to be minimised.
public enum Loss {
    /// Hinge loss for the discriminator (Lim & Ye 2017; Miyato et al. 2018):
    /// mean(relu(1 - real)) + mean(relu(1 + fake)).
    public static func hingeD(real: Tensor, fake: Tensor) throws -> Tensor {
        try (1 - real).relu().mean() + (1 + fake).relu().mean()
    }

    /// Hinge loss for the generator: -mean(fake).
    public static func hingeG(fake: Tensor) throws -> Tensor {
        try -fake.mean()
    }

    /// Wasserstein critic loss (Arjovsky et al. 2017): mean(fake) - mean(real).
    public static func wassersteinD(real: Tensor, fake: Tensor) throws -> Tensor {
        try fake.mean() - real.mean()
    }

    /// Wasserstein generator loss: -mean(fake).
    public static func wassersteinG(fake: Tensor) throws -> Tensor {
        try -fake.mean()
    }

    /// Least-squares discriminator loss (Mao et al. 2017, eq. 2 with the 0-1 coding a = 0, b = 1):
    /// 0.5 mean((real - b)^2) + 0.5 mean((fake - a)^2).
    public static func leastSquaresD(real: Tensor, fake: Tensor, a: Float = 0, b: Float = 1) throws -> Tensor {
        try ((real - b).pow(2).mean() + (fake - a).pow(2).mean()) * 0.5
    }

    /// Least-squares generator loss (Mao et al. 2017, c = 1): 0.5 mean((fake - c)^2).
    public static func leastSquaresG(fake: Tensor, c: Float = 1) throws -> Tensor {
        try (fake - c).pow(2).mean() * 0.5
    }

    /// Mean absolute error; both tensors must have the same shape.
    public static func l1(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
        try sameShape(prediction, target, op: "Loss.l1")
        return try (prediction - target).abs().mean()
    }

    /// Mean squared error; both tensors must have the same shape.
    public static func mse(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
        try sameShape(prediction, target, op: "Loss.mse")
        return try (prediction - target).pow(2).mean()
    }

    /// Losses compare element by element: silently broadcasting a [N] target against [N, 1]
    /// predictions would compute something else entirely, so unequal shapes are an error.
    static func sameShape(_ a: Tensor, _ b: Tensor, op: String) throws {
        guard a.shape == b.shape else { throw TensorError.shapeMismatch(op: op, lhs: a.shape, rhs: b.shape) }
    }
}
