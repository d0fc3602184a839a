import CKernels

/// convTranspose2d forward (and so conv2d's input gradient) by output phases on the implicit
/// GEMM. With stride s and a kernel side divisible by s, output row Y = a*s + py receives only the
/// kernel rows i with i = py + p (mod s), from input rows a + (py + p - i)/s: for each phase
/// (py, px) the outputs are a stride-1 convolution of the input with a (k/s) x (k/s) slice of the
/// weight (DCGAN's k 4, s 2, p 1: four 2x2 convolutions). Each output is then written once, as one
/// fma chain, instead of being scattered and summed by col2im from a column matrix.
extension ConvLayout {
    /// Whether convTranspose2d forward runs by phases: a layer on the implicit GEMM with stride at
    /// least 2 on both axes, no dilation, kernel sides divisible by the strides, and an input (map
    /// side) of at least `Kernels.phasedMinimumMapArea` positions. Measured (`gan bench --model
    /// kernels`, 3 Dec): 4x4 inputs (DCGAN-64's G.convT2 and D.conv4's input gradient) at parity
    /// or slower than col2im, 7x7 and larger faster.
    var isPhased: Bool {
        let g = geometry
        return isImplicit && g.stride.0 > 1 && g.stride.1 > 1 && g.dilation == (1, 1)
            && kernelHeight % g.stride.0 == 0 && kernelWidth % g.stride.1 == 0 && mapArea >= Kernels.phasedMinimumMapArea
    }

    /// Phase (py, px): the stride-1 convolution of the map side that yields its outputs, and the
    /// kernel rows and columns it takes, in its tap order.
    func phase(_ py: Int, _ px: Int) -> (layout: ConvLayout, rows: [Int], columns: [Int]) {
        let g = geometry
        // Taps of one axis in order of the input position they read (offset (o + p - i)/s rising).
        func taps(_ o: Int, _ k: Int, _ s: Int, _ p: Int) -> (taps: [Int], padding: Int) {
            let taps = (0..<k).filter { (($0 - o - p) % s + s) % s == 0 }.reversed()
            return (Array(taps), -((o + p - taps.first!) / s))
        }
        let (rows, padY) = taps(py, kernelHeight, g.stride.0, g.padding.0)
        let (columns, padX) = taps(px, kernelWidth, g.stride.1, g.padding.1)
        let count = { (o: Int, size: Int, s: Int) in o < size ? (size - o + s - 1) / s : 0 }
        let layout = ConvLayout(batch: batch, imageChannels: mapChannels, imageHeight: mapHeight, imageWidth: mapWidth,
                                mapChannels: imageChannels, mapHeight: count(py, imageHeight, g.stride.0),
                                mapWidth: count(px, imageWidth, g.stride.1), kernelHeight: rows.count,
                                kernelWidth: columns.count,
                                geometry: Conv2dGeometry(stride: (1, 1), padding: (padY, padX)))
        return (layout, rows, columns)
    }
}

extension Kernels {
    /// Smallest input area (map side) run by phases; a variable so the tests can run any shape.
    static var phasedMinimumMapArea = 32

    /// Floats of the phases' outputs held at once per worker: the samples of a chunk go through
    /// every phase and are then laid into y while the phases are still in L2 (DCGAN-64's 32x32
    /// outputs: 4 samples, 1 MB). A whole batch of phases first (16 MB on G.convT4) was written
    /// to memory and read back.
    static var phasedChunkFloats = 1 << 18

    /// y [N, Ci, H, W] = convTranspose2d(x [N, Cm, Hm, Wm], w [Cm, Ci, kh, kw]) + bias, phase by
    /// phase: each worker takes its share of the batch chunk by chunk; a chunk's phase
    /// convolutions go into the worker's scratch, then one pass lays them into y row by row
    /// (writing y once, in order). Each output is its phase's chain, whatever the chunks.
    static func phasedConvTranspose2dForward(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ l: ConvLayout, into y: Tensor) {
        let phases = (0..<l.geometry.stride.0).flatMap { py in (0..<l.geometry.stride.1).map { px in l.phase(py, px) } }
        let perSample = phases.map { $0.layout.mapChannels * $0.layout.mapArea }
        let starts = perSample.indices.map { perSample[..<$0].reduce(0, +) }, sampleFloats = perSample.reduce(0, +)
        let weights = phaseWeights(w, phases.map { ($0.rows, $0.columns) }), perPhase = w.count / phases.count
        var shapes = phases.map(\.layout.implicitShape)
        let packedSizes = shapes.indices.map { gk_conv_packed_size(&shapes[$0]) }
        let packedStarts = packedSizes.indices.map { packedSizes[..<$0].reduce(0, +) }
        let packed = ScratchBuffers.current.buffer(.packedWeight, count: packedSizes.reduce(0, +))
        for p in phases.indices { gk_conv_pack_weight(&shapes[p], weights + p * perPhase, packed + packedStarts[p]) }
        let chunk = Swift.max(1, phasedChunkFloats / Swift.max(1, sampleFloats)), workers = l.workers
        let imageSize = l.mapChannels * l.mapArea, outputSize = l.imageChannels * l.imageArea
        Parallel.forWorkers(workers) { worker in
            let first = l.batch * worker / workers, end = l.batch * (worker + 1) / workers
            let out = ScratchBuffers.current.buffer(.transposed, count: Swift.min(chunk, end - first) * sampleFloats)
            for n0 in stride(from: first, to: end, by: chunk) {
                let count = Swift.min(chunk, end - n0)
                for p in phases.indices where perSample[p] > 0 {
                    implicitForward(phases[p].layout, samples: count, image: x.data + n0 * imageSize,
                                    packed: packed + packedStarts[p], bias: bias, into: out + starts[p] * count)
                }
                interleavePhases(out, starts.map { $0 * count }, phases.map(\.layout), l, planes: count * l.imageChannels,
                                 into: y.data + n0 * outputSize)
            }
        }
    }

    /// y[plane, a*sh + py, b*sw + px] = phase (py, px)[plane, a, b] for `planes` planes, the
    /// phases at out + starts[p].
    private static func interleavePhases(_ out: UnsafeMutablePointer<Float>, _ starts: [Int], _ phases: [ConvLayout],
                                         _ l: ConvLayout, planes: Int, into to: UnsafeMutablePointer<Float>) {
        let (sh, sw) = l.geometry.stride, h = l.imageHeight, wd = l.imageWidth
        if sh == 2 && sw == 2 {
            // DCGAN's stride: in C, two phase rows to one output row by vector permutes (the loop
            // below stores every other float one at a time).
            let sources: [UnsafePointer<Float>?] = starts.map { UnsafePointer(out + $0) }
            sources.withUnsafeBufferPointer { gk_interleave_phases(0, planes, h, wd, $0.baseAddress!, to) }
            return
        }
        for plane in 0..<planes {
            for row in 0..<h {
                let py = row % sh, a = row / sh, line = to + (plane * h + row) * wd
                for px in 0..<Swift.min(sw, wd) {
                    let p = py * sw + px, pw = phases[p].mapWidth
                    let src = out + starts[p] + (plane * phases[p].mapHeight + a) * pw
                    for b in 0..<pw { line[b * sw + px] = src[b] }
                }
            }
        }
    }

    /// Each phase's weight as a conv2d weight [Ci, Cm, rows, columns] = w[c, o, rows[a], columns[b]],
    /// phase after phase in the calling thread's scratch (every phase takes the same number of
    /// taps, together all of w), each block of w read once; in parallel over w's input channels.
    static func phaseWeights(_ w: Tensor, _ taps: [(rows: [Int], columns: [Int])]) -> UnsafeMutablePointer<Float> {
        let (cm, ci, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        let per = taps[0].rows.count * taps[0].columns.count, size = ci * cm * per, src = w.data
        let to = ScratchBuffers.current.buffer(.phaseWeights, count: size * taps.count)
        Parallel.forChunks(cm, grain: Swift.max(1, Parallel.grain / Swift.max(1, ci * kh * kw))) { s, e in
            for c in s..<e {
                for o in 0..<ci {
                    let block = src + (c * ci + o) * kh * kw
                    for (p, t) in taps.enumerated() {
                        var at = to + p * size + (o * cm + c) * per
                        for i in t.rows {
                            for j in t.columns {
                                at.pointee = block[i * kw + j]
                                at += 1
                            }
                        }
                    }
                }
            }
        }
        return to
    }
}
