import XCTest
@testable import GANCore
import GANMetrics

final class RecipeTests: XCTestCase {
    let schema = RecipeSchema(model: [
        OptionSpec("nz", .int(1...4096), default: .int(100), "latent size"),
        OptionSpec("norm", .string(choices: ["batch", "instance", "none"]), default: .string("batch"), "norm"),
    ], extraTrain: [OptionSpec("n_critic", .int(1...100), default: .int(5), "critic steps")])

    var loader: RecipeLoader {
        let s = schema
        return RecipeLoader(searchPaths: [], variantNames: ["toy", "other"]) { $0 == "toy" ? s : nil }
    }

    func parse(_ text: String, _ overrides: [String] = []) throws -> Recipe {
        try loader.parse(text, file: "toy.yaml", name: "toy", overrides: overrides)
    }

    func assertError(_ text: String, _ overrides: [String] = [], contains parts: [String],
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parse(text, overrides), file: file, line: line) { error in
            let message = "\(error)"
            for p in parts { XCTAssertTrue(message.contains(p), "\"\(message)\" lacks \"\(p)\"", file: file, line: line) }
        }
    }

    func testDefaultsFillEverySection() throws {
        let r = try parse("variant: toy\nseed: 7\nmodel:\n  nz: 64\n")
        XCTAssertEqual(r.seed, 7)
        XCTAssertEqual(r.model.int("nz"), 64)
        XCTAssertEqual(r.model.string("norm"), "batch")
        XCTAssertEqual(r.train.int("n_critic"), 5)
        XCTAssertEqual(r.train.float("lr_g"), 2e-4)
        XCTAssertEqual(r.data.string("dataset"), "fashion-mnist")
    }

    func testNumbersInScientificNotationAndIntsForFloats() throws {
        let r = try parse("variant: toy\ntrain:\n  lr_g: 1e-4\n  lr_d: 1\n")
        XCTAssertEqual(r.train.double("lr_g"), 1e-4)
        XCTAssertEqual(r.train.double("lr_d"), 1)
    }

    func testUnknownKeyNamesFileLineAndSuggests() {
        assertError("variant: toy\ntrain:\n  stpes: 10\n", contains: ["toy.yaml:3", "train.stpes", "unknown key", "did you mean \"steps\""])
        assertError("variant: toy\nmodle:\n  nz: 3\n", contains: ["toy.yaml:2", "modle", "did you mean \"model\""])
    }

    func testWrongTypesAndRanges() {
        assertError("variant: toy\nmodel:\n  nz: lots\n", contains: ["toy.yaml:3", "model.nz", "must be an integer"])
        assertError("variant: toy\nmodel:\n  nz: 0\n", contains: ["model.nz", "must be in 1...4096, got 0"])
        assertError("variant: toy\nmodel:\n  norm: batchh\n", contains: ["model.norm", "did you mean \"batch\""])
        assertError("variant: toy\ntrain:\n  lr_g: -1\n", contains: ["train.lr_g", "must be in"])
        assertError("variant: toy\nseed: -3\n", contains: ["seed", "non-negative"])
    }

    func testVariantMustExist() {
        assertError("variant: toyy\n", contains: ["toy.yaml:1", "unknown variant", "did you mean \"toy\""])
        assertError("seed: 1\n", contains: ["variant", "missing"])
    }

    func testBadYAMLIsLocated() {
        assertError("variant: toy\nmodel: [unclosed\n", contains: ["toy.yaml", "not valid YAML"])
        assertError("- a\n- b\n", contains: ["must be a mapping"])
        assertError("variant: toy\nmodel:\n  nz: 1\n  nz: 2\n", contains: ["model.nz", "given twice"])
    }

    func testOverridesApplyAndAreValidated() throws {
        let r = try parse("variant: toy\nmodel:\n  nz: 64\n", ["model.nz=32", "train.lr_g=1e-3", "data.transforms=[hflip, \"resize=32\"]"])
        XCTAssertEqual(r.model.int("nz"), 32)
        XCTAssertEqual(r.train.double("lr_g"), 1e-3)
        XCTAssertEqual(r.data.stringList("transforms"), ["hflip", "resize=32"])
        assertError("variant: toy\n", ["model.nz=abc"], contains: ["--set", "model.nz", "must be an integer"])
        assertError("variant: toy\n", ["model.zn=3"], contains: ["model.zn", "did you mean \"nz\""])
        assertError("variant: toy\n", ["justakey"], contains: ["expected key.path=value"])
    }

    func testResolvedYAMLLoadsBackIdentically() throws {
        let r = try parse("variant: toy\ndescription: \"a: colon\"\nseed: 3\nmodel:\n  nz: 12\ntrain:\n  lr_g: 3.5e-5\n")
        let again = try loader.parse(r.resolvedYAML, file: "toy.yaml", name: "toy")
        XCTAssertEqual(again, r)
    }

    func testClosestMatch() {
        XCTAssertEqual(ClosestMatch.distance("kitten", "sitting"), 3)
        XCTAssertEqual(ClosestMatch.closest(to: "batch_szie", among: ["batch_size", "steps"]), "batch_size")
        XCTAssertNil(ClosestMatch.closest(to: "zzzzzz", among: ["batch_size", "steps"]))
    }

    func testLocateByNameAndPath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("recipes-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "variant: toy\n".write(to: dir.appendingPathComponent("mine.yaml"), atomically: true, encoding: .utf8)
        var l = loader
        l.searchPaths = [dir.path]
        XCTAssertEqual(try l.load("mine").name, "mine")
        XCTAssertEqual(try l.load(dir.appendingPathComponent("mine.yaml").path).variant, "toy")
        XCTAssertThrowsError(try l.load("mien")) { XCTAssertTrue("\($0)".contains("did you mean \"mine\"")) }
    }
}

/// The feature classifier's recipe: its own schema, and values that are the library's defaults
/// (so `FeatureEvaluator.fashionClassifier()` and `gan train classifier-fashion` share one cache).
final class ClassifierRecipeTests: XCTestCase {
    func testRecipeMatchesTheLibraryDefaultsAndIsValidated() throws {
        let recipe = try ClassifierRecipe.loader.load(ClassifierRecipe.recipeName)
        XCTAssertEqual(recipe.variant, "classifier")
        XCTAssertEqual(try ClassifierRecipe.settings(recipe), FashionClassifierSettings())
        var changed = FashionClassifierSettings()
        changed.dropout = 0.1
        changed.testLimit = 300
        let overridden = try ClassifierRecipe.loader.load(ClassifierRecipe.recipeName, overrides: ["model.dropout=0.1", "data.test_limit=300"])
        XCTAssertEqual(try ClassifierRecipe.settings(overridden), changed)
        XCTAssertThrowsError(try ClassifierRecipe.loader.load(ClassifierRecipe.recipeName, overrides: ["train.steps=5"])) {
            XCTAssertTrue("\($0)".contains("train.steps") && "\($0)".contains("epochs"), "\($0)")
        }
        XCTAssertThrowsError(try ClassifierRecipe.loader.load(ClassifierRecipe.recipeName, overrides: ["data.dataset=cifar10"])) {
            XCTAssertTrue("\($0)".contains("data.dataset"), "\($0)")
        }
    }
}
