import Foundation
import GANMetrics

/// Claim 2: conditioning works. Samples of the conditional GAN (Mirza & Osindero 2014) and of
/// AC-GAN (Odena, Olah, Shlens 2017, section 4.1: samples classified by a pretrained network) are
/// classified as their requested label by the toolkit's Fashion-MNIST classifier far above the
/// 10% chance (`minAccuracy`), and AC-GAN's within-class MS-SSIM (section 4.2: diversity, lower
/// is more diverse) stays within `maxMSSSIMExcess` of the real test images' value.
public struct ConditioningClaim: Claim {
    public let name = "conditioning"
    public let statement = "Conditional GAN and AC-GAN samples are classified as their requested label far above chance, and AC-GAN's within-class MS-SSIM stays near the real data's."
    public let source = "Mirza & Osindero 2014 (arXiv:1411.1784); Odena, Olah, Shlens 2017 (arXiv:1610.09585), sections 4.1-4.2"

    public struct Plan: Sendable {
        public var overrides: [String]
        public var steps: Int
        public var samples: Int
        public var minAccuracy: Double
        public var maxMSSSIMExcess: Double
    }

    // Full form: the recipes' networks, 1,200 steps each (about 6 minutes each at 3.5 steps/s),
    // 2,000 samples scored (200 per class).
    public var full = Plan(overrides: [], steps: 1200, samples: 2000, minAccuracy: 0.6, maxMSSSIMExcess: 0.1)
    // Fast form: narrow networks on 2,048 images, 300 steps each.
    public var fast = Plan(overrides: ["data.limit=2048", "model.ngf=16", "model.ndf=16", "train.batch_size=32"],
                           steps: 300, samples: 500, minAccuracy: 0.3, maxMSSSIMExcess: 0.2)
    public let sampleSeed: UInt64 = 2017
    static let recipes = [("cgan-fashion", "cGAN"), ("acgan-fashion", "AC-GAN")]

    public init() {}

    func plan(_ form: ClaimForm) -> Plan { form == .full ? full : fast }

    public func runs(_ form: ClaimForm) -> [RunSpec] {
        let p = plan(form)
        return Self.recipes.map { recipe, _ in
            RunSpec(id: "conditioning-\(recipe)-\(form.rawValue)-\(p.steps)", recipe: recipe,
                    overrides: p.overrides + ["train.checkpoint_every=\(p.steps)", "train.sample_every=\(p.steps)"],
                    seed: 1, steps: p.steps)
        }
    }

    public func evaluate(_ runs: CompletedRuns, form: ClaimForm) throws -> ClaimVerdict {
        let p = plan(form)
        let evaluator = try runs.featureEvaluator()
        var rows: [[String]] = [], numbers: [String: Double] = [:]
        var passed = true
        var parts: [String] = []
        for (spec, (_, label)) in zip(self.runs(form), Self.recipes) {
            let variant = try runs[spec.id].open().variant
            let scored = try FeatureScoring.score(variant, evaluator: evaluator, metrics: ["acc", "msssim"], count: p.samples, seed: sampleSeed)
            let acc = scored["accuracy_fashion_classifier"]!, ms = scored["msssim_within_class"]!, real = scored["msssim_within_class_real"]!
            let accOK = acc >= p.minAccuracy
            let msOK = label != "AC-GAN" || ms <= real + p.maxMSSSIMExcess
            passed = passed && accOK && msOK
            rows.append([label, String(format: "%.1f%%", 100 * acc), String(format: ">= %.0f%% (chance 10%%)", 100 * p.minAccuracy),
                         String(format: "%.3f", ms), String(format: "%.3f", real),
                         label == "AC-GAN" ? String(format: "<= %.3f", real + p.maxMSSSIMExcess) : "(shown)"])
            let key = label == "AC-GAN" ? "acgan" : "cgan"
            numbers["\(key).accuracy"] = acc
            numbers["\(key).msssim_within_class"] = ms
            numbers["msssim_within_class_real"] = real
            parts.append(String(format: "%@ accuracy %.1f%%, MS-SSIM %.3f", label, 100 * acc, ms))
        }
        return ClaimVerdict(
            passed: passed,
            summary: parts.joined(separator: "; ") + String(format: " (real MS-SSIM %.3f, %d samples, %d steps)",
                                                            numbers["msssim_within_class_real"] ?? .nan, p.samples, p.steps),
            columns: ["model", "classified as requested", "required", "within-class MS-SSIM", "real data's", "required"],
            rows: rows, numbers: numbers)
    }
}
