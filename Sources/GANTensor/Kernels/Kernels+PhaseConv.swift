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

    /// y [N, Ci, H, W] = convTranspose2d(x [N, Cm, Hm, Wm], w [Cm, Ci, kh, kw]) + bias, phase by
    /// phase: each phase's convolution into the calling thread's scratch, then one pass that lays
    /// the phases into y row by row (writing y once, in order: a pass per phase would touch every
    /// cache line of y once per phase).
    static func phasedConvTranspose2dForward(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ l: ConvLayout, into y: Tensor) {
        let (sh, sw) = l.geometry.stride
        let phases = (0..<sh).flatMap { py in (0..<sw).map { px in l.phase(py, px) } }
        let sizes = phases.map { $0.layout.batch * $0.layout.mapChannels * $0.layout.mapArea }
        let starts = sizes.indices.map { sizes[..<$0].reduce(0, +) }
        let out = ScratchBuffers.current.buffer(.transposed, count: sizes.reduce(0, +))
        let weights = phaseWeights(w, phases.map { ($0.rows, $0.columns) }), perPhase = w.count / phases.count
        for (p, phase) in phases.enumerated() where sizes[p] > 0 {
            implicitConv2dForward(x, weights + p * perPhase, bias: bias, phase.layout, into: out + starts[p])
        }
        // y[n, c, a*sh + py, b*sw + px] = phase (py, px)[n, c, a, b].
        let planes = l.batch * l.imageChannels, h = l.imageHeight, wd = l.imageWidth, to = y.data
        let widths = phases.map(\.layout.mapWidth), heights = phases.map(\.layout.mapHeight)
        Parallel.forChunks(planes, grain: Swift.max(1, Parallel.grain / Swift.max(1, h * wd))) { s, e in
            for plane in s..<e {
                for row in 0..<h {
                    let py = row % sh, a = row / sh, line = to + (plane * h + row) * wd
                    for px in 0..<Swift.min(sw, wd) {
                        let p = py * sw + px, pw = widths[p]
                        let src = out + starts[p] + (plane * heights[p] + a) * pw
                        for b in 0..<pw { line[b * sw + px] = src[b] }
                    }
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
