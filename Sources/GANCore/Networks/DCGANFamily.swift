import GANTensor

/// DCGAN generators and discriminators (Radford et al. 2016, "Unsupervised Representation Learning
/// with Deep Convolutional GANs"): strided (transposed) convolutions, batch norm everywhere except
/// G's output and D's input, ReLU in G with a tanh output, LeakyReLU(0.2) in D.
/// Layer order and indices match the PyTorch Sequential definitions in
/// shared/bench/torch_gan_bench.py, so state_dict keys ("0.weight", "2.running_mean") coincide.
/// Several variants build on these (WGAN-GP without batch norm in the critic, PacGAN with a packed
/// input, the conditional variants with extra input channels), so they live in the core.
public enum DCGANNetworks {
    /// 28x28 (Fashion-MNIST): G = Linear(nz, 4ngf*7*7) -> 7x7 -> 14x14 -> 28x28; D mirrors it.
    public static func generator28(nz: Int, ngf: Int, channels: Int, rng: RandomGenerator) -> Sequential {
        Sequential(
            Linear(nz, 4 * ngf * 7 * 7, rng: rng), Unflatten([4 * ngf, 7, 7]), BatchNorm(4 * ngf), ReLU(),
            ConvTranspose2d(4 * ngf, 2 * ngf, kernel: 4, stride: 2, padding: 1, bias: false, rng: rng), BatchNorm(2 * ngf), ReLU(),
            ConvTranspose2d(2 * ngf, channels, kernel: 4, stride: 2, padding: 1, rng: rng), Tanh())
    }

    public static func discriminator28(ndf: Int, channels: Int, batchNorm: Bool, layerNorm: Bool = false, outputs: Int = 1, rng: RandomGenerator) -> Sequential {
        var layers: [Module] = [
            Conv2d(channels, ndf, kernel: 4, stride: 2, padding: 1, rng: rng), LeakyReLU(0.2),
            Conv2d(ndf, 2 * ndf, kernel: 4, stride: 2, padding: 1, bias: !batchNorm, rng: rng),
        ]
        if batchNorm { layers.append(BatchNorm(2 * ndf)) }
        // WGAN-GP's critic may not use batch norm (the penalty is per sample); layer norm is allowed.
        if layerNorm { layers.append(LayerNorm([2 * ndf, 7, 7])) }
        layers += [LeakyReLU(0.2), Flatten(), Linear(2 * ndf * 7 * 7, outputs, rng: rng)]
        return Sequential(layers)
    }

    /// 32x32 and 64x64: G starts from a 1x1 latent "image" and doubles the size per layer.
    /// 64x64 is the paper's LSUN architecture (and DCGAN-64 of the benchmark); 32x32 drops one
    /// doubling (ngf*4 at 4x4).
    public static func generatorPyramid(size: Int, nz: Int, ngf: Int, channels: Int, rng: RandomGenerator) -> Sequential {
        let doublings = size == 64 ? 3 : 2
        var width = ngf << doublings
        var layers: [Module] = [Unflatten([nz, 1, 1]),
                                ConvTranspose2d(nz, width, kernel: 4, stride: 1, padding: 0, bias: false, rng: rng),
                                BatchNorm(width), ReLU()]
        for _ in 0..<doublings {
            layers += [ConvTranspose2d(width, width / 2, kernel: 4, stride: 2, padding: 1, bias: false, rng: rng),
                       BatchNorm(width / 2), ReLU()]
            width /= 2
        }
        layers += [ConvTranspose2d(width, channels, kernel: 4, stride: 2, padding: 1, bias: false, rng: rng), Tanh()]
        return Sequential(layers)
    }

    public static func discriminatorPyramid(size: Int, ndf: Int, channels: Int, rng: RandomGenerator) -> Sequential {
        let doublings = size == 64 ? 3 : 2
        var width = ndf
        var layers: [Module] = [Conv2d(channels, ndf, kernel: 4, stride: 2, padding: 1, bias: false, rng: rng), LeakyReLU(0.2)]
        for _ in 0..<doublings {
            layers += [Conv2d(width, width * 2, kernel: 4, stride: 2, padding: 1, bias: false, rng: rng),
                       BatchNorm(width * 2), LeakyReLU(0.2)]
            width *= 2
        }
        layers += [Conv2d(width, 1, kernel: 4, stride: 1, padding: 0, bias: false, rng: rng), Flatten()]
        return Sequential(layers)
    }

    /// The DCGAN paper's initialisation: conv and linear weights N(0, std), biases 0, batch-norm
    /// gains N(1, std) and shifts 0 (as in the PyTorch DCGAN example).
    public static func initialize(_ net: Module, std: Float, rng: RandomGenerator) {
        for (name, p) in net.namedParameters() {
            if name.hasSuffix("bias") {
                Init.zeros(p)
            } else if p.rank == 1 && name.hasSuffix("weight") {
                Init.normal(p, mean: 1, std: std, rng: rng)
            } else {
                Init.normal(p, mean: 0, std: std, rng: rng)
            }
        }
    }
}
