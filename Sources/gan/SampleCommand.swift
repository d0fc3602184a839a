import ArgumentParser
import Foundation
import GANCore
import GANData
import GANRegistry
import GANTensor

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sample", abstract: "Generate samples from a checkpoint.")

    @Option(help: "Run folder (latest checkpoint) or checkpoint folder.") var checkpoint: String
    @Option(help: "Number of samples.") var count: Int = 64
    @Option(help: "Seed for the latents.") var seed: UInt64 = 0
    @Option(help: "Latents from a .npy file [N, nz] instead of the seed.") var latents: String?
    @Option(help: "Class labels, comma-separated (conditional variants); repeated to --count.") var labels: String?
    @Option(help: "Grid image to write.") var out: String = "samples.png"
    @Option(help: "Also write the raw samples as .npy.") var npy: String?
    @Option(help: "Grid columns (default: square).") var columns: Int?

    func validate() throws {
        if count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let opened = try RunLoader.open(checkpoint, recipes: Registry.recipeLoader(), variant: Registry.variant(named:))
            let variant = opened.variant
            var input = GeneratorInput()
            if let latents {
                let z = try Npy.read(from: URL(fileURLWithPath: latents))
                guard z.rank == 2, z.shape[1] == variant.latentDimension else {
                    throw TrainingError.invalid("\(latents): latents must have shape [N, \(variant.latentDimension ?? 0)], got \(z.shape)")
                }
                input.latents = z
            } else if let nz = variant.latentDimension {
                input.latents = RandomGenerator(seed: seed).normal([count, nz])
            }
            let n = input.latents?.shape[0] ?? count
            if let labels {
                guard let classes = variant.conditionClasses else {
                    throw TrainingError.invalid("--labels: \(opened.recipe.variant) is not a conditional variant")
                }
                let parsed = try labels.split(separator: ",").map { s -> Int in
                    guard let v = Int(s.trimmingCharacters(in: .whitespaces)), (0..<classes).contains(v) else {
                        throw TrainingError.invalid("--labels: \"\(s)\" is not a class in 0..<\(classes)")
                    }
                    return v
                }
                guard !parsed.isEmpty else { throw TrainingError.invalid("--labels is empty") }
                input.labels = (0..<n).map { parsed[$0 % parsed.count] }
            } else if let classes = variant.conditionClasses {
                input.labels = (0..<n).map { $0 * classes / n }
            }
            let samples = try variant.generate(input)
            if samples.rank == 4 {
                let cols = columns ?? variant.conditionClasses.map { _ in Int(Double(n).squareRoot().rounded(.up)) } ?? Int(Double(n).squareRoot().rounded(.up))
                try ImageGrid.write(samples, columns: cols, to: out)
                print("wrote \(n) samples to \(out)")
            }
            if let npy {
                try Npy.write(samples, to: URL(fileURLWithPath: npy))
                print("wrote \(samples.shape) to \(npy)")
            }
        }
    }
}
