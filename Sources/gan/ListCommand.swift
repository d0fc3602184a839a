import ArgumentParser
import GANCore
import GANRegistry

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List recipes and variants.")

    func run() throws {
        try reportingErrors {
            let loader = Registry.recipeLoader()
            print("Recipes:")
            for (name, path) in loader.available() {
                let line: String
                if let recipe = try? loader.load(path) {
                    line = "\(recipe.variant): \(recipe.description)"
                } else {
                    line = "(invalid: run `gan show \(name)` for the error)"
                }
                print("  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(line)")
            }
            print("Variants:")
            for v in allVariants {
                print("  \(v.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(v.summary) [\(v.paper)]")
            }
            print("  \(ClassifierRecipe.variantName.padding(toLength: 22, withPad: " ", startingAt: 0)) \(ClassifierRecipe.summary)")
        }
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a recipe with every default resolved.")

    @Argument(help: "Recipe name (a file in Recipes/) or path.") var recipe: String
    @Option(name: .customLong("set"), help: "Override a field: key.path=value (repeatable).") var overrides: [String] = []

    func run() throws {
        try reportingErrors {
            print(try Registry.recipeLoader().load(recipe, overrides: overrides).resolvedYAML, terminator: "")
        }
    }
}
