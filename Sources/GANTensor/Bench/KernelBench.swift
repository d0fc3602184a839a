import Foundation

/// One timed kernel: the median wall time of one call and the arithmetic rate it implies.
public struct BenchRecord: Codable, Sendable, Equatable {
    public var name: String
    public var shape: String
    public var seconds: Double
    public var gflops: Double
    /// The rate as a share of the sgemm rate measured just before it (conv layers only).
    public var sgemmShare: Double?
    /// The rate as a share of the median of the run's sgemm cases (conv layers only): one sgemm
    /// case of a run on a shared machine can be slow (96 against 155-181 GFLOP/s, 3 Dec).
    public var sgemmMedianShare: Double?
    /// With several rounds (`KernelBench.all`), each round's median; `seconds` is their median.
    public var roundSeconds: [Double]?
    /// Bytes read and written per second, in GB/s (the memory `copy` case only).
    public var gigabytesPerSecond: Double?

    public init(name: String, shape: String, seconds: Double, gflops: Double, sgemmShare: Double? = nil) {
        self.name = name
        self.shape = shape
        self.seconds = seconds
        self.gflops = gflops
        self.sgemmShare = sgemmShare
    }
}

/// Throughput of the engine's hot kernels: plain sgemm and the convolutions of DCGAN at 28x28
/// (MNIST-like) and 64x64 (the DCGAN paper's architecture), forward and backward. Each case runs
/// once to warm up (scratch buffers, OpenBLAS threads), then `repeats` times; the median is kept.
public enum KernelBench {
    /// A convolution layer to time: conv2d, or convTranspose2d with the weight [in, out, k, k].
    public struct ConvCase: Sendable {
        public var name: String
        public var transposed: Bool
        public var inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int
        /// Input height = width.
        public var inputSize: Int

        public init(_ name: String, transposed: Bool, _ inChannels: Int, _ outChannels: Int, kernel: Int = 4,
                    stride: Int = 2, padding: Int = 1, inputSize: Int) {
            self.name = name
            self.transposed = transposed
            self.inChannels = inChannels
            self.outChannels = outChannels
            self.kernel = kernel
            self.stride = stride
            self.padding = padding
            self.inputSize = inputSize
        }

        /// Whether the layer runs on `ThinKernels` (`ConvLayout.isThin`; a transposed layer's
        /// image side is its output).
        func isThin(batch: Int) -> Bool { layout(batch: batch).isThin }

        /// Whether a conv2d product of the layer (conv2d's forward, convTranspose2d's input
        /// gradient) runs as an implicit GEMM (`ConvLayout.isImplicit`).
        func isImplicit(batch: Int) -> Bool { layout(batch: batch).isImplicit }

        func layout(batch: Int) -> ConvLayout {
            let g = Conv2dGeometry(stride: stride, padding: padding)
            let side = transposed ? g.transposedOutputSize(input: (inputSize, inputSize), kernel: (kernel, kernel))
                                  : (inputSize, inputSize)
            let map = transposed ? (inputSize, inputSize) : g.convOutputSize(input: side, kernel: (kernel, kernel))
            return ConvLayout(batch: batch, imageChannels: transposed ? outChannels : inChannels, imageHeight: side.0,
                              imageWidth: side.1, mapChannels: transposed ? inChannels : outChannels, mapHeight: map.0,
                              mapWidth: map.1, kernelHeight: kernel, kernelWidth: kernel, geometry: g)
        }
    }

    /// DCGAN on 28x28: D's two convolutions and G's two transposed convolutions.
    public static let dcgan28: [ConvCase] = [
        ConvCase("dcgan28.D.conv1", transposed: false, 1, 64, inputSize: 28),
        ConvCase("dcgan28.D.conv2", transposed: false, 64, 128, inputSize: 14),
        ConvCase("dcgan28.G.convT1", transposed: true, 256, 128, inputSize: 7),
        ConvCase("dcgan28.G.convT2", transposed: true, 128, 1, inputSize: 14),
    ]

    /// DCGAN on 64x64 (nc = 3, ngf = ndf = 64, nz = 100; Radford et al. 2016 / PyTorch's example).
    public static let dcgan64: [ConvCase] = [
        ConvCase("dcgan64.D.conv1", transposed: false, 3, 64, inputSize: 64),
        ConvCase("dcgan64.D.conv2", transposed: false, 64, 128, inputSize: 32),
        ConvCase("dcgan64.D.conv3", transposed: false, 128, 256, inputSize: 16),
        ConvCase("dcgan64.D.conv4", transposed: false, 256, 512, inputSize: 8),
        ConvCase("dcgan64.G.convT1", transposed: true, 100, 512, stride: 1, padding: 0, inputSize: 1),
        ConvCase("dcgan64.G.convT2", transposed: true, 512, 256, inputSize: 4),
        ConvCase("dcgan64.G.convT3", transposed: true, 256, 128, inputSize: 8),
        ConvCase("dcgan64.G.convT4", transposed: true, 128, 64, inputSize: 16),
        ConvCase("dcgan64.G.convT5", transposed: true, 64, 3, inputSize: 32),
    ]

    /// Every benchmark: forward and backward of each DCGAN-28 and DCGAN-64 layer, each preceded by
    /// sgemm so its share of the sgemm rate compares two rates of the same few seconds (the load
    /// of a shared machine changes within a run), and before that by a memory `copy`: the thin
    /// layers stream their 64-channel side through L3 and memory, which other tenants of a shared
    /// machine load without slowing sgemm alike (3 Dec: sgemm 5-15% below a quiet run of the same
    /// binary, the thin layers 22-76%). Thin layers, and layers with an implicit-GEMM
    /// product, are timed on those kernels and again on the im2col + gemm path (names ending
    /// ".gemm_path"), so the two compare in the same run; layers whose forward puts the samples
    /// on the lanes (`ConvLayout.hasSamplesOnLanes`) also without them (".nchw_form").
    /// `layers`: only the cases whose names start with one of these prefixes (all when nil);
    /// `splitBackward`: also the backward's two products apart (see `convolution`); `rounds`: the
    /// whole list timed this many times, each record the median of its rounds (`merged`), so a
    /// burst of load on a shared machine moves one round of a case rather than its figure.
    public static func all(batch: Int = 64, repeats: Int = 5, layers: [String]? = nil,
                           splitBackward: Bool = false, rounds: Int = 1) throws -> [BenchRecord] {
        guard rounds >= 1 else {
            throw TensorError.invalidArgument(op: "bench --rounds", reason: "must be at least 1, got \(rounds)")
        }
        let implicit = Kernels.implicitConvolutions, samplesOnLanes = Kernels.samplesOnLanes
        defer {
            Kernels.thinConvolutions = true
            Kernels.implicitConvolutions = implicit
            Kernels.samplesOnLanes = samplesOnLanes
        }
        let cases = (dcgan28 + dcgan64).filter { c in layers.map { $0.contains { c.name.hasPrefix($0) } } ?? true }
        if cases.isEmpty, let layers {
            throw TensorError.invalidArgument(op: "bench --layers", reason: "no kernel case starts with \(layers.joined(separator: ", "))")
        }
        var timed: [[BenchRecord]] = []
        for _ in 0..<rounds {
            timed.append(try round(cases, batch: batch, repeats: repeats, splitBackward: splitBackward, implicit: implicit,
                                   samplesOnLanes: samplesOnLanes))
        }
        var records = merged(timed)
        let sgemmRate = median(records.filter { $0.name == "sgemm" }.map(\.gflops))
        for i in records.indices where records[i].sgemmShare != nil && sgemmRate > 0 {
            records[i].sgemmMedianShare = records[i].gflops / sgemmRate
        }
        return records
    }

    /// One pass over the cases: each layer after its sgemm reference, on each of its paths.
    private static func round(_ cases: [ConvCase], batch: Int, repeats: Int, splitBackward: Bool, implicit: Bool?,
                              samplesOnLanes: Bool?) throws -> [BenchRecord] {
        var records: [BenchRecord] = []
        for c in cases {
            records.append(copy(repeats: repeats))
            let reference = sgemm(size: 1024, repeats: repeats)
            records.append(reference)
            // OpenBLAS's threads spin for a while after a product before they sleep, taking a
            // core from whatever runs next: without this pause the first path timed after sgemm
            // ran up to 2x slower than the same kernel timed third (3 Dec, DCGAN-28 D.conv2).
            usleep(300_000)
            Kernels.thinConvolutions = true
            Kernels.implicitConvolutions = implicit
            let lanes = c.isImplicit(batch: batch) && c.layout(batch: batch).hasSamplesOnLanes
            let paths = c.isThin(batch: batch) || c.isImplicit(batch: batch) ? ["", ".gemm_path"] : [""]
            for path in paths + (lanes ? [".nchw_form"] : []) {
                Kernels.thinConvolutions = path != ".gemm_path"
                Kernels.implicitConvolutions = path == ".gemm_path" ? false : implicit
                Kernels.samplesOnLanes = path == ".nchw_form" ? false : samplesOnLanes
                for var r in try convolution(c, batch: batch, repeats: repeats, splitBackward: splitBackward) {
                    r.name += path
                    r.sgemmShare = reference.gflops > 0 ? r.gflops / reference.gflops : nil
                    records.append(r)
                }
            }
        }
        return records
    }

    /// The rounds' records (the same list each round) as one: each the median of its rounds'
    /// times at its own operation count, and a layer's share against its merged sgemm reference.
    static func merged(_ rounds: [[BenchRecord]]) -> [BenchRecord] {
        guard let first = rounds.first, rounds.count > 1 else { return rounds.first ?? [] }
        var reference = 0.0
        return first.indices.map { i in
            var r = first[i]
            let times = rounds.map { $0[i].seconds }
            r.seconds = median(times)
            r.roundSeconds = times
            r.gflops = r.seconds > 0 ? first[i].gflops * first[i].seconds / r.seconds : 0
            r.gigabytesPerSecond = first[i].gigabytesPerSecond.map { r.seconds > 0 ? $0 * first[i].seconds / r.seconds : 0 }
            if r.name == "sgemm" { reference = r.gflops }
            if r.sgemmShare != nil { r.sgemmShare = reference > 0 ? r.gflops / reference : nil }
            return r
        }
    }

    /// C = A B for square matrices of side `size`.
    public static func sgemm(size n: Int = 1024, repeats: Int = 5) -> BenchRecord {
        let rng = RandomGenerator(seed: 1)
        let a = rng.uniform([n, n]), b = rng.uniform([n, n]), c = Tensor(uninitialized: [n, n])
        let seconds = medianSeconds(repeats: repeats) {
            Kernels.gemm(transA: false, transB: false, m: n, n: n, k: n, a: a.data, lda: n, b: b.data, ldb: n, c: c.data, ldc: n)
        }
        return record("sgemm", "[\(n),\(n)]x[\(n),\(n)]", seconds, flops: 2 * Double(n) * Double(n) * Double(n))
    }

    /// dst = src for `floats` floats each way (64 MB by default, twice the 32 MB L3 of the machines
    /// measured), split over the BLAS threads: the memory bandwidth the moment it runs, as bytes read
    /// plus bytes written per second. The buffers are made once per process and kept.
    public static func copy(floats: Int = copyFloats, repeats: Int = 5) -> BenchRecord {
        let (src, dst) = floats == copyFloats ? copyBuffers : (Tensor(zeros: [floats]), Tensor(zeros: [floats]))
        return timedCopy(src, into: dst, repeats: repeats)
    }

    /// `copy` between given tensors of one size.
    static func timedCopy(_ src: Tensor, into dst: Tensor, repeats: Int) -> BenchRecord {
        let floats = src.count, workers = Swift.max(1, Swift.min(BLASInfo.threads, floats))
        let seconds = medianSeconds(repeats: repeats) {
            Parallel.forWorkers(workers) { worker in
                let start = floats * worker / workers, end = floats * (worker + 1) / workers
                (dst.data + start).update(from: src.data + start, count: end - start)
            }
        }
        var r = BenchRecord(name: "copy", shape: "[\(floats)] -> [\(floats)] floats", seconds: seconds, gflops: 0)
        r.gigabytesPerSecond = seconds > 0 ? 2 * Double(floats * MemoryLayout<Float>.size) / seconds / 1e9 : 0
        return r
    }

    public static let copyFloats = 1 << 24
    private static let copyBuffers = (Tensor(zeros: [copyFloats]), Tensor(zeros: [copyFloats]))

    /// Forward, then backward (input gradient plus weight gradient, the two gemm-heavy parts of a
    /// training step) of one layer, timed on exactly the calls the ops make; with `splitBackward`
    /// also each of the two alone (".backward.input", ".backward.weight").
    public static func convolution(_ c: ConvCase, batch: Int = 64, repeats: Int = 5,
                                   splitBackward: Bool = false) throws -> [BenchRecord] {
        let rng = RandomGenerator(seed: 2)
        let g = Conv2dGeometry(stride: c.stride, padding: c.padding)
        let x = rng.uniform([batch, c.inChannels, c.inputSize, c.inputSize], low: -1, high: 1)
        let wShape = c.transposed ? [c.inChannels, c.outChannels, c.kernel, c.kernel]
                                  : [c.outChannels, c.inChannels, c.kernel, c.kernel]
        let w = rng.uniform(wShape, low: -0.1, high: 0.1)
        let forward = { c.transposed ? try x.convTranspose2d(w, geometry: g) : try x.conv2d(w, geometry: g) }
        let y = try forward()
        let gy = rng.uniform(y.shape, low: -1, high: 1)
        let inSize = (c.inputSize, c.inputSize), k = (c.kernel, c.kernel)
        let inputGradient: () throws -> Void = c.transposed ? {
            _ = try gy.convolved(w, bias: nil, g, outputSize: inSize)
        } : {
            _ = try gy.transposeConvolved(w, bias: nil, g, outputSize: inSize)
        }
        let weightGradient: () -> Void = c.transposed ? { _ = gy.weightGradient(x, kernelSize: k, g) }
                                                      : { _ = x.weightGradient(gy, kernelSize: k, g) }
        let backward: () throws -> Void = { try inputGradient(); weightGradient() }
        // Every conv gemm does the same multiply-adds: N * Cin * Cout * k^2 * (smaller spatial area).
        let smallArea = Double(c.transposed ? c.inputSize * c.inputSize : y.shape[2] * y.shape[3])
        let flops = 2 * Double(batch * c.inChannels * c.outChannels * c.kernel * c.kernel) * smallArea
        let shape = "x\(x.shape) w\(w.shape) -> \(y.shape) stride \(c.stride) padding \(c.padding)"
        return try withoutGrad {
            [record(c.name + ".forward", shape, try medianSeconds(repeats: repeats) { _ = try forward() }, flops: flops),
             record(c.name + ".backward", shape, try medianSeconds(repeats: repeats, backward), flops: 2 * flops)]
            + (splitBackward ? [record(c.name + ".backward.input", shape, try medianSeconds(repeats: repeats, inputGradient), flops: flops),
                                record(c.name + ".backward.weight", shape, medianSeconds(repeats: repeats, weightGradient), flops: flops)] : [])
        }
    }

    static func monotonicSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    static func record(_ name: String, _ shape: String, _ seconds: Double, flops: Double) -> BenchRecord {
        BenchRecord(name: name, shape: shape, seconds: seconds, gflops: seconds > 0 ? flops / seconds / 1e9 : 0)
    }

    /// Warm-up calls for at least 20 ms, then the median of at least `repeats` timed calls on the
    /// monotonic clock, and of more while they add up to under 0.1 s: a sub-millisecond thin layer
    /// timed five times right after the pause above ran cold (up to 3x slower, 3 Dec).
    static func medianSeconds(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        let warm = monotonicSeconds()
        repeat { try body() } while monotonicSeconds() - warm < 0.02
        var times: [Double] = []
        let first = monotonicSeconds()
        while times.count < Swift.max(1, repeats) || (monotonicSeconds() - first < 0.1 && times.count < 1000) {
            let start = monotonicSeconds()
            try body()
            times.append(monotonicSeconds() - start)
        }
        return median(times)
    }

    /// The middle value (the mean of the two middle ones for an even count); 0 for none.
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted(), mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
