import GANTensor

/// An exponential moving average of a network's weights (the "G_ema" many GANs sample from):
/// after each step, ema = decay * ema + (1 - decay) * current, for parameters; buffers are copied.
public struct ExponentialMovingAverage {
    public let decay: Float

    public init(decay: Float) { self.decay = decay }

    public func update(_ average: Module, from current: Module) throws {
        try withoutGrad {
            let a = average.namedParameters(), c = current.namedParameters()
            guard a.map(\.0) == c.map(\.0) else {
                throw TensorError.stateDict("EMA: networks differ (\(a.count) vs \(c.count) parameters)")
            }
            for ((_, avg), (_, cur)) in zip(a, c) {
                let ap = avg.data, cp = cur.data, d = decay
                for i in 0..<avg.count { ap[i] = d * ap[i] + (1 - d) * cp[i] }
            }
            for ((_, avg), (_, cur)) in zip(average.namedBuffers(), current.namedBuffers()) { try avg.assign(cur) }
        }
    }
}
