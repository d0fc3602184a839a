import ArgumentParser
import Foundation
import GANCore
import GANData
import GANRegistry
import GANTensor

struct InterpolateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interpolate", abstract: "Interpolate between two latents (seeds) and write an image strip.")

    enum Mode: String, ExpressibleByArgument { case lerp, slerp }

    @Option(help: "Run folder or checkpoint folder.") var checkpoint: String
    @Option(help: "Seed of the first latent.") var from: UInt64 = 0
    @Option(help: "Seed of the second latent.") var to: UInt64 = 1
    @Option(help: "Images in the strip, ends included.") var frames: Int = 8
    @Option(help: "lerp or slerp (spherical, better for Gaussian latents).") var mode: Mode = .slerp
    @Option(help: "Class for conditional variants.") var label: Int?
    @Option(help: "Image strip to write.") var out: String = "interpolation.png"

    func validate() throws {
        if frames < 2 { throw ValidationError("--frames must be at least 2") }
    }

    func run() throws {
        try reportingErrors {
            let opened = try RunLoader.open(checkpoint, recipes: Registry.recipeLoader(), variant: Registry.variant(named:))
            guard let nz = opened.variant.latentDimension else {
                throw TrainingError.invalid("\(opened.recipe.variant) has no latent to interpolate")
            }
            let a = RandomGenerator(seed: from).normal([nz]).scalars, b = RandomGenerator(seed: to).normal([nz]).scalars
            var rows: [Float] = []
            for i in 0..<frames {
                let t = Float(i) / Float(frames - 1)
                rows += mode == .lerp ? LatentPath.lerp(a, b, t) : LatentPath.slerp(a, b, t)
            }
            var input = GeneratorInput(latents: try Tensor(rows, shape: [frames, nz]))
            if let classes = opened.variant.conditionClasses {
                let c = label ?? 0
                guard (0..<classes).contains(c) else { throw TrainingError.invalid("--label \(c) is not a class in 0..<\(classes)") }
                input.labels = Array(repeating: c, count: frames)
            }
            let images = try opened.variant.generate(input)
            try ImageGrid.write(images, columns: frames, to: out)
            print("wrote \(frames) frames to \(out)")
        }
    }
}
