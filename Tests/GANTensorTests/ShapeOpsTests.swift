import XCTest
@testable import GANTensor

/// permute/transpose, concat/split/chunk/stack, slice/unslice, pad, indexSelect/indexAdd.
final class ShapeOpsTests: XCTestCase {
    let rng = RandomGenerator(seed: 11)

    func permutedReference(_ x: Tensor, _ perm: [Int]) -> [Float] {
        Reference.gather(x, into: perm.map { x.shape[$0] }) { c in
            var src = [Int](repeating: 0, count: c.count)
            for (d, p) in perm.enumerated() { src[p] = c[d] }
            return src
        }
    }

    func testResultsDoNotDependOnChunking() throws {
        let x = rng.uniform([3, 5, 12, 10], low: -1, high: 1)
        func run() throws -> [[Float]] {
            [try x.permuted([0, 2, 3, 1]), try x.transposed(2, 3), try Tensor.concat([x, x], axis: 2),
             try x.padded2d(left: 2, right: 1, top: 1, bottom: 3, mode: .reflect),
             try x.padded2d(left: 2, right: 1, top: 1, bottom: 3, mode: .reflect).unsliced(axis: 1, start: 1, size: 7),
             try x.avgPool2d(kernel: 3, stride: 2, padding: 1), try x.maxPool2d(kernel: 2),
             try x.upsampledNearest(scale: 2)].map(\.scalars)
        }
        let whole = try run()
        let saved = Parallel.grain
        defer { Parallel.grain = saved }
        Parallel.grain = 7  // chunks that split rows and planes
        XCTAssertEqual(try run(), whole)
    }

    // MARK: permute

    func testPermuteValuesAcrossKernelPaths() throws {
        let cases: [([Int], [Int])] = [
            ([2, 3, 4], [2, 0, 1]),        // generic strided gather
            ([8, 70, 90], [0, 2, 1]),      // tiled batched transpose, several threads
            ([2, 3, 40, 50], [0, 2, 3, 1]),  // NCHW -> NHWC
            ([2, 3, 4, 5], [1, 0, 2, 3]),  // contiguous inner blocks
            ([3, 1, 4], [1, 0, 2]),        // moves a size-1 axis only: a reshape
        ]
        for (shape, perm) in cases {
            let x = rng.uniform(shape)
            let y = try x.permuted(perm)
            XCTAssertEqual(y.shape, perm.map { shape[$0] })
            XCTAssertEqual(y.scalars, permutedReference(x, perm), "\(shape) \(perm)")
        }
        let x = Reference.arange([2, 3])
        XCTAssertEqual(try x.transposed(0, 1).scalars, [0, 3, 1, 4, 2, 5])
        XCTAssertEqual(try x.transposed(-1, -2).shape, [3, 2])
        XCTAssertTrue(try x.permuted([0, 1]) === x)
    }

    func testPermuteGradients() throws {
        let x = rng.uniform([2, 3, 4], low: -1, high: 1)
        try assertGradients([x]) { try $0[0].permuted([2, 0, 1]) }
        try assertGradients([x]) { try $0[0].transposed(0, 2) }
        try assertSecondOrderGradients([x], firstOrderWrt: [0]) { try $0[0].permuted([1, 2, 0]).curved() }
    }

    func testPermuteErrors() {
        let x = Tensor(zeros: [2, 3])
        XCTAssertThrowsError(try x.permuted([0, 0])) {
            XCTAssertEqual("\($0)", "permute: axes [0, 0] are not a permutation of the 2 axes of [2, 3]")
        }
        XCTAssertThrowsError(try x.permuted([1])) { XCTAssertTrue("\($0)".hasPrefix("permute:")) }
        XCTAssertThrowsError(try x.transposed(0, 2)) {
            XCTAssertEqual("\($0)", "transpose: axis 2 is out of range for shape [2, 3]")
        }
    }

    // MARK: concat, split, chunk, stack

    func testConcatValues() throws {
        let a = Reference.arange([2, 1, 2]), b = Reference.arange([2, 2, 2]) + 10
        let c = try Tensor.concat([a, b], axis: 1)
        XCTAssertEqual(c.shape, [2, 3, 2])
        XCTAssertEqual(c.scalars, [0, 1, 10, 11, 12, 13, 2, 3, 14, 15, 16, 17])
        XCTAssertEqual(try Tensor.concat([a, a], axis: -1).scalars, [0, 1, 0, 1, 2, 3, 2, 3])
        // Large enough to be split over threads, along a middle axis.
        let x = rng.uniform([4, 300, 64]), y = rng.uniform([4, 200, 64])
        let z = try Tensor.concat([x, y], axis: 1)
        let expected = Reference.gather(x, into: [4, 500, 64]) { $0[1] < 300 ? $0 : nil }
        let fromY = Reference.gather(y, into: [4, 500, 64]) { $0[1] >= 300 ? [$0[0], $0[1] - 300, $0[2]] : nil }
        XCTAssertEqual(z.scalars, zip(expected, fromY).map { $0 + $1 })
    }

    func testConcatGradients() throws {
        let a = rng.uniform([2, 1, 3], low: -1, high: 1), b = rng.uniform([2, 2, 3], low: -1, high: 1)
        let c = rng.uniform([2, 3, 3], low: -1, high: 1)
        try assertGradients([a, b, c]) { try Tensor.concat($0, axis: 1) }
        try assertSecondOrderGradients([a, b], firstOrderWrt: [0, 1]) { try Tensor.concat($0, axis: 1).curved() }
    }

    func testConcatErrors() {
        XCTAssertThrowsError(try Tensor.concat([Tensor(zeros: [2, 1, 3]), Tensor(zeros: [3, 2, 3])], axis: 1)) {
            XCTAssertEqual("\($0)", "concat (axis 1): incompatible shapes [2, 1, 3] and [3, 2, 3]")
        }
        XCTAssertThrowsError(try Tensor.concat([], axis: 0)) { XCTAssertEqual("\($0)", "concat: needs at least one tensor") }
        XCTAssertThrowsError(try Tensor.concat([Tensor(zeros: [2])], axis: 1)) {
            XCTAssertEqual("\($0)", "concat: axis 1 is out of range for shape [2]")
        }
    }

    func testSplitAndChunk() throws {
        let x = Reference.arange([2, 7])
        let parts = try x.split(sizes: [3, 0, 4], axis: 1)
        XCTAssertEqual(parts.map(\.shape), [[2, 3], [2, 0], [2, 4]])
        XCTAssertEqual(parts[0].scalars, [0, 1, 2, 7, 8, 9])
        XCTAssertEqual(parts[2].scalars, [3, 4, 5, 6, 10, 11, 12, 13])
        // PyTorch's chunk: pieces of ceil(7 / 4) = 2, so 4 pieces; ceil(6 / 4) = 2 gives only 3.
        XCTAssertEqual(try x.chunked(4, axis: 1).map { $0.shape[1] }, [2, 2, 2, 1])
        XCTAssertEqual(try Tensor(zeros: [6]).chunked(4, axis: 0).map { $0.shape[0] }, [2, 2, 2])
        XCTAssertEqual(try x.chunked(2, axis: 0).map(\.scalars), [Array(0..<7).map(Float.init), Array(7..<14).map(Float.init)])
        XCTAssertThrowsError(try x.split(sizes: [3, 3], axis: 1)) {
            XCTAssertEqual("\($0)", "split: sizes [3, 3] do not add up to 7, the size of axis 1 of [2, 7]")
        }
        XCTAssertThrowsError(try x.chunked(0, axis: 1))
        let w = rng.uniform([3, 5], low: -1, high: 1)
        try assertGradients([w]) { v in
            let p = try v[0].split(sizes: [2, 1, 2], axis: 1)
            return try Tensor.concat([p[2], p[0] * 3], axis: 1)
        }
    }

    func testStack() throws {
        let a = Reference.arange([2, 2]), b = Reference.arange([2, 2]) + 10
        XCTAssertEqual(try Tensor.stack([a, b]).shape, [2, 2, 2])
        XCTAssertEqual(try Tensor.stack([a, b]).scalars, [0, 1, 2, 3, 10, 11, 12, 13])
        let last = try Tensor.stack([a, b], axis: -1)
        XCTAssertEqual(last.shape, [2, 2, 2])
        XCTAssertEqual(last.scalars, [0, 10, 1, 11, 2, 12, 3, 13])
        XCTAssertThrowsError(try Tensor.stack([a, Tensor(zeros: [2, 3])])) {
            XCTAssertEqual("\($0)", "stack: incompatible shapes [2, 2] and [2, 3]")
        }
        XCTAssertThrowsError(try Tensor.stack([a], axis: 3))
        let x = rng.uniform([2, 3], low: -1, high: 1), y = rng.uniform([2, 3], low: -1, high: 1)
        try assertGradients([x, y]) { try Tensor.stack($0, axis: 1) }
    }

    // MARK: slice, unslice

    func testSliceValues() throws {
        let x = Reference.arange([3, 6])
        XCTAssertEqual(try x.sliced(axis: 1, start: 1, end: 6, step: 2).scalars, [1, 3, 5, 7, 9, 11, 13, 15, 17])
        XCTAssertEqual(try x.sliced(axis: 0, start: -2, end: 3).scalars, Array(6..<18).map(Float.init))
        XCTAssertEqual(try x.sliced(axis: -1, start: 2, end: -1).scalars, [2, 3, 4, 8, 9, 10, 14, 15, 16])
        XCTAssertEqual(try x.sliced(axis: 1, start: 4, end: 4).shape, [3, 0])
        XCTAssertTrue(try x.sliced(axis: 0, start: 0, end: 3) === x)
        let big = rng.uniform([16, 64, 64])
        XCTAssertEqual(try big.sliced(axis: 2, start: 3, end: 60, step: 3).scalars,
                       Reference.gather(big, into: [16, 64, 19]) { [$0[0], $0[1], 3 + 3 * $0[2]] })
    }

    func testUnsliceValuesAndAdjointness() throws {
        let y = try Tensor([1, 2, 3, 4], shape: [2, 2])
        XCTAssertEqual(try y.unsliced(axis: 1, start: 1, step: 2, size: 5).scalars, [0, 1, 0, 2, 0, 0, 3, 0, 4, 0])
        // <slice(x), y> == <x, unslice(y)>
        let x = rng.uniform([3, 7], low: -1, high: 1), g = rng.uniform([3, 3], low: -1, high: 1)
        let lhs = try (x.sliced(axis: 1, start: 1, end: 7, step: 2) * g).sum().item
        let rhs = try (x * g.unsliced(axis: 1, start: 1, step: 2, size: 7)).sum().item
        XCTAssertEqual(lhs, rhs, accuracy: 1e-5)
        XCTAssertThrowsError(try y.unsliced(axis: 1, start: 3, step: 2, size: 5)) {
            XCTAssertEqual("\($0)", "unslice: 2 coordinates from 3 by 2 do not fit a size of 5 on axis 1 of [2, 2]")
        }
    }

    func testSliceGradients() throws {
        let x = rng.uniform([3, 7], low: -1, high: 1)
        try assertGradients([x]) { try $0[0].sliced(axis: 1, start: 1, end: 7, step: 2) }
        try assertGradients([x]) { try $0[0].unsliced(axis: 0, start: 1, step: 2, size: 6) }
        try assertSecondOrderGradients([x], firstOrderWrt: [0]) { try $0[0].sliced(axis: 1, start: 2, end: 6).curved() }
        try assertSecondOrderGradients([x], firstOrderWrt: [0]) { try $0[0].unsliced(axis: 1, start: 0, step: 3, size: 21).curved() }
    }

    func testSliceErrors() {
        let x = Tensor(zeros: [3, 6])
        XCTAssertThrowsError(try x.sliced(axis: 1, start: 4, end: 2)) {
            XCTAssertEqual("\($0)", "slice: start 4, end 2, step 1 do not fit axis 1 of size 6 in [3, 6]")
        }
        XCTAssertThrowsError(try x.sliced(axis: 1, start: 0, end: 7))
        XCTAssertThrowsError(try x.sliced(axis: 1, start: 0, end: 6, step: 0))
        XCTAssertThrowsError(try x.sliced(axis: 2, start: 0, end: 1))
    }

    // MARK: pad

    func testPadValuesMatchNumPy() throws {
        // numpy.pad([[1, 2, 3], [4, 5, 6]], ((1, 1), (2, 1)), mode) for constant, reflect, edge.
        let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [1, 1, 2, 3])
        let expected: [(PadMode, [Float])] = [
            (.zeros, [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0]),
            (.reflect, [6, 5, 4, 5, 6, 5, 3, 2, 1, 2, 3, 2, 6, 5, 4, 5, 6, 5, 3, 2, 1, 2, 3, 2]),
            (.replicate, [1, 1, 1, 2, 3, 3, 1, 1, 1, 2, 3, 3, 4, 4, 4, 5, 6, 6, 4, 4, 4, 5, 6, 6]),
        ]
        for (mode, values) in expected {
            let y = try x.padded2d(left: 2, right: 1, top: 1, bottom: 1, mode: mode)
            XCTAssertEqual(y.shape, [1, 1, 4, 6])
            XCTAssertEqual(y.scalars, values, "\(mode)")
        }
        let v = try Tensor([1, 2, 3], shape: [3])
        XCTAssertEqual(try v.padded([(0, 2)], mode: .reflect).scalars, [1, 2, 3, 2, 1])
        XCTAssertTrue(try v.padded([(0, 0)]) === v)
    }

    func testPadMatchesReferenceOnLargeInputs() throws {
        let x = rng.uniform([4, 8, 32, 40])
        let (h, w) = (32, 40)
        func reflect(_ i: Int, _ n: Int) -> Int { i < 0 ? -i : (i >= n ? 2 * n - 2 - i : i) }
        for mode in [PadMode.zeros, .reflect, .replicate] {
            let y = try x.padded2d(left: 3, right: 2, top: 1, bottom: 4, mode: mode)
            let ref = Reference.gather(x, into: [4, 8, h + 5, w + 5]) { c -> [Int]? in
                let (i, j) = (c[2] - 1, c[3] - 3)
                switch mode {
                case .zeros: return i >= 0 && i < h && j >= 0 && j < w ? [c[0], c[1], i, j] : nil
                case .reflect: return [c[0], c[1], reflect(i, h), reflect(j, w)]
                case .replicate: return [c[0], c[1], min(max(i, 0), h - 1), min(max(j, 0), w - 1)]
                }
            }
            XCTAssertEqual(y.scalars, ref, "\(mode)")
        }
        // Padding a non-spatial axis moves whole contiguous blocks.
        let z = try x.padded([(0, 0), (2, 1), (0, 0), (0, 0)], mode: .replicate)
        XCTAssertEqual(z.scalars, Reference.gather(x, into: [4, 11, h, w]) { [$0[0], min(max($0[1] - 2, 0), 7), $0[2], $0[3]] })
    }

    func testPadGradients() throws {
        let x = rng.uniform([1, 2, 3, 4], low: -1, high: 1)
        for mode in [PadMode.zeros, .reflect, .replicate] {
            try assertGradients([x]) { try $0[0].padded2d(left: 2, right: 3, top: 2, bottom: 1, mode: mode) }
            try assertSecondOrderGradients([x], firstOrderWrt: [0]) {
                try $0[0].padded2d(left: 1, right: 2, top: 2, bottom: 0, mode: mode).curved()
            }
        }
        try assertGradients([x]) { try $0[0].padded([(1, 0), (0, 1), (0, 0), (1, 1)], mode: .replicate) }
    }

    func testPadErrors() {
        let x = Tensor(zeros: [1, 1, 2, 3])
        XCTAssertThrowsError(try x.padded2d(left: 0, right: 0, top: 2, bottom: 0, mode: .reflect)) {
            XCTAssertEqual("\($0)", "pad (reflect): padding (2, 0) must be smaller than the size 2 of axis 2 of [1, 1, 2, 3]")
        }
        XCTAssertThrowsError(try x.padded([(1, 1)])) {
            XCTAssertEqual("\($0)", "pad (zeros): needs one (before, after) pair per axis of [1, 1, 2, 3], got 1")
        }
        XCTAssertThrowsError(try x.padded2d(left: -1, right: 0, top: 0, bottom: 0))
        XCTAssertThrowsError(try Tensor(zeros: [1, 0]).padded([(0, 0), (1, 1)], mode: .replicate))
        XCTAssertThrowsError(try Tensor(zeros: [3]).padded2d(left: 1, right: 1, top: 1, bottom: 1)) {
            XCTAssertEqual("\($0)", "pad2d: invalid shape [3]: needs at least two axes (..., H, W)")
        }
    }

    // MARK: indexSelect, indexAdd

    func testIndexSelectValues() throws {
        let x = Reference.arange([3, 4])
        XCTAssertEqual(try x.indexSelect(axis: 0, indices: [2, 0, 2]).scalars, [8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11])
        XCTAssertEqual(try x.indexSelect(axis: 1, indices: [3, 1]).scalars, [3, 1, 7, 5, 11, 9])
        XCTAssertEqual(try x.indexSelect(axis: 0, indices: []).shape, [0, 4])
        let y = try Tensor([1, 2, 3, 4], shape: [2, 2])
        XCTAssertEqual(try y.indexAdded(axis: 0, indices: [2, 2], size: 3).scalars, [0, 0, 0, 0, 4, 6])
    }

    func testIndexSelectGradientsAccumulateRepeats() throws {
        let x = rng.uniform([4, 3], low: -1, high: 1)
        try assertGradients([x]) { try $0[0].indexSelect(axis: 0, indices: [1, 3, 1, 1]) }
        try assertGradients([x]) { try $0[0].indexSelect(axis: 1, indices: [2, 0, 2]) }
        try assertSecondOrderGradients([x], firstOrderWrt: [0]) { try $0[0].indexSelect(axis: 0, indices: [3, 3, 0]).curved() }
        try assertSecondOrderGradients([x], firstOrderWrt: [0]) { try $0[0].indexAdded(axis: 1, indices: [1, 1, 4], size: 5).curved() }
    }

    func testIndexSelectErrorsNameTheIndex() {
        let x = Tensor(zeros: [3, 2])
        XCTAssertThrowsError(try x.indexSelect(axis: 0, indices: [0, 5])) {
            XCTAssertEqual("\($0)", "indexSelect: index 5 is out of range 0..<3 for axis 0 of [3, 2]")
        }
        XCTAssertThrowsError(try x.indexSelect(axis: 1, indices: [-1]))
        XCTAssertThrowsError(try x.indexAdded(axis: 0, indices: [0, 1], size: 3))
    }
}
