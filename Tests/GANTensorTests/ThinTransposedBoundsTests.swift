import XCTest
import Glibc
import CKernels
@testable import GANTensor

/// The thin transposed conv (Sources/CKernels/thin_transposed.c) reads whole vectors of map rows
/// and masks only some of them: none may reach past either end of the map. Here the map sits
/// flush against an inaccessible page, after it and then before it, so such a load faults (the
/// test process dies); and the outputs must be the bits of the same call on an ordinary tensor.
final class ThinTransposedBoundsTests: XCTestCase, ThinPhaseTesting {
    let rng = RandomGenerator(seed: 71)

    /// `count` floats of read-write memory against a PROT_NONE page after them (`guardAfter`) or
    /// before them.
    func guarded(_ count: Int, guardAfter: Bool, _ body: (UnsafeMutablePointer<Float>) -> Void) throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let bytes = (count * 4 + page - 1) / page * page, total = bytes + 2 * page
        let base = try XCTUnwrap(mmap(nil, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        guard base != MAP_FAILED else { throw POSIXError(.ENOMEM) }
        defer { munmap(base, total) }
        XCTAssertEqual(mprotect(base, page, PROT_NONE), 0)
        XCTAssertEqual(mprotect(base + page + bytes, page, PROT_NONE), 0)
        let start = guardAfter ? base + page + bytes - count * 4 : base + page
        body(start.bindMemory(to: Float.self, capacity: count))
    }

    func testNoLoadPassesEitherEndOfTheMap() throws {
        // Heights whose last row block has 1-4 rows (4-row blocks for one image channel, 2-row for
        // two or three), the rows below and above the map, widths across one and two vectors of
        // the phase grid, images twice the map and one less (the phase grid is the map either way).
        let threads = BLASInfo.threads
        defer { BLASInfo.setThreads(threads); ThinKernels.force(nil) }
        BLASInfo.setThreads(1)
        var checked = 0
        for channels in 1...3 {
            for mapHeight in [1, 2, 3, 4, 5, 6, 7, 9, 14] {
                for mapWidth in [5, 14, 16, 17, 32] {
                    let odd = (mapHeight + mapWidth + channels) % 2
                    let image = (2 * mapHeight - odd, 2 * mapWidth - odd)
                    let batch = 2, maps = 3
                    let l = layout(batch: batch, channels: channels, image: image, maps: maps, map: (mapHeight, mapWidth))
                    XCTAssertTrue(l.isThinPhased)
                    let x = rng.uniform([batch, maps, mapHeight, mapWidth], low: -1, high: 1)
                    let w = rng.uniform([maps, channels, 4, 4], low: -1, high: 1)
                    let what = "\(channels) channels, map \(mapHeight)x\(mapWidth), image \(image)"
                    for level in levels {
                        ThinKernels.force(level)
                        let expected = Tensor(repeating: .nan, shape: [batch, channels, image.0, image.1])
                        Kernels.thinPhasedConvTranspose2dForward(x, w, bias: nil, l, into: expected)
                        for guardAfter in [true, false] {
                            try guarded(x.count, guardAfter: guardAfter) { map in
                                map.update(from: x.data, count: x.count)
                                var s = l.thinShape
                                var got = [Float](repeating: .nan, count: expected.count)
                                XCTAssertEqual(gk_thin_transposed_conv(&s, batch, map, w.data, nil, &got), 0)
                                XCTAssertEqual(got.map(\.bitPattern), expected.scalars.map(\.bitPattern),
                                               "\(what) on \(level), guard \(guardAfter ? "after" : "before")")
                            }
                            checked += 1
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 3 * 9 * 5 * 2)
    }
}
