import Foundation

/// A resolved recipe: which variant, which data, which model and training settings, every option
/// present and checked. Made by `RecipeLoader`.
public struct Recipe: Sendable, Equatable {
    public var name: String
    public var file: String
    public var variant: String
    public var description: String
    public var seed: UInt64
    public var data: Options
    public var model: Options
    public var train: Options

    public init(name: String, file: String, variant: String, description: String, seed: UInt64,
                data: Options, model: Options, train: Options) {
        self.name = name
        self.file = file
        self.variant = variant
        self.description = description
        self.seed = seed
        self.data = data
        self.model = model
        self.train = train
    }

    /// The recipe with every default filled in, as YAML that loads back to the same recipe.
    public var resolvedYAML: String {
        var out = "# resolved from \(file)\n"
        out += "variant: \(RecipeValue.string(variant))\n"
        out += "description: \(RecipeValue.string(description))\n"
        out += "seed: \(seed)\n"
        for section in [data, model, train] where !section.order.isEmpty {
            out += "\(section.section):\n"
            for key in section.order {
                out += "  \(key): \(section.values[key] ?? .null)\n"
            }
        }
        return out
    }
}
