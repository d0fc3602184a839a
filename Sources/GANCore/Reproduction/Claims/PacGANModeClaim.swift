import Foundation

/// Claim 3 (Lin et al. 2018, Table 1): on the 2-D grid of 25 Gaussians, PacGAN2 and PacGAN4
/// capture more modes than the unpacked GAN (pack 1) with the same networks, data and budget (the
/// full form; the fast form checks a coverage floor on the ring). `PacGANModeClaim.table` is the
/// paper's whole table (ring and grid, packs 1-4), opt-in because it takes over an hour here.
/// Scored as the paper does: 2,500 samples per run, a sample is high quality within 3 standard
/// deviations of its nearest mode, mean +- standard error over seeds.
public struct PacGANModeClaim: Claim {
    public let name: String
    public let statement: String
    public let source = "Lin, Khetan, Fanti, Oh 2018 (arXiv:1712.04086), Table 1"

    /// One form's budget: which mixtures and pack sizes, how many steps, which seeds.
    public struct Plan: Sendable {
        public var recipes: [String]
        public var packs: [Int]
        /// nil: each recipe's train.steps.
        public var steps: Int?
        public var seeds: [UInt64]
        public var overrides: [String]
        /// true: every packed model must capture strictly more modes (mean over seeds) than pack 1,
        /// or every mode of the mixture when pack 1 does too; false: pack 1 is only shown (the fast
        /// form's weaker check). Either way every packed model must capture at least
        /// `minimumModes` on average.
        public var requireMoreModes: Bool
        public var minimumModes: Double

        public init(recipes: [String], packs: [Int], steps: Int?, seeds: [UInt64], overrides: [String] = [],
                    requireMoreModes: Bool = true, minimumModes: Double = 0) {
            self.recipes = recipes
            self.packs = packs
            self.steps = steps
            self.seeds = seeds
            self.overrides = overrides
            self.requireMoreModes = requireMoreModes
            self.minimumModes = minimumModes
        }
    }

    // The full forms' training, measured here (docs/reproduction.md): 10,000 steps of 100 packs at
    // Adam lr 1e-3, seeds 1-3. The paper trains 400 epochs of 1,000 steps at lr 1e-4 (400,000
    // steps); at 1e-4 nothing here has sharpened onto the modes after 6,000 steps (under 2%
    // high-quality samples), so the budget is compressed by a 10x learning rate (one grid series
    // at 1e-3: GAN 10/18/16 modes at 6,000/9,000/12,000 steps against PacGAN2 16/20/20; at 3e-3
    // both stayed noisy).
    static let fullOverrides = ["train.lr_g=1e-3", "train.lr_d=1e-3", "train.sample_every=100000",
                                "train.checkpoint_every=2500", "train.log_every=1000"]
    // pacgan-modes: the grid, packs 1, 2 and 4 (pack m runs the generator on m x 100 points a
    // step, so pack 3 and the ring would take the suite past its hour).
    public var full = Plan(recipes: ["pacgan-grid"], packs: [1, 2, 4], steps: 10000, seeds: [1, 2, 3], overrides: fullOverrides)
    // Fast form, a weaker check: ring, 2,000 steps at the recipe's lr 1e-3. Nothing has converged
    // there (measured with this step: GAN 6,7 modes at 2-12% high quality, PacGAN2 6,6 at 7-21%;
    // before, with alternating updates and 100 samples a step at lr 1e-4: GAN 8,8, PacGAN2 8,7),
    // so which model is ahead is seed noise. It checks only that the packed GAN covers most of the
    // ring (at least 5 of 8 modes on average, one below what was measured), pack 1 shown beside it.
    public var fast = Plan(recipes: ["pacgan-ring"], packs: [1, 2], steps: 2000, seeds: [1, 2],
                           overrides: ["train.sample_every=100000", "train.checkpoint_every=100000", "train.log_every=500"],
                           requireMoreModes: false, minimumModes: 5)
    /// Samples scored per run, as in the paper.
    public var samples = 2500
    public let sampleSeed: UInt64 = 2018

    public init() {
        name = "pacgan-modes"
        statement = "Packing the discriminator (PacGAN2, PacGAN4) captures more modes of the 2-D grid than the same GAN unpacked, at the same budget."
    }

    /// The paper's whole Table 1: ring of 8 and grid of 25, packs 1-4, seeds 1-3, at the full
    /// form's budget (24 runs, about 85 minutes of one core on a quiet machine, so not in `--all`).
    /// Its fast form is pacgan-modes' (the same runs).
    public static let table: PacGANModeClaim = {
        var claim = PacGANModeClaim(name: "pacgan-modes-table",
                                    statement: "On the ring of 8 and the grid of 25 Gaussians, every pack size 2-4 captures more modes than the same GAN unpacked (or all of them), at the same budget (the paper's Table 1).")
        claim.full = Plan(recipes: ["pacgan-ring", "pacgan-grid"], packs: [1, 2, 3, 4], steps: 10000, seeds: [1, 2, 3],
                          overrides: fullOverrides)
        return claim
    }()

    init(name: String, statement: String) {
        self.name = name
        self.statement = statement
    }

    /// The paper's Table 1 (modes, high-quality %, reverse KL) by recipe and pack size.
    static let paper: [String: [Int: (Double, Double, Double)]] = [
        "pacgan-ring": [1: (6.3, 98.2, 0.45), 2: (7.9, 95.6, 0.07), 3: (7.8, 97.7, 0.10), 4: (7.8, 95.9, 0.07)],
        "pacgan-grid": [1: (17.3, 94.8, 0.70), 2: (23.8, 91.3, 0.13), 3: (24.6, 94.2, 0.06), 4: (24.8, 93.6, 0.04)],
    ]

    func plan(_ form: ClaimForm) -> Plan { form == .full ? full : fast }

    /// Largest packs first, so that with `gan reproduce --jobs 2` the slowest runs do not end up
    /// alone at the end.
    public func runs(_ form: ClaimForm) -> [RunSpec] {
        let p = plan(form)
        return p.recipes.flatMap { recipe in p.packs.reversed().flatMap { pack in p.seeds.map { seed in spec(recipe, pack, seed, form) } } }
    }

    func spec(_ recipe: String, _ pack: Int, _ seed: UInt64, _ form: ClaimForm) -> RunSpec {
        // 100 packs a step, as the authors' code draws them (batches of 100 packed examples).
        let steps = plan(form).steps.map { "-\($0)" } ?? ""
        return RunSpec(id: "\(recipe)-pack\(pack)-seed\(seed)-\(form.rawValue)\(steps)", recipe: recipe,
                       overrides: ["model.pack=\(pack)", "train.batch_size=\(100 * pack)"] + plan(form).overrides,
                       seed: seed, steps: plan(form).steps)
    }

    public func evaluate(_ runs: CompletedRuns, form: ClaimForm) throws -> ClaimVerdict {
        let p = plan(form)
        var rows: [[String]] = [], numbers: [String: Double] = [:], failures: [String] = [], wins: [String] = []
        for recipe in p.recipes {
            var meanModes: [Int: Double] = [:], modesTotal = 0
            for pack in p.packs {
                let scores = try p.seeds.map { seed in
                    try MixtureScoring.score(try runs[spec(recipe, pack, seed, form).id].open(), count: samples, seed: sampleSeed)
                }
                let modes = MeanError(scores.map { Double($0.modesCaptured) })
                let quality = MeanError(scores.map { 100 * $0.highQualityFraction })
                let kl = MeanError(scores.map(\.reverseKL))
                meanModes[pack] = modes.mean
                modesTotal = scores.first?.counts.count ?? 0
                let key = "\(recipe).pack\(pack)"
                numbers[key + ".modes"] = modes.mean
                numbers[key + ".modes_se"] = modes.error
                numbers[key + ".high_quality_percent"] = quality.mean
                numbers[key + ".reverse_kl"] = kl.mean
                let paper = Self.paper[recipe]?[pack].map { String(format: "%.1f / %.1f / %.2f", $0.0, $0.1, $0.2) } ?? "-"
                rows.append([recipe.replacingOccurrences(of: "pacgan-", with: ""), pack == 1 ? "GAN" : "PacGAN\(pack)",
                             modes.text(1), quality.text(1), kl.text(2), paper, scores.map { "\($0.modesCaptured)" }.joined(separator: ",")])
            }
            guard let plain = meanModes[1] else { continue }
            for pack in p.packs where pack > 1 {
                let packed = meanModes[pack]!
                let what = "\(recipe) PacGAN\(pack) \(String(format: "%.1f", packed)) vs GAN \(String(format: "%.1f", plain))"
                let saturated = packed == Double(modesTotal) && plain <= packed  // nothing left to capture
                let met = packed >= p.minimumModes && (!p.requireMoreModes || packed > plain || saturated)
                if met { wins.append(what) } else { failures.append(what) }
            }
        }
        let steps = p.steps.map { "\($0) steps" } ?? "recipe steps"
        let floor = p.minimumModes > 0 ? "at least \(String(format: "%g", p.minimumModes)) modes" : ""
        let claim = p.requireMoreModes ? "packing captures more modes" + (floor.isEmpty ? "" : ", " + floor) : "packed GAN captures " + floor
        let summary = (failures.isEmpty ? claim + ": " + wins.joined(separator: "; ")
                                        : "not met (\(claim)): " + failures.joined(separator: "; "))
            + " (\(p.seeds.count) seeds, \(steps))"
        return ClaimVerdict(passed: failures.isEmpty && !wins.isEmpty, summary: summary,
                       columns: ["data", "model", "modes (here)", "high quality % (here)", "reverse KL (here)",
                                 "paper modes / HQ % / KL", "modes per seed"],
                       rows: rows, numbers: numbers)
    }
}

/// Mean and standard error of the mean (sample standard deviation / sqrt(n)).
struct MeanError {
    let mean: Double, error: Double

    init(_ values: [Double]) {
        let n = Double(values.count)
        let m = values.reduce(0, +) / n
        let variance = values.count > 1 ? values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1) : 0
        mean = m
        error = (variance / n).squareRoot()
    }

    func text(_ digits: Int) -> String {
        String(format: "%.\(digits)f +- %.\(digits)f", mean, error)
    }
}
