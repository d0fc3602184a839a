import Foundation
import GANCore
import GANData
import GANRegistry
import GANTensor

/// Times full training steps of the reference networks (shared/bench/torch_gan_bench.py) the way
/// that script does: a resident random batch in [-1, 1], warm-up steps, then the median of timed
/// steps. DCGAN-28/64 use the dcgan variant's step (D then G, BCE with logits, Adam 2e-4 / 0.5);
/// WGAN-GP-28 uses the wgan-gp variant (5 critic steps with the double-backward penalty).
enum ModelBench {
    static func trainingStep(_ model: String, batch: Int, warmup: Int, steps: Int) throws -> [String: Any] {
        let (variant, yaml, info): (String, String, DataInfo)
        switch model {
        case "dcgan28":
            (variant, yaml, info) = ("dcgan", "model: {preset: 28}", DataInfo(kind: .images, channels: 1, height: 28, width: 28))
        case "dcgan64":
            (variant, yaml, info) = ("dcgan", "model: {preset: 64}", DataInfo(kind: .images, channels: 3, height: 64, width: 64))
        default:
            (variant, yaml, info) = ("wgan-gp", "train: {lr_g: 1.0e-4, lr_d: 1.0e-4, beta1: 0.0, beta2: 0.9}",
                                     DataInfo(kind: .images, channels: 1, height: 28, width: 28))
        }
        let recipe = try Registry.recipeLoader().parse("variant: \(variant)\n\(yaml)\n", file: "bench:\(model)", name: model,
                                                       overrides: ["train.batch_size=\(batch)"])
        guard let type = Registry.variant(named: variant) else { throw TrainingError.invalid("no \(variant) variant") }
        let root = RandomGenerator(seed: 0)
        let v = try type.init(context: VariantContext(recipe: recipe, data: info, initRNG: root.fork("init"), rng: root.fork("train")))
        let source = FixedBatchSource(images: root.uniform([batch] + info.imageShape, low: -1, high: 1))
        for s in 0..<warmup { _ = try v.trainStep(source, step: s + 1) }
        var times: [Double] = []
        for s in 0..<steps {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try v.trainStep(source, step: warmup + s + 1)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        let sorted = times.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        return ["impl": "gankit", "model": model, "threads": BLASInfo.threads, "batch": batch,
                "median_s_per_step": (median * 1e5).rounded() / 1e5, "min_s": ((sorted.first ?? 0) * 1e5).rounded() / 1e5,
                "images_per_s": (Double(batch) / median * 10).rounded() / 10, "blas_core": BLASInfo.coreName]
    }
}
