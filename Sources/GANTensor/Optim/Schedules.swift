import Foundation

/// Learning-rate multipliers by step (or epoch: the unit is whatever the trainer counts). The
/// trainer sets `optimizer.learningRate = base * schedule.factor(at: t)`.
public enum LRSchedule: Sendable, Equatable {
    case constant
    /// 1 up to `startStep`, then straight down to 0 at `totalSteps` (pix2pix / CycleGAN "linear").
    /// Their per-epoch rule 1 - max(0, e + 1 - nEpochs) / (nEpochsDecay + 1) for epoch e from 0
    /// is this with startStep = nEpochs - 1 and totalSteps = nEpochs + nEpochsDecay.
    case linearDecay(startStep: Int, totalSteps: Int)
    /// gamma^(step / every), PyTorch's StepLR.
    case step(every: Int, gamma: Float)

    public func factor(at step: Int) -> Float {
        switch self {
        case .constant:
            return 1
        case let .linearDecay(start, total):
            if step <= start { return 1 }
            if step >= total { return 0 }
            return Float(total - step) / Float(total - start)
        case let .step(every, gamma):
            guard every > 0 else { return 1 }
            return Float(Foundation.pow(Double(gamma), Double(Swift.max(step, 0) / every)))
        }
    }
}
