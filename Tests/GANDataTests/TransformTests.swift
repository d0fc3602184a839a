import Foundation
import XCTest
@testable import GANData
@testable import GANTensor

final class TransformTests: XCTestCase {
    /// x[c, i, j] = 100 c + 10 i + j.
    func ramp(_ c: Int, _ h: Int, _ w: Int) throws -> Tensor {
        try Tensor((0..<(c * h * w)).map { Float(100 * ($0 / (h * w)) + 10 * ($0 / w % h) + $0 % w) }, shape: [c, h, w])
    }

    func testFlipTwiceIsIdentityAndFlipsColumns() throws {
        let x = try ramp(2, 3, 4)
        let f = try ImageOps.flipHorizontal(x)
        XCTAssertEqual(Array(f.scalars[0..<4]), [3, 2, 1, 0])
        XCTAssertEqual(Array(f.scalars[12..<16]), [103, 102, 101, 100])
        XCTAssertEqual(try ImageOps.flipHorizontal(f).scalars, x.scalars)
    }

    func testCropPositions() throws {
        let x = try ramp(2, 5, 6)
        let c = try ImageOps.crop(x, top: 1, left: 2, height: 2, width: 3)
        XCTAssertEqual(c.shape, [2, 2, 3])
        XCTAssertEqual(c.scalars, [12, 13, 14, 22, 23, 24, 112, 113, 114, 122, 123, 124])
        XCTAssertThrowsError(try ImageOps.crop(x, top: 4, left: 0, height: 2, width: 2))
        // torchvision: top = round((5 - 2) / 2) = round(1.5) = 2 (half to even), left = round(1) = 1.
        let centre = try ImageOps.centerCrop(x, height: 2, width: 4)
        XCTAssertEqual(Array(centre.scalars[0..<4]), [21, 22, 23, 24])
        XCTAssertEqual(ImageOps.centerCropOrigin(height: 6, width: 7, cropHeight: 1, cropWidth: 2).top, 2)  // round(2.5) = 2
        XCTAssertEqual(ImageOps.centerCropOrigin(height: 6, width: 7, cropHeight: 1, cropWidth: 2).left, 2)  // round(2.5) = 2
    }

    func testResizeOfConstantIsConstant() throws {
        let x = Tensor(repeating: 0.3, shape: [3, 7, 5])
        for (h, w, aa) in [(13, 11, false), (3, 2, false), (3, 2, true), (20, 4, true)] {
            let y = try ImageOps.resize(x, height: h, width: w, antialias: aa)
            XCTAssertEqual(y.shape, [3, h, w])
            for v in y.scalars { XCTAssertEqual(v, 0.3, accuracy: 1e-6) }
        }
    }

    func testBilinearTwoByTwoByHand() throws {
        // [[0, 1], [2, 3]] to 4x4: output pixel 1 samples source (0.25, 0.25):
        // 0 * 0.5625 + 1 * 0.1875 + 2 * 0.1875 + 3 * 0.0625 = 0.75. Corners clamp to the corners.
        let y = try ImageOps.resize(try Tensor([0, 1, 2, 3], shape: [1, 2, 2]), height: 4, width: 4)
        XCTAssertEqual(y.scalars[0], 0)
        XCTAssertEqual(y.scalars[1 * 4 + 1], 0.75, accuracy: 1e-6)
        XCTAssertEqual(y.scalars[15], 3)
        XCTAssertEqual(Array(y.scalars[0..<4]), [0, 0.25, 0.75, 1])
    }

    /// torch.nn.functional.interpolate values from Tests/Fixtures/scripts/resize_reference.py.
    func testResizeMatchesPyTorch() throws {
        func ramp(_ h: Int, _ w: Int) throws -> Tensor {
            try Tensor((0..<2).flatMap { c in (0..<(h * w)).map { Float(Double(c + 1) * pow(Double($0), 1.5) / 10) } }, shape: [2, h, w])
        }
        let cases: [(Int, Int, Int, Int, Bool, [Float])] = [
            (3, 5, 7, 4, false, [0.01250, 0.16857, 0.43083, 0.76495, 0.17671, 0.37492, 0.67053, 1.03358, 0.66935, 0.99400, 1.38962, 1.83946, 1.16199, 1.61307, 2.10872, 2.64534, 2.04529, 2.56705, 3.12857, 3.72710, 2.92860, 3.52103, 4.14841, 4.80885, 3.22303, 3.83903, 4.48836, 5.16943, 0.02500, 0.33713, 0.86165, 1.52990, 0.35343, 0.74985, 1.34105, 2.06716, 1.33870, 1.98799, 2.77925, 3.67892, 2.32398, 3.22614, 4.21745, 5.29069, 4.09059, 5.13410, 6.25713, 7.45419, 5.85719, 7.04206, 8.29682, 9.61770, 6.44606, 7.67805, 8.97671, 10.33886]),
            (8, 6, 3, 4, false, [1.30856, 1.83957, 2.44459, 3.11207, 9.87060, 10.92338, 12.01177, 13.13466, 22.76606, 24.15244, 25.56596, 27.00611, 2.61713, 3.67915, 4.88919, 6.22415, 19.74121, 21.84677, 24.02355, 26.26933, 45.53212, 48.30489, 51.13192, 54.01223]),
            (8, 6, 3, 4, true, [2.30123, 2.83700, 3.45690, 4.11303, 10.24120, 11.21913, 12.25827, 13.29766, 21.56133, 22.82879, 24.15839, 25.47299, 4.60245, 5.67401, 6.91380, 8.22605, 20.48239, 22.43826, 24.51653, 26.59531, 43.12265, 45.65759, 48.31678, 50.94599]),
            (9, 7, 4, 3, true, [2.13188, 2.96434, 3.92864, 9.86579, 11.35477, 12.91200, 22.66160, 24.63665, 26.66271, 36.62564, 38.94538, 41.30849, 4.26375, 5.92868, 7.85729, 19.73158, 22.70955, 25.82400, 45.32320, 49.27331, 53.32542, 73.25128, 77.89076, 82.61698]),
        ]
        for (h, w, oh, ow, aa, expected) in cases {
            let y = try ImageOps.resize(try ramp(h, w), height: oh, width: ow, antialias: aa)
            for (a, b) in zip(y.scalars, expected) { XCTAssertEqual(a, b, accuracy: 2e-4 * Swift.max(1, abs(b)), "\(h)x\(w)->\(oh)x\(ow) aa \(aa)") }
        }
    }

    func testColourOpsAndPadding() throws {
        let rgb = try Tensor([1, -1, 0.5, 0, 0, 0.25], shape: [3, 1, 2])
        XCTAssertEqual(try ImageOps.grayscale(rgb).scalars[0], 0.299 * 1 + 0.587 * 0.5 + 0.114 * 0, accuracy: 1e-6)
        let gray = try Tensor([0.2, -0.4], shape: [1, 1, 2])
        XCTAssertEqual(try ImageOps.rgb(gray).scalars, [0.2, -0.4, 0.2, -0.4, 0.2, -0.4])
        XCTAssertEqual(try ImageOps.normalize(rgb, mean: [0.5], std: [0.5]).scalars, [1, -3, 0, -1, -1, -0.5])
        XCTAssertEqual(try ImageOps.normalize(rgb, mean: [0, 1, 0], std: [1, 2, 0.5]).scalars, [1, -1, -0.25, -0.5, 0, 0.5])
        XCTAssertThrowsError(try ImageOps.normalize(rgb, mean: [0, 0], std: [1, 1]))

        let row = try Tensor([1, 2, 3], shape: [1, 1, 3])
        XCTAssertEqual(try ImageOps.pad(row, top: 0, bottom: 0, left: 2, right: 2, mode: .reflect).scalars, [3, 2, 1, 2, 3, 2, 1])
        XCTAssertEqual(try ImageOps.pad(row, top: 0, bottom: 0, left: 2, right: 1, mode: .replicate).scalars, [1, 1, 1, 2, 3, 3])
        let padded = try ImageOps.pad(row, 1)
        XCTAssertEqual(padded.shape, [1, 3, 5])
        XCTAssertEqual(padded.scalars, [-1, -1, -1, -1, -1, -1, 1, 2, 3, -1, -1, -1, -1, -1, -1])
        XCTAssertThrowsError(try ImageOps.pad(row, top: 0, bottom: 0, left: 3, right: 0, mode: .reflect))
        XCTAssertThrowsError(try ImageOps.grayscale(Tensor(zeros: [2, 2])))
    }

    func testPairGetsOneCropAndOneFlip() throws {
        let a = try ramp(3, 10, 12), b = try ramp(1, 10, 12)
        let jitter = try Transform.build([("random_crop", [6, 7]), ("hflip", true)])
        var offsets = Set<Float>(), flips = Set<Bool>()
        for seed in 0..<40 {
            let out = try jitter.apply(Sample(["A": a, "B": b, "mask": b]), RandomGenerator(seed: UInt64(seed)))
            let x = out["A"]!, y = out["B"]!
            XCTAssertEqual(x.shape, [3, 6, 7])
            XCTAssertEqual(y.shape, [1, 6, 7])
            XCTAssertEqual(Array(x.scalars[0..<42]), y.scalars, "A and B cropped and flipped alike")
            XCTAssertEqual(out["mask"]!.scalars, y.scalars)
            offsets.insert(y.scalars[0])
            flips.insert(y.scalars[0] > y.scalars[1])
        }
        XCTAssertEqual(flips, [true, false])
        XCTAssertGreaterThan(offsets.count, 10, "crops land at many offsets")
        XCTAssertThrowsError(try jitter.apply(Sample(["A": a, "B": try ramp(1, 9, 12)]), RandomGenerator(seed: 0)))
    }

    func testRandomCropCoversEveryOffset() throws {
        let x = try ramp(1, 4, 5)
        var seen = Set<[Float]>()
        for seed in 0..<200 {
            let y = try Transform.randomCrop(height: 3, width: 3).apply(Sample(["image": x]), RandomGenerator(seed: UInt64(seed)))["image"]!
            seen.insert([y.scalars[0]])
        }
        XCTAssertEqual(seen, Set([0, 1, 2, 10, 11, 12].map { [Float($0)] }))
    }

    func testMaskStaysBinaryAndColourSkipsMask() throws {
        let mask = try Tensor([0, 1, 1, 0], shape: [1, 2, 2])
        let image = Tensor(repeating: 0.5, shape: [3, 2, 2])
        let out = try Transform.parse(["resize=4", "grayscale", "normalize=0.5,0.5"]).apply(Sample(["image": image, "mask": mask]), RandomGenerator(seed: 0))
        XCTAssertEqual(out["image"]!.shape, [1, 4, 4])
        for v in out["image"]!.scalars { XCTAssertEqual(v, 0, accuracy: 1e-6) }
        XCTAssertEqual(out["mask"]!.shape, [1, 4, 4])
        XCTAssertTrue(out["mask"]!.scalars.allSatisfy { $0 == 0 || $0 == 1 })
        // Interpolation weights per axis are [0, 0.25, 0.75, 1]; >= 0.5 where the two axes disagree.
        XCTAssertEqual(out["mask"]!.scalars, [0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0])
        // Constant padding fills a mask with background.
        let padded = try Transform.pad(1).apply(Sample(["image": image, "mask": mask]), RandomGenerator(seed: 0))
        XCTAssertEqual(padded["mask"]!.scalars.reduce(0, +), 2)
        XCTAssertEqual(padded["image"]!.scalars[0], -1)
    }

    func testBuilderParsesRecipeSteps() throws {
        let x = try ramp(3, 20, 24)
        let fromStrings = try Transform.parse(["jitter=16,12", "hflip", "reflect_pad=2", "center_crop=10x14", "rgb"])
        let fromValues = try Transform.build([("jitter", [16, 12]), ("hflip", true), ("reflect_pad", 2), ("center_crop", [10, 14]), ("rgb", true)])
        for seed in 0..<5 {
            let a = try fromStrings.apply(Sample(["image": x]), RandomGenerator(seed: UInt64(seed)))["image"]!
            let b = try fromValues.apply(Sample(["image": x]), RandomGenerator(seed: UInt64(seed)))["image"]!
            XCTAssertEqual(a.shape, [3, 10, 14])
            XCTAssertEqual(a.scalars, b.scalars)
        }
        let noFlip = try Transform.parse(["hflip=false"]).apply(Sample(["image": x]), RandomGenerator(seed: 0))["image"]!
        XCTAssertEqual(noFlip.scalars, x.scalars)
        for bad in ["blur=3", "resize", "resize=0", "resize=2.5", "jitter=8,12", "hflip=2", "normalize=1,2,3", "=3", "pad=-1"] {
            XCTAssertThrowsError(try Transform.parse([bad]), bad) { error in
                XCTAssertTrue("\(error)".contains("transforms"), "\(error)")
            }
        }
    }
}
