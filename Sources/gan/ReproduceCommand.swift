import ArgumentParser
import Foundation
import GANCore
import GANRegistry

/// `gan reproduce`: re-runs papers' claims as comparisons between models of this toolkit, prints
/// PASS/FAIL with the numbers, and writes results.json and results.md. Exit status 1 when a claim fails.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce", abstract: "Run reproduction claims (train, evaluate, compare); PASS/FAIL table, JSON and Markdown.")

    @Argument(help: "Claim names (see --list).") var names: [String] = []
    @Flag(help: "Run every claim but the opt-in ones (see --list).") var all = false
    @Flag(help: "List the claims with their statements and sources.") var list = false
    @Flag(help: "Each claim's fast form (small subset, few steps, loose thresholds).") var fast = false
    @Option(help: "Output folder: runs/<id>/ for the trainings (finished ones are reused), results.json, results.md.")
    var out: String = "runs/reproduce"
    @Flag(help: "Show the trainings' progress lines.") var verbose = false
    @Option(help: "Runs trained at once, each in its own gan process (results do not depend on it).") var jobs: Int = 1
    @Option(name: .customLong("run"), help: "Only train (or finish) this run of the named claims, without evaluating (what --jobs starts).")
    var onlyRun: String?

    func validate() throws {
        if list && (all || !names.isEmpty) { throw ValidationError("--list takes no claim names and no --all") }
        if !list && all == !names.isEmpty { throw ValidationError("name the claims to run, or give --all (see --list)") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }

    func run() throws {
        try reportingErrors {
            if list {
                for claim in ClaimCatalog.all { print("\(claim.name)\n  \(claim.statement)\n  source: \(claim.source)") }
                for claim in ClaimCatalog.optIn {
                    print("\(claim.name) (not in --all: run it by name)\n  \(claim.statement)\n  source: \(claim.source)")
                }
                return
            }
            let claims = all ? ClaimCatalog.all : try ClaimCatalog.claims(named: names)
            let runner = ReproductionRunner(out: out, recipes: Registry.recipeLoader(), variant: Registry.variant(named:))
            if verbose { runner.trainingProgress = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) } }
            let form: ClaimForm = fast ? .fast : .full
            let specs = claims.flatMap { $0.runs(form) }
            if let onlyRun {
                guard let spec = specs.first(where: { $0.id == onlyRun }) else {
                    throw ValidationError("no run \(onlyRun) in \(claims.map(\.name).joined(separator: ", ")) (\(form.rawValue) form)")
                }
                _ = try runner.complete(spec)
                return
            }
            try ReproduceJobs.train(specs, childArguments: { spec in
                ["reproduce"] + (all ? ["--all"] : names) + (fast ? ["--fast"] : []) + (verbose ? ["--verbose"] : [])
                    + ["--out", out, "--run", spec.id]
            }, jobs: jobs)
            let results = runner.run(claims, form: form)
            let report = ReproductionReport(results: results, commit: Self.commit())
            print(report.text)
            for url in try report.write(to: runner.out) { print("wrote \(url.path)") }
            if !report.passed { throw ExitCode(1) }
        }
    }

    /// `git describe`-style commit of the working directory's checkout, "unknown" outside git.
    static func commit() -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "rev-parse", "--short=12", "HEAD"]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return "unknown" }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let sha = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard p.terminationStatus == 0, !sha.isEmpty else { return "unknown" }
        let dirty = Process()
        dirty.executableURL = p.executableURL
        dirty.arguments = ["git", "diff", "--quiet", "HEAD"]
        dirty.standardError = FileHandle.nullDevice
        guard (try? dirty.run()) != nil else { return sha }
        dirty.waitUntilExit()
        return dirty.terminationStatus == 0 ? sha : sha + " (with uncommitted changes)"
    }
}
