import XCTest

/// A short real training of TemplateGAN: losses finite and moving, and its checkpoint reproduces
/// its samples. (`gan new-variant` copied this test along with the variant.)
final class TemplateTrainingTests: XCTestCase {
    func testTemplateTrainsAndItsCheckpointRoundTrips() throws {
        try TrainingHarness.checkShortTraining(
            "template-8gaussians",
            ["data.limit=1000", "train.batch_size=64", "train.log_every=2", "train.sample_every=1000",
             "train.checkpoint_every=1000", "train.sample_count=64", "model.width=32"],
            steps: 10)
    }
}
