import XCTest
@testable import GANData
@testable import GANTensor

final class DerivedTests: XCTestCase {
    /// [1, h, w]: -1 left of column `step`, 1 from it on.
    func stepImage(_ h: Int, _ w: Int, step: Int) throws -> Tensor {
        try Tensor((0..<(h * w)).map { $0 % w < step ? -1 : 1 }, shape: [1, h, w])
    }

    func testVerticalStepGivesAnEdgeColumn() throws {
        let edges = try EdgeMap.sobel(try stepImage(6, 10, step: 5))
        XCTAssertEqual(edges.shape, [1, 6, 10])
        for y in 0..<6 {
            let row = Array(edges.scalars[(y * 10)..<(y * 10 + 10)])
            // The Sobel response sits on both pixels beside the step, black on white.
            XCTAssertEqual(row, [1, 1, 1, 1, -1, -1, 1, 1, 1, 1], "row \(y)")
        }
        // A faint step (0.1 of the range: magnitude 0.4 < 0.5) and a flat image give no lines.
        let faint = try Tensor((0..<60).map { $0 % 10 < 5 ? 0 : 0.2 }, shape: [1, 6, 10])
        XCTAssertTrue(try EdgeMap.sobel(faint).scalars.allSatisfy { $0 == 1 })
        XCTAssertTrue(try EdgeMap.sobel(Tensor(repeating: 0.3, shape: [1, 5, 5])).scalars.allSatisfy { $0 == 1 })
    }

    func testThinningKeepsOnlyTheRidgeOfASoftEdge() throws {
        // An uneven ramp: the raw magnitude spans 3 pixels, non-maximum suppression keeps the steepest.
        let values: [Float] = [-1, -1, -1, -0.8, -0.2, 0.8, 1, 1, 1]
        let soft = try Tensor((0..<45).map { values[$0 % 9] }, shape: [1, 5, 9])
        let thick = try EdgeMap.sobel(soft, threshold: 0.5, thin: false).scalars.prefix(9)
        let thin = try EdgeMap.sobel(soft, threshold: 0.5, thin: true).scalars.prefix(9)
        XCTAssertGreaterThan(thick.filter { $0 < 0 }.count, thin.filter { $0 < 0 }.count)
        XCTAssertEqual(Array(thin), [1, 1, 1, 1, -1, 1, 1, 1, 1])
    }

    func testEdgesPairedDataset() throws {
        let image = try stepImage(4, 6, step: 3)
        let rgb = try ImageOps.rgb(image)
        let base = InMemoryDataset(name: "steps", samples: [Sample(["image": image], label: 2), Sample(["image": rgb], label: 5)], classCount: 6)
        let pairs = EdgesPairedDataset(base: base)
        XCTAssertEqual(pairs.count, 2)
        XCTAssertEqual(pairs.classCount, 6)
        let s = try pairs.sample(at: 1, rng: RandomGenerator(seed: 0))
        XCTAssertEqual(s["A"]!.shape, [1, 4, 6])
        XCTAssertEqual(s["B"]!.scalars, rgb.scalars)
        XCTAssertEqual(s.label, 5)
        XCTAssertEqual(s["A"]!.scalars, try pairs.sample(at: 0, rng: RandomGenerator(seed: 0))["A"]!.scalars, "colour or gray, same lines")
        let noImage = InMemoryDataset(name: "points", samples: [Sample(["point": Tensor(zeros: [2])])])
        XCTAssertThrowsError(try EdgesPairedDataset(base: noImage).sample(at: 0, rng: RandomGenerator(seed: 0)))
    }

    /// Sample i: a 1x1x1 image holding i, label i % 3.
    func labelled(_ n: Int) throws -> InMemoryDataset {
        InMemoryDataset(name: "labelled", samples: try (0..<n).map { Sample(["image": try Tensor([Float($0)], shape: [1, 1, 1])], label: $0 % 3) },
                        classCount: 3)
    }

    func testTwoDomainDatasetDrawsEachSideFromItsClass() throws {
        let domains = try TwoDomainDataset(base: try labelled(20), classA: 2, classB: 0)
        XCTAssertEqual(domains.indicesA, [2, 5, 8, 11, 14, 17])
        XCTAssertEqual(domains.indicesB, [0, 3, 6, 9, 12, 15, 18])
        XCTAssertEqual(domains.count, 7)
        var seenB = Set<Float>()
        for i in 0..<domains.count {
            for seed in 0..<10 {
                let s = try domains.sample(at: i, rng: RandomGenerator(seed: UInt64(seed), stream: UInt64(i)))
                XCTAssertEqual(s["A"]!.item, Float(domains.indicesA[i % 6]))
                XCTAssertEqual(Int(s["B"]!.item) % 3, 0)
                XCTAssertNil(s.label)
                seenB.insert(s["B"]!.item)
            }
        }
        XCTAssertEqual(seenB.count, 7, "B is drawn at random over its whole class")
        let again = try domains.sample(at: 3, rng: RandomGenerator(seed: 4))["B"]!.item
        XCTAssertEqual(again, try domains.sample(at: 3, rng: RandomGenerator(seed: 4))["B"]!.item)
        XCTAssertThrowsError(try TwoDomainDataset(base: try labelled(20), classA: 1, classB: 7))
        XCTAssertThrowsError(try domains.sample(at: 7, rng: RandomGenerator(seed: 0)))
    }

    func testSubsetAndInMemory() throws {
        let base = try labelled(10)
        XCTAssertEqual(base.count, 10)
        XCTAssertThrowsError(try base.sample(at: 10, rng: RandomGenerator(seed: 0)))
        let subset = SubsetDataset(base: base, indices: [7, 2, 2])
        XCTAssertEqual(subset.count, 3)
        XCTAssertEqual(subset.classCount, 3)
        XCTAssertEqual(try (0..<3).map { try subset.sample(at: $0, rng: RandomGenerator(seed: 0))["image"]!.item }, [7, 2, 2])
        XCTAssertThrowsError(try subset.sample(at: 3, rng: RandomGenerator(seed: 0)))
    }
}
