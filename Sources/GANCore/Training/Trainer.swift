import Foundation
import GANData
import GANMetrics
import GANTensor

/// Runs a recipe: builds the data and the variant, then loops over training steps with logging,
/// sample grids, checkpoints, NaN checks and clean interruption; resumes a run folder exactly.
public final class Trainer {
    public let recipe: Recipe
    public let variantType: any GANVariant.Type
    public let run: RunFolder
    /// Train up to this step (default: the recipe's train.steps).
    public var targetSteps: Int
    /// Where progress goes (stderr by default).
    public var progressSink: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    /// Test hook: called after every completed step (e.g. to simulate a kill).
    public var afterStep: ((Int) throws -> Void)?
    public var writeReport = true
    /// The feature network for `train.eval_every` (default: the `classifier-fashion` recipe's,
    /// from its cache); tests give a tiny one.
    public var featureEvaluator: (() throws -> FeatureEvaluator)?

    public private(set) var variant: (any GANVariant)?

    public init(recipe: Recipe, variantType: any GANVariant.Type, runDirectory: String, steps: Int? = nil) {
        self.recipe = recipe
        self.variantType = variantType
        self.run = RunFolder(runDirectory)
        self.targetSteps = steps ?? recipe.train.int("steps")
    }

    /// Trains from the latest complete checkpoint of the run folder if there is one, else from
    /// scratch. Returns the step reached.
    @discardableResult
    public func train() throws -> Int {
        try run.create()
        if !FileManager.default.fileExists(atPath: run.recipe.path) {
            try AtomicFile.write(Data(recipe.resolvedYAML.utf8), to: run.recipe)
        }
        let threads = recipe.train.int("threads")
        if threads > 0 { BLASInfo.setThreads(threads) }
        progressSink("gan: \(recipe.name) (\(variantType.name)) -> \(run.url.path); BLAS: \(BLASInfo.summary)")
        if let warning = BLASInfo.coreTypeWarning { progressSink("gan: warning: \(warning)") }

        let built = try DataFactory.make(recipe.data, seed: recipe.seed)
        try AtomicFile.write(try JSONEncoder().encode(built.info), to: run.dataInfo)
        let root = RandomGenerator(seed: recipe.seed)
        let trainRNG = root.fork("train")
        let context = VariantContext(recipe: recipe, data: built.info, initRNG: root.fork("init"), rng: trainRNG)
        let variant = try variantType.init(context: context)
        self.variant = variant
        let evaluation = try PeriodicEvaluation(recipe: recipe, data: built.info, conditional: variant.conditionClasses != nil) { [progressSink, featureEvaluator] in
            try featureEvaluator?() ?? ClassifierRecipe.evaluator(log: progressSink)
        }
        let batchSize = recipe.train.int("batch_size")
        guard built.dataset.count >= batchSize else {
            throw TrainingError.invalid("data: \(built.dataset.name) has \(built.dataset.count) samples, fewer than train.batch_size \(batchSize)")
        }

        // Resume: the latest complete checkpoint restores weights, optimizers, streams and the loader.
        let rotation = CheckpointRotation(directory: run.checkpoints, keep: recipe.train.int("keep_checkpoints"))
        var startStep = 0
        var loaderState: DataLoader.State?
        var elapsedBefore = 0.0
        if let latest = try rotation.latest() {
            let state = try Checkpointer.load(into: variant, from: latest.url)
            guard state.variant == variantType.name, state.seed == recipe.seed else {
                throw TrainingError.resume("\(latest.url.path) was written by \(state.variant) with seed \(state.seed)")
            }
            for (name, g) in generators(variant, trainRNG) {
                guard let s = state.generators[name] else { throw TrainingError.resume("\(latest.url.path): no state for generator \(name)") }
                try g.restore(s)
            }
            loaderState = try state.loader.map { try JSONDecoder().decode(DataLoader.State.self, from: $0) }
            startStep = state.step
            elapsedBefore = state.elapsedSeconds
            progressSink("gan: resumed from \(latest.url.path) at step \(startStep)")
        }
        let loader = try DataLoader(dataset: built.dataset, batchSize: batchSize, shuffle: recipe.data.bool("shuffle"),
                                    dropLast: true, seed: recipe.seed, prefetch: 2,
                                    workers: recipe.data.int("workers"), resumeFrom: loaderState)
        defer { loader.close() }

        let metrics = try MetricsLog(url: run.metrics)
        try metrics.truncate(afterStep: startStep)
        let board = try TensorBoardWriter(directory: run.tensorboard)
        let sampler = try SampleSheet(variant: variant, recipe: recipe, dataset: built.dataset, folder: run.samples, seed: recipe.seed)
        let progress = ProgressReporter(total: targetSteps, start: startStep, sink: progressSink)
        let signals = SignalWatcher()
        defer { signals.restore() }
        let clock = Date()
        var lastCheckpoint: String? = try rotation.latest()?.url.path
        let schedules = LearningRates(recipe: recipe, optimizers: variant.optimizers)

        func checkpoint(_ step: Int) throws -> String {
            let state = CheckpointState(
                step: step, recipe: recipe.name, variant: variantType.name, seed: recipe.seed,
                generators: Dictionary(uniqueKeysWithValues: generators(variant, trainRNG).map { ($0.0, $0.1.state) }),
                optimizerSteps: Dictionary(uniqueKeysWithValues: variant.optimizers.map { ($0.0, $0.1.stepCount) }),
                loader: try JSONEncoder().encode(loader.state),
                elapsedSeconds: elapsedBefore + Date().timeIntervalSince(clock))
            let dir = rotation.url(forStep: step)
            try Checkpointer.save(variant: variant, state: state, to: dir)
            try rotation.keepLast()
            return dir.path
        }

        var step = startStep
        while step < targetSteps {
            step += 1
            schedules.apply(step: step)
            let values = try variant.trainStep(loader, step: step)
            if let bad = values.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isFinite }) {
                throw TrainingError.nonFinite(step: step, name: bad.key, value: bad.value, lastCheckpoint: lastCheckpoint)
            }
            progress.update(step: step, values: values)
            let every = recipe.train
            if step % every.int("log_every") == 0 || step == targetSteps {
                try metrics.append(step: step, time: elapsedBefore + Date().timeIntervalSince(clock), values: values)
                for (k, v) in values.sorted(by: { $0.key < $1.key }) { try board.scalar(k, v, step: step) }
            }
            if step % every.int("sample_every") == 0 || step == targetSteps {
                let png = try sampler.write(step: step)
                try board.image("samples", png: png.bytes, width: png.width, height: png.height, channels: png.channels, step: step)
            }
            if let evaluation, evaluation.isDue(step) {
                let scored = try evaluation.run(variant)
                try metrics.append(step: step, time: elapsedBefore + Date().timeIntervalSince(clock), values: scored.mapValues { Float($0) })
                for (k, v) in scored.sorted(by: { $0.key < $1.key }) { try board.scalar(k, Float(v), step: step) }
                progressSink("gan: step \(step): " + scored.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.4g", $0.value))" }.joined(separator: ", "))
            }
            if step % every.int("checkpoint_every") == 0 || step == targetSteps {
                lastCheckpoint = try checkpoint(step)
            }
            try afterStep?(step)
            if signals.stopRequested {
                let path = try checkpoint(step)
                try board.flush()
                throw TrainingError.interrupted(step: step, checkpoint: path)
            }
        }
        progress.finish()
        try reportHeldOut(variant, metrics: metrics, board: board, step: step, elapsed: elapsedBefore + Date().timeIntervalSince(clock))
        try board.flush()
        if writeReport {
            try HTMLReport.write(run: run.url, metrics: run.metrics, samples: sampler.writtenFiles,
                                 recipe: recipe.resolvedYAML, to: run.report)
        }
        return step
    }

    /// The variant's figures on the test split, when the dataset has one, logged at the last step.
    private func reportHeldOut(_ variant: any GANVariant, metrics: MetricsLog, board: TensorBoardWriter,
                               step: Int, elapsed: Double) throws {
        guard recipe.data.string("split") == "train", ["fashion-mnist", "mnist-idx", "cifar10"].contains(recipe.data.string("dataset")) else { return }
        var options = recipe.data
        options.set("split", .string("test"))
        options.set("limit", .null)
        options.set("transforms", .list([]))
        let test = try DataFactory.make(options, seed: recipe.seed).dataset
        let figures = try variant.evaluate(on: test)
        guard !figures.isEmpty else { return }
        let named = Dictionary(uniqueKeysWithValues: figures.map { ("test_\($0.key)", $0.value) })
        try metrics.append(step: step, time: elapsed, values: named)
        for (k, v) in named.sorted(by: { $0.key < $1.key }) { try board.scalar(k, v, step: step) }
        progressSink("gan: on \(test.name): " + named.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.4f", $0.value))" }.joined(separator: ", "))
    }

    /// Every stream whose position must survive a restart.
    private func generators(_ variant: any GANVariant, _ trainRNG: RandomGenerator) -> [(String, RandomGenerator)] {
        [("train", trainRNG)] + variant.randomGenerators
    }
}
