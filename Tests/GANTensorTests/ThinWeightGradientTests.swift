import CKernels
import XCTest
@testable import GANTensor

/// The weight gradient of the thin phase geometry (Sources/CKernels/thin_wgrad.c): the long
/// reduction of the map against im2col's column rows, the rows copied chunk by chunk from each
/// sample's stride phases. CKernels.h specifies its order (the long reduction's lanes), so the
/// kernel is checked against that chain rebuilt in Float, and the op against the column path's
/// bits on every level, thread count and grouping of the batch.
final class ThinWeightGradientTests: XCTestCase, ThinPhaseTesting {
    let rng = RandomGenerator(seed: 71)

    /// Odd images, maps cropped or extended against the image (convTranspose2d's output padding
    /// gives them), maps of one to several chunks (1024 positions) and rows longer than a vector;
    /// then DCGAN's four thin layers at small batches.
    func cases() -> [(ConvLayout, String)] {
        var cases = randomConvLayouts(trials: 24, maxMaps: 11)
        cases.append((layout(batch: 5, channels: 1, image: (13, 11), maps: 7, map: (6, 5)), "13x11"))
        cases.append((layout(batch: 2, channels: 2, image: (80, 70), maps: 3, map: (40, 35)), "two chunks a sample"))
        cases.append((layout(batch: 6, channels: 1, image: (28, 28), maps: 64, map: (14, 14)), "DCGAN-28 D.conv1"))
        cases.append((layout(batch: 5, channels: 1, image: (28, 28), maps: 128, map: (14, 14)), "DCGAN-28 G.convT2"))
        cases.append((layout(batch: 2, channels: 3, image: (64, 64), maps: 64, map: (32, 32)), "DCGAN-64 D.conv1"))
        return cases
    }

    /// The kernel on one call against its chain: for each output, 16 lanes over the samples in
    /// turn, lane p % 16 taking position p of the map padded with zeros to whole vectors, then the
    /// tree of CKernels.h, added to what `sums` held when accumulating.
    func testKernelFollowsTheLongReductionsLanes() {
        defer { ThinKernels.force(nil) }
        for (index, (l, name)) in cases().enumerated() {
            XCTAssertTrue(l.isThinPhased, name)
            let x = rng.uniform([l.batch, l.imageChannels, l.imageHeight, l.imageWidth], low: -1, high: 1)
            let gy = rng.uniform([l.batch, l.mapChannels, l.mapHeight, l.mapWidth], low: -1, high: 1)
            let k = l.columnRows, area = l.mapArea, padded = (area + 15) / 16 * 16
            let accumulate = index % 2 == 1
            let start = rng.uniform([l.mapChannels * k], low: -1, high: 1).scalars
            var expected = [Float](repeating: 0, count: start.count), exact = [Double](repeating: 0, count: start.count)
            var scale = [Double](repeating: 0, count: start.count)
            for o in 0..<l.mapChannels {
                for kk in 0..<k {
                    var lanes = [Float](repeating: 0, count: 16)
                    let c = kk / 16, i = kk / 4 % 4, j = kk % 4
                    for n in 0..<l.batch {
                        for p in 0..<padded {
                            var a: Float = 0, b: Float = 0
                            if p < area {
                                let y = p / l.mapWidth, xx = p % l.mapWidth, iy = 2 * y - 1 + i, ix = 2 * xx - 1 + j
                                a = gy.data[(n * l.mapChannels + o) * area + p]
                                if iy >= 0 && iy < l.imageHeight && ix >= 0 && ix < l.imageWidth {
                                    b = x.data[((n * l.imageChannels + c) * l.imageHeight + iy) * l.imageWidth + ix]
                                }
                            }
                            lanes[p % 16] = lanes[p % 16].addingProduct(a, b)
                            exact[o * k + kk] += Double(a) * Double(b)
                            scale[o * k + kk] += Swift.abs(Double(a) * Double(b))
                        }
                    }
                    for h in [8, 4, 2, 1] { for lane in 0..<h { lanes[lane] = lanes[lane] + lanes[lane + h] } }
                    expected[o * k + kk] = accumulate ? start[o * k + kk] + lanes[0] : lanes[0]
                    if accumulate { exact[o * k + kk] += Double(start[o * k + kk]) }
                }
            }
            for level in levels {
                XCTAssertEqual(ThinKernels.force(level), level)
                var s = l.thinShape
                let work = UnsafeMutablePointer<Float>.allocate(capacity: gk_thin_weight_gradient_work_size(&s))
                defer { work.deallocate() }
                var sums = start
                let status = sums.withUnsafeMutableBufferPointer {
                    gk_thin_weight_gradient(&s, l.batch, x.data, gy.data, $0.baseAddress, accumulate ? 1 : 0, work)
                }
                XCTAssertEqual(status, 0)
                let what = "\(name) (\(l.batch)x\(l.imageChannels)x\(l.imageHeight)x\(l.imageWidth) -> \(l.mapChannels)x\(l.mapHeight)x\(l.mapWidth)) on \(level)"
                if let i = sums.indices.first(where: { sums[$0].bitPattern != expected[$0].bitPattern }) {
                    XCTFail("\(what): sum \(i) is \(sums[i]), chain \(expected[i])")
                }
                if let i = sums.indices.first(where: { Swift.abs(Double(sums[$0]) - exact[$0]) > 1e-6 * (scale[$0] + 2) }) {
                    XCTFail("\(what): sum \(i) is \(sums[i]), exact \(exact[i])")
                }
            }
        }
    }

    /// The op (`convWeightGradient`, which conv2d's and convTranspose2d's backward call) against
    /// the column path (im2col and the long reduction), bit for bit: on every level, 1-3 threads,
    /// and with the batch cut into groups of 1 or 2 samples (later groups add to the first).
    func testOpMatchesTheColumnPathBitForBit() {
        let threads = BLASInfo.threads, budget = Kernels.thinColumnBudget
        defer {
            BLASInfo.setThreads(threads); ThinKernels.force(nil)
            Kernels.thinPhasedConvolutions = true; Kernels.thinColumnBudget = budget
        }
        for (l, name) in cases() {
            let x = rng.uniform([l.batch, l.imageChannels, l.imageHeight, l.imageWidth], low: -1, high: 1)
            let gy = rng.uniform([l.batch, l.mapChannels, l.mapHeight, l.mapWidth], low: -1, high: 1)
            for level in levels {
                XCTAssertEqual(ThinKernels.force(level), level)
                for t in [1, 2, 3] {
                    BLASInfo.setThreads(t)
                    for perGroup in [1, 2, Int.max] {
                        Kernels.thinColumnBudget = perGroup == Int.max ? budget : perGroup * l.columnRows * l.mapArea
                        Kernels.thinPhasedConvolutions = false
                        let columns = Kernels.convWeightGradient(image: x, map: gy, l).scalars
                        Kernels.thinPhasedConvolutions = true
                        XCTAssertTrue(l.isThinPhased, name)
                        // dw's buffer comes back from the one just freed: poisoned, so an output
                        // the phase path leaves unwritten cannot pass with the column path's value.
                        _ = Tensor(repeating: .nan, shape: [l.mapChannels, l.imageChannels, 4, 4])
                        let phases = Kernels.convWeightGradient(image: x, map: gy, l).scalars
                        XCTAssertEqual(phases.map(\.bitPattern), columns.map(\.bitPattern),
                                       "\(name) on \(level), \(t) threads, groups of \(perGroup)")
                    }
                }
            }
        }
    }

    /// Weight gradients by finite differences with the phase kernel in use, first and second
    /// order (WGAN-GP's penalty differentiates the critic's weight gradient again), through
    /// conv2d and convTranspose2d on odd sizes.
    func testWeightGradientsByFiniteDifferences() throws {
        let x = rng.uniform([3, 2, 9, 7], low: -1, high: 1), w = rng.uniform([4, 2, 4, 4], low: -0.5, high: 0.5)
        XCTAssertTrue(layout(batch: 3, channels: 2, image: (9, 7), maps: 4, map: (4, 3)).isThinPhased)
        try assertGradients([x, w]) { v in try v[0].conv2d(v[1], geometry: self.dcgan) }
        try assertSecondOrderGradients([x, w], firstOrderWrt: [1]) { v in
            let y = try v[0].conv2d(v[1], geometry: self.dcgan)
            return try y * y
        }
        let z = rng.uniform([2, 5, 3, 4], low: -1, high: 1), wt = rng.uniform([5, 1, 4, 4], low: -0.5, high: 0.5)
        XCTAssertTrue(layout(batch: 2, channels: 1, image: (6, 8), maps: 5, map: (3, 4)).isThinPhased)
        try assertGradients([z, wt]) { v in try v[0].convTranspose2d(v[1], geometry: self.dcgan) }
        try assertSecondOrderGradients([z, wt], firstOrderWrt: [1]) { v in
            let y = try v[0].convTranspose2d(v[1], geometry: self.dcgan)
            return try y * y
        }
    }
}
