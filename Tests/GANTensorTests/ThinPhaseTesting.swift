@testable import GANTensor

/// What the thin phase kernels' tests share: random sizes, the kernel levels this CPU runs, and
/// the layout of a 4x4 thin layer in DCGAN's geometry (stride 2, padding 1) unless told otherwise.
protocol ThinPhaseTesting {
    var rng: RandomGenerator { get }
}

extension ThinPhaseTesting {
    var dcgan: Conv2dGeometry { Conv2dGeometry(stride: 2, padding: 1) }

    func pick(_ range: ClosedRange<Int>) -> Int { range.lowerBound + rng.nextInt(below: range.count) }

    var levels: [ThinKernels.Level] { ThinKernels.Level.allCases.filter { $0.rawValue <= ThinKernels.bestLevel.rawValue } }

    /// The layout between an image of `channels` x `image` and a map [batch, maps, map] with a 4x4
    /// kernel.
    func layout(batch: Int, channels: Int, image: (Int, Int), maps: Int, map: (Int, Int),
                _ g: Conv2dGeometry? = nil) -> ConvLayout {
        ConvLayout(batch: batch, imageChannels: channels, imageHeight: image.0, imageWidth: image.1, mapChannels: maps,
                   mapHeight: map.0, mapWidth: map.1, kernelHeight: 4, kernelWidth: 4, geometry: g ?? dcgan)
    }

    /// Random conv2d layouts: odd images with their conv2d maps (even trials), or maps cropped or
    /// extended against the image as adjoints give them (odd trials); batches of 1-3, and 5 every
    /// fourth trial.
    func randomConvLayouts(trials: Int, maxMaps: Int) -> [(ConvLayout, String)] {
        var cases: [(ConvLayout, String)] = []
        for trial in 0..<trials {
            let batch = trial % 4 == 0 ? 5 : pick(1...3), channels = pick(1...3), maps = pick(1...maxMaps)
            let image = (pick(1...40), pick(1...70))
            let conv = dcgan.convOutputSize(input: image, kernel: (4, 4))
            let map = trial % 2 == 0 ? conv : (pick(1...21), pick(1...37))
            guard map.0 > 0, map.1 > 0 else { continue }
            cases.append((layout(batch: batch, channels: channels, image: image, maps: maps, map: map), "trial \(trial)"))
        }
        return cases
    }
}
