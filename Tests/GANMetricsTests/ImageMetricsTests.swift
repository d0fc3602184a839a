import XCTest
import GANTensor
@testable import GANMetrics

final class ImageMetricsTests: XCTestCase {
    let rng = RandomGenerator(seed: 13)

    func clampedNoisy(_ x: Tensor, std: Float) -> Tensor {
        let n = rng.normal(x.shape, std: std)
        let out = Tensor(uninitialized: x.shape)
        for i in 0..<x.count { out.data[i] = min(1, max(-1, x.data[i] + n.data[i])) }
        return out
    }

    func testSSIMIdenticalNoiseAndSymmetry() throws {
        let x = MetricFixtures.images(3, 2, 24, 24, variant: 0)
        for v in try SSIM.compute(x, x) { XCTAssertEqual(v, 1, accuracy: 1e-12) }
        let light = try SSIM.compute(x, clampedNoisy(x, std: 0.05)), heavy = try SSIM.compute(x, clampedNoisy(x, std: 0.4))
        for i in 0..<3 {
            XCTAssertLessThan(light[i], 1)
            XCTAssertLessThan(heavy[i], light[i])
        }
        let y = MetricFixtures.images(3, 2, 24, 24, variant: 1)
        XCTAssertEqual(try SSIM.compute(x, y), try SSIM.compute(y, x))
    }

    func testGaussianWindow() {
        XCTAssertEqual(SSIM.window.count, 11)
        XCTAssertEqual(SSIM.window.reduce(0, +), 1, accuracy: 1e-15)
        XCTAssertEqual(SSIM.window[5] / SSIM.window[6], exp(1 / (2 * 1.5 * 1.5)), accuracy: 1e-12)
    }

    func testMSSSIMScalesAndWeights() throws {
        XCTAssertEqual(MSSSIM.scaleCount(height: 28, width: 28), 2)
        XCTAssertEqual(MSSSIM.scaleCount(height: 32, width: 32), 2)
        XCTAssertEqual(MSSSIM.scaleCount(height: 64, width: 64), 3)
        XCTAssertEqual(MSSSIM.scaleCount(height: 176, width: 200), 5)
        XCTAssertEqual(MSSSIM.scaleCount(height: 10, width: 40), 0)
        let w = MSSSIM.weights(scales: 2)
        XCTAssertEqual(w[0], 0.0448 / 0.3304, accuracy: 1e-15)
        XCTAssertEqual(w.reduce(0, +), 1, accuracy: 1e-15)
        XCTAssertEqual(MSSSIM.weights(scales: 5), MSSSIM.standardWeights.map { $0 / MSSSIM.standardWeights.reduce(0, +) })
    }

    func testMSSSIMIdenticalSymmetricAndSingleScaleIsSSIM() throws {
        let x = MetricFixtures.images(2, 1, 28, 28, variant: 0), y = MetricFixtures.images(2, 1, 28, 28, variant: 1)
        for v in try MSSSIM.compute(x, x) { XCTAssertEqual(v, 1, accuracy: 1e-12) }
        XCTAssertEqual(try MSSSIM.compute(x, y), try MSSSIM.compute(y, x))
        let noisy = try MSSSIM.compute(x, clampedNoisy(x, std: 0.3))
        for v in noisy { XCTAssertLessThan(v, 1) }
        // 16x16 fits one scale only, with weight 1: MS-SSIM is SSIM (clamped at 0).
        let a = MetricFixtures.images(2, 3, 16, 20, variant: 0), b = MetricFixtures.images(2, 3, 16, 20, variant: 1)
        for (m, s) in zip(try MSSSIM.compute(a, b), try SSIM.compute(a, b)) { XCTAssertEqual(m, max(s, 0), accuracy: 1e-12) }
    }

    func testPSNRAndL1KnownValues() throws {
        let a = Tensor(zeros: [2, 1, 4, 4]), b = Tensor(repeating: 0.2, shape: [2, 1, 4, 4])
        // MSE 0.04 with range 2: 10 log10(4 / 0.04) = 20 dB.
        for v in try PSNR.compute(a, b) { XCTAssertEqual(v, 20, accuracy: 1e-5) }
        XCTAssertEqual(try PSNR.compute(a, a), [.infinity, .infinity])
        for v in try L1.compute(a, b) { XCTAssertEqual(v, 0.2, accuracy: 1e-7) }
        XCTAssertEqual(try L1.compute(b, b), [0, 0])
    }

    func testImageInputsAreValidated() {
        let small = Tensor(zeros: [1, 1, 10, 10])
        XCTAssertThrowsError(try SSIM.compute(small, small))
        XCTAssertThrowsError(try MSSSIM.compute(small, small))
        XCTAssertThrowsError(try PSNR.compute(Tensor(zeros: [1, 1, 4, 4]), Tensor(zeros: [1, 1, 4, 5])))
        XCTAssertThrowsError(try L1.compute(Tensor(zeros: [16, 16]), Tensor(zeros: [16, 16])))
        XCTAssertThrowsError(try PSNR.compute(Tensor(zeros: [1, 1, 4, 4]), Tensor(zeros: [1, 1, 4, 4]), dataRange: 0))
    }

    func testClassDiversity() throws {
        // Class 0: three copies of one image (MS-SSIM 1). Class 1: three different images.
        // Class 2: a single image, which has no pair and is skipped.
        let distinct = MetricFixtures.images(3, 1, 28, 28, variant: 1), same = MetricFixtures.images(1, 1, 28, 28, variant: 0)
        let per = 28 * 28
        let images = Tensor(uninitialized: [7, 1, 28, 28])
        for i in 0..<3 { (images.data + i * per).update(from: same.data, count: per) }
        (images.data + 3 * per).update(from: distinct.data, count: 3 * per)
        (images.data + 6 * per).update(from: same.data, count: per)
        let labels = [0, 0, 0, 1, 1, 1, 2]
        let r = try ClassDiversity.meanMSSSIM(images: images, labels: labels, pairsPerClass: 12, rng: RandomGenerator(seed: 3))
        XCTAssertEqual(Set(r.perClass.keys), [0, 1])
        XCTAssertEqual(r.perClass[0]!, 1, accuracy: 1e-12)
        XCTAssertLessThan(r.perClass[1]!, 0.9)
        XCTAssertEqual(r.mean, (r.perClass[0]! + r.perClass[1]!) / 2, accuracy: 1e-15)
        // Class 1's value is a mean of its three pairwise MS-SSIMs (each drawn pair is distinct).
        let pairs = try MSSSIM.compute(distinct, Tensor(distinct.scalars.suffix(per * 2) + distinct.scalars.prefix(per), shape: [3, 1, 28, 28]))
        XCTAssertGreaterThanOrEqual(r.perClass[1]!, pairs.min()! - 1e-12)
        XCTAssertLessThanOrEqual(r.perClass[1]!, pairs.max()! + 1e-12)
        let again = try ClassDiversity.meanMSSSIM(images: images, labels: labels, pairsPerClass: 12, rng: RandomGenerator(seed: 3))
        XCTAssertEqual(again, r)
        XCTAssertThrowsError(try ClassDiversity.meanMSSSIM(images: images, labels: [0, 1], pairsPerClass: 2, rng: rng))
        XCTAssertThrowsError(try ClassDiversity.meanMSSSIM(images: images, labels: Array(0..<7), pairsPerClass: 2, rng: rng))
    }
}
