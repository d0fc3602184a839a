import XCTest
import GANTensor
@testable import GANMetrics

final class ClassificationAndCorrelationTests: XCTestCase {
    func testAccuracyAndPerClass() throws {
        let predicted = [0, 1, 2, 1, 0, 2], requested = [0, 1, 1, 1, 2, 2]
        XCTAssertEqual(try ClassificationAccuracy.accuracy(predicted: predicted, requested: requested), 4.0 / 6)
        let per = try ClassificationAccuracy.perClass(predicted: predicted, requested: requested, classCount: 4)
        XCTAssertEqual(per, [1, 2.0 / 3, 0.5, nil])
        XCTAssertThrowsError(try ClassificationAccuracy.accuracy(predicted: [1], requested: [1, 2]))
        XCTAssertThrowsError(try ClassificationAccuracy.accuracy(predicted: [], requested: []))
        XCTAssertThrowsError(try ClassificationAccuracy.perClass(predicted: [0], requested: [4], classCount: 4))
    }

    func testPredictionsFromLogits() throws {
        let logits = try Tensor([0.1, 2, -1, 5, 5, 0, -3, -2, -1], shape: [3, 3])
        XCTAssertEqual(try ClassificationAccuracy.predictions(logits: logits), [1, 0, 2])
        XCTAssertThrowsError(try ClassificationAccuracy.predictions(logits: Tensor(zeros: [3])))
    }

    func testRanksAverageTies() {
        XCTAssertEqual(Correlation.ranks([10, 20, 20, 30]), [1, 2.5, 2.5, 4])
        XCTAssertEqual(Correlation.ranks([5, 5, 5]), [2, 2, 2])
        XCTAssertEqual(Correlation.ranks([3, 1, 2]), [3, 1, 2])
    }

    func testSpearmanKnownValues() throws {
        let x = [1.0, 2, 3, 4, 5]
        // Any increasing map gives 1, any decreasing map -1.
        XCTAssertEqual(try Correlation.spearman(x, x.map { exp($0) }), 1, accuracy: 1e-15)
        XCTAssertEqual(try Correlation.spearman(x, x.map { -$0 * $0 * $0 }), -1, accuracy: 1e-15)
        // No ties: 1 - 6 Σd² / (n(n²-1)); ranks (1..5) vs (2,1,4,3,5): Σd² = 4 -> 1 - 24/120 = 0.8.
        XCTAssertEqual(try Correlation.spearman(x, [20, 10, 40, 30, 50]), 0.8, accuracy: 1e-15)
        XCTAssertThrowsError(try Correlation.spearman(x, [1, 1, 1, 1, 1]))
        XCTAssertThrowsError(try Correlation.spearman(x, [1, 2]))
        XCTAssertThrowsError(try Correlation.pearson([1, .nan], [1, 2]))
    }
}
