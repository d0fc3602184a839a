import Foundation
import GANCore
import GANData
import GANRegistry
import GANTensor

/// Times full training steps of the reference networks (shared/bench/torch_gan_bench.py) the way
/// that script does: a resident random batch in [-1, 1], warm-up steps, then the median of timed
/// steps. DCGAN-28/64 use the dcgan variant's step (D then G, BCE with logits, Adam 2e-4 / 0.5);
/// WGAN-GP-28 uses the wgan-gp variant (5 critic steps with the double-backward penalty).
/// PacGAN-2D is the pacgan variant's 2-D step on the paper's MLPs (batch = packs x pack size, the
/// recipes' 100 packs at pack 2 by default), points in [-4, 4]^2 like the grid's.
enum ModelBench {
    /// A bench model's variant built from seed 0, and its resident batch.
    static func setUp(_ model: String, batch: Int, pack: Int = 2) throws -> (variant: any GANVariant, source: FixedBatchSource) {
        let (variant, yaml, info): (String, String, DataInfo)
        switch model {
        case "dcgan28":
            (variant, yaml, info) = ("dcgan", "model: {preset: 28}", DataInfo(kind: .images, channels: 1, height: 28, width: 28))
        case "dcgan64":
            (variant, yaml, info) = ("dcgan", "model: {preset: 64}", DataInfo(kind: .images, channels: 3, height: 64, width: 64))
        case "pacgan2d":
            (variant, yaml, info) = ("pacgan", "model: {pack: \(pack)}", DataInfo(kind: .points, channels: 0, height: 0, width: 2))
        default:
            (variant, yaml, info) = ("wgan-gp", "train: {lr_g: 1.0e-4, lr_d: 1.0e-4, beta1: 0.0, beta2: 0.9}",
                                     DataInfo(kind: .images, channels: 1, height: 28, width: 28))
        }
        let recipe = try Registry.recipeLoader().parse("variant: \(variant)\n\(yaml)\n", file: "bench:\(model)", name: model,
                                                       overrides: ["train.batch_size=\(batch)"])
        guard let type = Registry.variant(named: variant) else { throw TrainingError.invalid("no \(variant) variant") }
        let root = RandomGenerator(seed: 0)
        let v = try type.init(context: VariantContext(recipe: recipe, data: info, initRNG: root.fork("init"), rng: root.fork("train")))
        let batchData = root.uniform([batch] + info.imageShape, low: -1, high: 1)
        if info.kind == .points {
            return (v, FixedBatchSource(Batch(tensors: ["point": batchData * 4], labels: nil, epoch: 0, index: 0)))
        }
        return (v, FixedBatchSource(images: batchData))
    }

    static func trainingStep(_ model: String, batch: Int, pack: Int = 2, warmup: Int, steps: Int) throws -> [String: Any] {
        let (v, source) = try setUp(model, batch: batch, pack: pack)
        return summary(model, batch: batch, times: try timedSteps(v, source, warmup: warmup, steps: steps))
    }

    /// DCGAN-28 fed by the real DataLoader over Fashion-MNIST (the default recipe's data), next to
    /// the same step on a resident batch: equal figures mean the loader is off the critical path.
    static func realData(batch: Int, warmup: Int, steps: Int) throws -> [[String: Any]] {
        let recipe = try Registry.recipeLoader().load("dcgan-fashion", overrides: ["train.batch_size=\(batch)"])
        let built = try DataFactory.make(recipe.data, seed: recipe.seed)
        let loader = try DataLoader(dataset: built.dataset, batchSize: batch, shuffle: true, dropLast: true,
                                    seed: recipe.seed, prefetch: 2, workers: recipe.data.int("workers"))
        defer { loader.close() }
        let (v, resident) = try setUp("dcgan28", batch: batch)
        // Interleaved (resident, loader) pairs so machine noise hits both alike.
        var residentTimes: [Double] = [], loaderTimes: [Double] = []
        for s in 0..<(warmup + steps) {
            let a = try timedSteps(v, resident, warmup: 0, steps: 1, firstStep: 2 * s + 1)
            let b = try timedSteps(v, loader, warmup: 0, steps: 1, firstStep: 2 * s + 2)
            if s >= warmup { residentTimes += a; loaderTimes += b }
        }
        var r = summary("dcgan28", batch: batch, times: residentTimes), l = summary("dcgan28", batch: batch, times: loaderTimes)
        r["data"] = "resident"
        l["data"] = "fashion-mnist loader"
        return [r, l]
    }

    /// Per-op profile over `steps` steps after warm-up: one JSON object per (op, pass), slowest first.
    static func profile(_ model: String, batch: Int, pack: Int = 2, warmup: Int, steps: Int) throws -> [[String: Any]] {
        let (v, source) = try setUp(model, batch: batch, pack: pack)
        for s in 0..<warmup { _ = try v.trainStep(source, step: s + 1) }
        OpProfiler.start()
        let t0 = DispatchTime.now().uptimeNanoseconds
        for s in 0..<steps { _ = try v.trainStep(source, step: warmup + s + 1) }
        let total = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let rows = OpProfiler.stop()
        func ms(_ seconds: Double) -> Double { (seconds / Double(steps) * 1e5).rounded() / 100 }
        var out: [[String: Any]] = rows.map { row in
            var j: [String: Any] = ["model": model, "profile": row.op, "pass": row.pass, "ms_per_step": ms(row.entry.seconds),
                                    "calls_per_step": Double(row.entry.calls) / Double(steps),
                                    "share": (row.entry.seconds / total * 1000).rounded() / 1000]
            if row.entry.flops > 0 { j["gflops"] = (row.entry.flops / row.entry.seconds / 1e8).rounded() / 10 }
            return j
        }
        let covered = rows.reduce(0) { $0 + $1.entry.seconds }
        out.append(["model": model, "profile": "total", "ms_per_step": ms(total), "unattributed_ms_per_step": ms(total - covered)])
        return out
    }

    static func timedSteps(_ v: any GANVariant, _ source: BatchSource, warmup: Int, steps: Int, firstStep: Int = 1) throws -> [Double] {
        for s in 0..<warmup { _ = try v.trainStep(source, step: firstStep + s) }
        var times: [Double] = []
        for s in 0..<steps {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try v.trainStep(source, step: firstStep + warmup + s)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        return times
    }

    static func summary(_ model: String, batch: Int, times: [Double]) -> [String: Any] {
        let sorted = times.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        return ["impl": "gankit", "model": model, "threads": BLASInfo.threads, "batch": batch,
                "median_s_per_step": (median * 1e5).rounded() / 1e5, "min_s": ((sorted.first ?? 0) * 1e5).rounded() / 1e5,
                "images_per_s": (Double(batch) / median * 10).rounded() / 10, "blas_core": BLASInfo.coreName]
    }
}
