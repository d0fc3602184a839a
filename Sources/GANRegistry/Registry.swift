import GANCore
import ACGAN
import CGAN
import DCGAN
import PacGAN
import Template
import WGANGP

/// Every variant, found by the name recipes use. Adding a variant: its module name in
/// Package.swift's `variants`, and one line here.
public let allVariants: [any GANVariant.Type] = [
    DCGAN.self,
    CGAN.self,
    ACGAN.self,
    PacGAN.self,
    WGANGP.self,
    TemplateGAN.self,
]

public enum Registry {
    public static func variant(named name: String) -> (any GANVariant.Type)? {
        allVariants.first { $0.name == name }
    }

    public static var names: [String] { allVariants.map { $0.name } }

    /// A recipe loader that validates against the registered variants' options, and the feature
    /// classifier's recipe (`variant: classifier`) against its own.
    public static func recipeLoader(searchPaths: [String] = RecipeLoader.defaultSearchPaths) -> RecipeLoader {
        RecipeLoader(searchPaths: searchPaths, variantNames: names + [ClassifierRecipe.variantName]) { name in
            name == ClassifierRecipe.variantName ? ClassifierRecipe.schema : variant(named: name)?.schema
        }
    }
}
