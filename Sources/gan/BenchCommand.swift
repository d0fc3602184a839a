import ArgumentParser
import Foundation
import GANCore
import GANData
import GANRegistry
import GANTensor

/// Speed figures as JSON lines: kernels (GFLOP/s) and full training steps of the networks in
/// shared/bench/torch_gan_bench.py (median seconds per step after warm-up, like that script).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Benchmark kernels and training steps (JSON lines).")

    enum Model: String, ExpressibleByArgument, CaseIterable { case kernels, dcgan28, dcgan64, wgangp28, pacgan2d, data, all }

    @Option(help: "kernels, dcgan28, dcgan64, wgangp28, pacgan2d (not in all), data or all.") var model: Model = .all
    @Option(help: "Timed steps per model (median reported).") var steps: Int = 30
    @Option(help: "Warm-up steps.") var warmup: Int = 3
    @Option(help: "Batch size (pacgan2d: default 100 packs x --pack).") var batch: Int?
    @Option(help: "pacgan2d only: pack size.") var pack: Int = 2
    @Option(help: "BLAS threads (0: all cores).") var threads: Int = 0
    @Flag(help: "Also print a per-op profile (forward and backward time, calls, GFLOP/s) of each model's step.") var profile = false
    @Option(help: "kernels only: time just the layers whose names start with one of these comma-separated prefixes (e.g. dcgan28.G.convT2).") var layers: String?
    @Flag(help: "kernels only: also time the backward's input-gradient and weight-gradient products apart (.backward.input, .backward.weight).") var splitBackward = false
    @Option(help: "kernels only: time the whole list of cases this many times and report each case's median over the rounds (a burst of load then moves one round of a case, not its figure).") var rounds: Int = 1
    @Option(help: "dcgan28 only: 'fashion' also times the step on real Fashion-MNIST batches through the DataLoader.") var data: String?

    func run() throws {
        try reportingErrors {
            if let data, data != "fashion" {
                throw TrainingError.invalid("bench --data: only 'fashion' is known, got '\(data)'")
            }
            if threads > 0 { BLASInfo.setThreads(threads) }
            emit(["model": "environment", "blas_core": BLASInfo.coreName, "blas_config": BLASInfo.config,
                  "thin_layer_kernels": ThinKernels.level.description, "wide_layer_kernels": Kernels.wideLayerKernels,
                  "threads": threads > 0 ? threads : Parallel.cores, "warning": BLASInfo.coreTypeWarning ?? ""])
            let models: [Model] = model == .all ? [.kernels, .dcgan28, .dcgan64, .wgangp28, .data] : [model]
            for m in models {
                switch m {
                case .kernels:
                    let prefixes = layers.map { $0.split(separator: ",").map(String.init) }
                    for r in try KernelBench.all(batch: batch ?? 64, repeats: 5, layers: prefixes, splitBackward: splitBackward,
                                                      rounds: rounds) {
                        var line: [String: Any] = ["model": "kernels", "name": r.name, "shape": r.shape, "median_s": r.seconds]
                        if let rate = r.gigabytesPerSecond { line["gb_per_s"] = (rate * 10).rounded() / 10 }
                        else { line["gflops"] = (r.gflops * 10).rounded() / 10 }
                        if let share = r.sgemmShare { line["sgemm_share"] = (share * 1000).rounded() / 1000 }
                        if let share = r.sgemmMedianShare { line["sgemm_median_share"] = (share * 1000).rounded() / 1000 }
                        if let times = r.roundSeconds { line["round_median_s"] = times }
                        emit(line)
                    }
                case .dcgan28, .dcgan64, .wgangp28, .pacgan2d:
                    let batch = self.batch ?? (m == .pacgan2d ? 100 * pack : 64)
                    emit(try ModelBench.trainingStep(m.rawValue, batch: batch, pack: pack, warmup: warmup, steps: steps))
                    if m == .dcgan28, data != nil {
                        for r in try ModelBench.realData(batch: batch, warmup: warmup, steps: steps) { emit(r) }
                    }
                    if profile {
                        for r in try ModelBench.profile(m.rawValue, batch: batch, pack: pack, warmup: warmup, steps: steps) { emit(r) }
                    }
                case .data:
                    for r in try DataBench.run(batchSize: batch ?? 64) { var j = r.json; j["model"] = "data"; emit(j) }
                case .all: break
                }
            }
        }
    }

    func emit(_ object: [String: Any]) {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
        fflush(stdout)
    }
}
