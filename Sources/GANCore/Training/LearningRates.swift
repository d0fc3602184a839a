import GANTensor

/// Applies the recipe's learning-rate schedule to every optimizer before each step, relative to
/// each optimizer's base rate.
struct LearningRates {
    let schedule: LRSchedule
    let optimizers: [(String, any Optimizer)]
    let base: [Float]

    init(recipe: Recipe, optimizers: [(String, any Optimizer)]) {
        let t = recipe.train
        switch t.string("lr_schedule") {
        case "linear": schedule = .linearDecay(startStep: t.int("decay_start"), totalSteps: t.int("steps"))
        case "step": schedule = .step(every: Swift.max(1, t.int("decay_start")), gamma: t.float("decay_gamma"))
        default: schedule = .constant
        }
        self.optimizers = optimizers
        base = optimizers.map { $0.1.learningRate }
    }

    func apply(step: Int) {
        let f = schedule.factor(at: step - 1)
        for (i, (_, opt)) in optimizers.enumerated() { opt.learningRate = base[i] * f }
    }
}
