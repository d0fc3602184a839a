import XCTest
@testable import GANData
@testable import GANTensor

final class ChairTests: XCTestCase {
    func options(_ change: (inout ChairDataset.Options) -> Void = { _ in }) -> ChairDataset.Options {
        var o = ChairDataset.Options()
        o.size = 32
        o.instancesPerClass = 2
        change(&o)
        return o
    }

    func testDeterministicForASeed() throws {
        let a = try ChairDataset(options: options())
        let b = try ChairDataset(options: options())
        let c = try ChairDataset(options: options { $0.seed = 9 })
        for i in [0, 77, 200, a.count - 1] {
            let s = try a.sample(at: i, rng: RandomGenerator(seed: 1))
            XCTAssertEqual(s["image"]!.scalars, try b.sample(at: i, rng: RandomGenerator(seed: 2))["image"]!.scalars)
            XCTAssertEqual(s["mask"]!.scalars, try b.sample(at: i, rng: RandomGenerator(seed: 2))["mask"]!.scalars)
            XCTAssertNotEqual(s["image"]!.scalars, try c.sample(at: i, rng: RandomGenerator(seed: 1))["image"]!.scalars,
                              "another seed jitters the instances differently")
        }
    }

    func testClassesAndInstancesDiffer() throws {
        let data = try ChairDataset(options: options())
        let images = try (0..<10).map { try data.render(class: $0, instance: 0, azimuthIndex: 3, elevationIndex: 0)["image"]!.scalars }
        for i in 0..<10 { for j in (i + 1)..<10 { XCTAssertNotEqual(images[i], images[j], "classes \(i) and \(j)") } }
        XCTAssertNotEqual(images[0], try data.render(class: 0, instance: 1, azimuthIndex: 3, elevationIndex: 0)["image"]!.scalars)
    }

    func testMaskCoversExactlyTheNonWhitePixels() throws {
        let data = try ChairDataset(options: options { $0.size = 48 })
        for i in stride(from: 0, to: data.count, by: 37) {
            let s = try data.sample(at: i, rng: RandomGenerator(seed: 0))
            let image = s["image"]!, mask = s["mask"]!
            XCTAssertEqual(image.shape, [3, 48, 48])
            XCTAssertEqual(mask.shape, [1, 48, 48])
            let plane = 48 * 48
            var covered = 0
            for p in 0..<plane {
                let rgb = (0..<3).map { image.data[$0 * plane + p] }
                XCTAssertTrue(rgb.allSatisfy { $0 >= -1 && $0 <= 1 })
                if mask.data[p] == 1 {
                    covered += 1
                    XCTAssertTrue(rgb.contains { $0 < 1 }, "sample \(i) pixel \(p): chair pixels are never pure white")
                } else {
                    XCTAssertEqual(mask.data[p], 0)
                    XCTAssertEqual(rgb, [1, 1, 1], "sample \(i) pixel \(p): background is white")
                }
            }
            let fraction = Double(covered) / Double(plane)
            XCTAssertTrue((0.04...0.8).contains(fraction), "sample \(i) covers \(fraction) of the frame")
        }
    }

    func testViewGridLabelsAndHeldOutAzimuths() throws {
        let full = try ChairDataset(options: options())
        XCTAssertEqual(full.count, 10 * 2 * 31 * 2)
        XCTAssertEqual(full.classCount, 10)
        let s = try full.sample(at: 2 * 31 * 2 * 3 + 2 * 7 + 1, rng: RandomGenerator(seed: 0))  // class 3, instance 0, azimuth 7, elevation 30
        XCTAssertEqual(s.label, 3)
        let az = 2 * Float.pi * 7 / 31, el = 30 * Float.pi / 180
        XCTAssertEqual(s["view"]!.scalars, [sin(az), cos(az), sin(el), cos(el)])
        XCTAssertEqual(s["transform"]!.scalars, [Float](repeating: 0, count: 8))

        let held = try ChairDataset(options: options { $0.heldOut = true })
        XCTAssertEqual(held.count, 10 * 2 * 16 * 2)
        XCTAssertEqual(held.azimuthIndices, Array(stride(from: 0, through: 30, by: 2)))
        var seen = Set<Int>()
        for i in 0..<held.count { seen.insert(held.position(of: i).azimuthIndex) }
        XCTAssertEqual(seen, Set(stride(from: 0, through: 30, by: 2)), "odd azimuths are held out")
        // A held-out view renders as the full grid has it (ground truth for interpolation).
        let truth = try held.render(class: 3, instance: 0, azimuthIndex: 7, elevationIndex: 1)
        XCTAssertEqual(truth["image"]!.scalars, s["image"]!.scalars)
        XCTAssertThrowsError(try held.render(class: 10, instance: 0, azimuthIndex: 0, elevationIndex: 0))
        XCTAssertThrowsError(try held.render(class: 0, instance: 0, azimuthIndex: 31, elevationIndex: 0))

        let perModel = try ChairDataset(options: options { $0.labelPerModel = true })
        XCTAssertEqual(perModel.classCount, 20)
        XCTAssertEqual(try perModel.sample(at: perModel.count - 1, rng: RandomGenerator(seed: 0)).label, 19)
    }

    func testAugmentationIsDrawnPerSampleAndChangesTheImage() throws {
        let data = try ChairDataset(options: options { $0.augment = true })
        let a = try data.sample(at: 5, rng: RandomGenerator(seed: 1)), b = try data.sample(at: 5, rng: RandomGenerator(seed: 1))
        let c = try data.sample(at: 5, rng: RandomGenerator(seed: 2))
        XCTAssertEqual(a["transform"]!.scalars, b["transform"]!.scalars)
        XCTAssertEqual(a["image"]!.scalars, b["image"]!.scalars)
        XCTAssertNotEqual(a["transform"]!.scalars, c["transform"]!.scalars)
        XCTAssertNotEqual(a["image"]!.scalars, c["image"]!.scalars)
        let t = try ChairAugmentation(vector: a["transform"]!.scalars)
        let again = try data.render(class: 0, instance: 0, azimuthIndex: data.position(of: 5).azimuthIndex,
                                    elevationIndex: data.position(of: 5).elevationIndex, augmentation: t)
        XCTAssertEqual(again["image"]!.scalars, a["image"]!.scalars, "the transform vector reproduces the image")
        // A shift moves the silhouette: the mask's centre of mass follows shift x.
        func centreX(_ s: Sample) -> Float {
            let m = s["mask"]!
            let n = m.shape[2]
            var sum: Float = 0, total: Float = 0
            for p in 0..<m.count where m.data[p] == 1 { sum += Float(p % n); total += 1 }
            return sum / total
        }
        var shifted = ChairAugmentation.identity
        shifted.shiftX = 0.25
        let plain = try data.render(class: 1, instance: 0, azimuthIndex: 0, elevationIndex: 0)
        let moved = try data.render(class: 1, instance: 0, azimuthIndex: 0, elevationIndex: 0, augmentation: shifted)
        XCTAssertEqual(centreX(moved) - centreX(plain), 0.25 * 16, accuracy: 1)
        XCTAssertThrowsError(try ChairAugmentation(vector: [0, 0]))
    }

    func testInvalidOptionsThrow() {
        XCTAssertThrowsError(try ChairDataset(options: options { $0.classes = 11 }))
        XCTAssertThrowsError(try ChairDataset(options: options { $0.size = 4 }))
        XCTAssertThrowsError(try ChairDataset(options: options { $0.elevations = [90] }))
        XCTAssertThrowsError(try ChairDataset(options: options { $0.azimuths = 1 }))
    }
}
