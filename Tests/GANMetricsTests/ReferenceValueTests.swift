import XCTest
import GANTensor
@testable import GANMetrics

/// Values computed by independent implementations in Tests/Fixtures/scripts/metrics_reference.py
/// (scikit-image 0.26, scipy 1.17, numpy 2.4) on the closed-form inputs of MetricFixtures.
final class ReferenceValueTests: XCTestCase {
    func testSSIMMatchesScikitImage() throws {
        let gray = try SSIM.compute(MetricFixtures.images(2, 1, 16, 16, variant: 0), MetricFixtures.images(2, 1, 16, 16, variant: 1))
        XCTAssertEqual(gray[0], 0.6043071385881597, accuracy: 1e-6)
        XCTAssertEqual(gray[1], 0.5134841311474179, accuracy: 1e-6)
        let rgb = try SSIM.compute(MetricFixtures.images(1, 3, 20, 24, variant: 0), MetricFixtures.images(1, 3, 20, 24, variant: 1))
        XCTAssertEqual(rgb[0], 0.5744330593295003, accuracy: 1e-6)
    }

    func testPSNRAndL1MatchReference() throws {
        let a = MetricFixtures.images(1, 3, 20, 24, variant: 0), b = MetricFixtures.images(1, 3, 20, 24, variant: 1)
        XCTAssertEqual(try PSNR.compute(a, b)[0], 15.167593217552078, accuracy: 1e-9)
        XCTAssertEqual(try L1.compute(a, b)[0], 0.2667431520241735, accuracy: 1e-12)
    }

    func testMSSSIMMatchesNumpyReference() throws {
        let two = try MSSSIM.compute(MetricFixtures.images(1, 1, 28, 28, variant: 0), MetricFixtures.images(1, 1, 28, 28, variant: 1))
        XCTAssertEqual(two[0], 0.7297081822465544, accuracy: 1e-6)
        let three = try MSSSIM.compute(MetricFixtures.images(1, 3, 64, 50, variant: 0), MetricFixtures.images(1, 3, 64, 50, variant: 1))
        XCTAssertEqual(three[0], 0.5427314172097302, accuracy: 1e-6)
    }

    func testFeatureMetricsMatchReference() throws {
        let a = MetricFixtures.features(40, 5, variant: 0), b = MetricFixtures.features(40, 5, variant: 1)
        XCTAssertEqual(try FrechetDistance.distance(a, b), 2.443469966353839, accuracy: 1e-8)
        XCTAssertEqual(try KernelInceptionDistance.unbiasedMMD2(a, b), 1.3647722729359866, accuracy: 1e-5)
        let pr = try PrecisionRecall.compute(real: a, fake: b)
        XCTAssertEqual(pr.precision, 0.725)
        XCTAssertEqual(pr.recall, 0.1)
    }

    func testCorrelationsMatchScipy() throws {
        let x = [3.0, 1, 4, 1, 5, 9, 2, 6, 5, 3], y = [2.0, 7, 1, 8, 2, 8, 1, 8, 2, 8]
        XCTAssertEqual(try Correlation.spearman(x, y), 0.13471506281091267, accuracy: 1e-12)
        XCTAssertEqual(try Correlation.pearson(x, y), 0.10492284287735881, accuracy: 1e-12)
    }
}
