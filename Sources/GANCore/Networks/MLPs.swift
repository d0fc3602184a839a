import GANTensor

/// Fully connected networks for the 2-D mixture experiments.
public enum MLPNetworks {
    /// PacGAN's 2-D generator (Lin et al. 2018, authors' synthetic_data_experiments): z in R^2 ->
    /// `depth` hidden layers of `width` units, each Linear (no bias) + BatchNorm + ReLU -> Linear to 2.
    /// Batch-norm running statistics move by 0.05 a step, as the authors' population updates do.
    public static func pacganGenerator(nz: Int, width: Int, depth: Int, outputs: Int = 2, rng: RandomGenerator) -> Sequential {
        var layers: [Module] = []
        var inputs = nz
        for _ in 0..<depth {
            layers += [Linear(inputs, width, bias: false, rng: rng), BatchNorm(width, momentum: 0.05), ReLU()]
            inputs = width
        }
        layers.append(Linear(inputs, outputs, rng: rng))
        return Sequential(layers)
    }

    /// PacGAN's 2-D discriminator: `depth` maxout layers (`width` units of `pieces` pieces), then a
    /// linear logit. `inputs` is 2 x pack size.
    public static func maxoutDiscriminator(inputs: Int, width: Int, pieces: Int, depth: Int, rng: RandomGenerator) -> Sequential {
        var layers: [Module] = []
        var n = inputs
        for _ in 0..<depth {
            layers.append(Maxout(n, width, pieces: pieces, rng: rng))
            n = width
        }
        layers.append(Linear(n, 1, rng: rng))
        return Sequential(layers)
    }

    /// WGAN-GP's toy networks (Gulrajani et al. 2017, gan_toy.py): `depth` ReLU layers of `width`.
    public static func reluMLP(inputs: Int, width: Int, depth: Int, outputs: Int, rng: RandomGenerator) -> Sequential {
        var layers: [Module] = []
        var n = inputs
        for _ in 0..<depth {
            layers += [Linear(n, width, rng: rng), ReLU()]
            n = width
        }
        layers.append(Linear(n, outputs, rng: rng))
        return Sequential(layers)
    }
}

/// Maxout (Goodfellow et al. 2013): `units` outputs, each the max of `pieces` affine functions.
public final class Maxout: Module {
    public let linear: Linear
    public let units: Int, pieces: Int

    public init(_ inputs: Int, _ units: Int, pieces: Int, rng: RandomGenerator) {
        linear = Linear(inputs, units * pieces, rng: rng)
        self.units = units
        self.pieces = pieces
    }

    public override var namedChildren: [(String, Module)] { [("linear", linear)] }

    public override func forward(_ x: Tensor) throws -> Tensor {
        try linear(x).reshaped([x.shape[0], units, pieces]).max(axes: [2])
    }
}
