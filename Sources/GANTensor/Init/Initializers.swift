import Foundation

/// In-place parameter initialisers with PyTorch's `torch.nn.init` formulas (fans, gains, bounds),
/// drawing only from the given generator. They write raw values and are never recorded.
public enum Init {
    public enum FanMode: Sendable { case fanIn, fanOut }

    /// The nonlinearity that follows a layer, which sets the gain of Xavier and Kaiming init.
    public enum Nonlinearity: Sendable { case linear, sigmoid, tanh, relu, leakyRelu, selu }

    /// PyTorch's `calculate_gain`: `param` is the negative slope of leaky ReLU (default 0.01).
    public static func gain(_ nonlinearity: Nonlinearity, param: Float? = nil) -> Float {
        switch nonlinearity {
        case .linear, .sigmoid: return 1
        case .tanh: return 5.0 / 3
        case .relu: return Float(2).squareRoot()
        case .leakyRelu:
            let slope = param ?? 0.01
            return (2 / (1 + slope * slope)).squareRoot()
        case .selu: return 3.0 / 4
        }
    }

    /// PyTorch's `_calculate_fan_in_and_fan_out`: dimension 1 is the input, dimension 0 the output,
    /// both times the receptive field (product of dimensions 2...). Like PyTorch this reads a
    /// transposed convolution's [in, out, kH, kW] weight by position, not by meaning.
    public static func fans(_ shape: [Int]) throws -> (fanIn: Int, fanOut: Int) {
        guard shape.count >= 2 else {
            throw TensorError.invalidShape(op: "Init.fans", shape: shape, reason: "fan in and fan out need at least 2 dimensions")
        }
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }

    public static func normal(_ t: Tensor, mean: Float = 0, std: Float = 1, rng: RandomGenerator) {
        overwrite(t, with: rng.normal(t.shape, mean: mean, std: std))
    }

    public static func uniform(_ t: Tensor, low: Float = 0, high: Float = 1, rng: RandomGenerator) {
        overwrite(t, with: rng.uniform(t.shape, low: low, high: high))
    }

    public static func constant(_ t: Tensor, _ value: Float) {
        t.data.update(repeating: value, count: t.count)
    }

    public static func zeros(_ t: Tensor) { constant(t, 0) }
    public static func ones(_ t: Tensor) { constant(t, 1) }

    /// Glorot & Bengio (2010): U(-a, a) with a = gain sqrt(6 / (fanIn + fanOut)).
    public static func xavierUniform(_ t: Tensor, gain: Float = 1, rng: RandomGenerator) throws {
        let bound = Float(3).squareRoot() * (try xavierStd(t.shape, gain: gain))
        uniform(t, low: -bound, high: bound, rng: rng)
    }

    /// Glorot & Bengio (2010): N(0, std^2) with std = gain sqrt(2 / (fanIn + fanOut)).
    public static func xavierNormal(_ t: Tensor, gain: Float = 1, rng: RandomGenerator) throws {
        normal(t, std: try xavierStd(t.shape, gain: gain), rng: rng)
    }

    /// He et al. (2015): U(-b, b) with b = sqrt(3) gain / sqrt(fan); `a` is the leaky-ReLU slope
    /// passed to `gain` (PyTorch's defaults: a = 0, fan in, leaky ReLU, so gain sqrt(2)).
    public static func kaimingUniform(_ t: Tensor, a: Float = 0, mode: FanMode = .fanIn,
                                      nonlinearity: Nonlinearity = .leakyRelu, rng: RandomGenerator) throws {
        let bound = Float(3).squareRoot() * (try kaimingStd(t.shape, a: a, mode: mode, nonlinearity: nonlinearity))
        uniform(t, low: -bound, high: bound, rng: rng)
    }

    /// He et al. (2015): N(0, std^2) with std = gain / sqrt(fan).
    public static func kaimingNormal(_ t: Tensor, a: Float = 0, mode: FanMode = .fanIn,
                                     nonlinearity: Nonlinearity = .leakyRelu, rng: RandomGenerator) throws {
        normal(t, std: try kaimingStd(t.shape, a: a, mode: mode, nonlinearity: nonlinearity), rng: rng)
    }

    static func xavierStd(_ shape: [Int], gain: Float) throws -> Float {
        let (fanIn, fanOut) = try fans(shape)
        return gain * (2 / Float(Swift.max(fanIn + fanOut, 1))).squareRoot()
    }

    static func kaimingStd(_ shape: [Int], a: Float, mode: FanMode, nonlinearity: Nonlinearity) throws -> Float {
        let (fanIn, fanOut) = try fans(shape)
        let fan = mode == .fanIn ? fanIn : fanOut
        return gain(nonlinearity, param: a) / Float(Swift.max(fan, 1)).squareRoot()
    }

    static func overwrite(_ t: Tensor, with values: Tensor) {
        t.data.update(from: values.data, count: t.count)
    }
}
