// swift-tools-version:6.0
import PackageDescription

/// Every GAN variant is one module under Sources/Variants/<Name>; adding one is a new name here
/// plus one line in Sources/GANRegistry/Registry.swift (RegistryTests checks the two agree).
let variants = ["DCGAN", "CGAN", "ACGAN", "PacGAN", "WGANGP", "Template"]

// Numeric kernels index raw buffers after explicit shape checks; drop the redundant overflow traps.
let engineSettings: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

var targets: [Target] = [
    .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
    .target(
        name: "CImageCodecs",
        path: "Sources/CImageCodecs",
        linkerSettings: [.linkedLibrary("png"), .linkedLibrary("jpeg"), .linkedLibrary("z")]
    ),
    // Products with one thin side for the 1- and 3-channel convolutions, in C so the AVX2 and
    // AVX-512 versions can be chosen at run time while the package builds for baseline x86-64.
    .target(name: "CKernels", path: "Sources/CKernels"),
    .target(name: "GANTensor", dependencies: ["CBLAS", "CKernels"], swiftSettings: engineSettings),
    .target(name: "GANData", dependencies: ["GANTensor", "CImageCodecs"], swiftSettings: engineSettings),
    .target(name: "GANMetrics", dependencies: ["GANTensor", "GANData"], path: "Sources/GANMetrics",
            swiftSettings: engineSettings),
    // GANCore depends on GANMetrics (never the reverse): the trainer's periodic evaluation and the
    // reproduction claims score runs with the metrics, while the metrics know nothing of recipes,
    // variants or runs and need only tensors and datasets.
    .target(
        name: "GANCore",
        dependencies: ["GANTensor", "GANData", "GANMetrics", .product(name: "Yams", package: "Yams")]
    ),
    // Copies the template variant under a new name and registers it (`gan new-variant`).
    .target(name: "GANScaffold"),
    // The one place that lists every variant module by type (Sources/GANRegistry/Registry.swift).
    .target(name: "GANRegistry", dependencies: ["GANCore"] + variants.map { .target(name: $0) }),
    .executableTarget(
        name: "gan",
        dependencies: ["GANTensor", "GANData", "GANCore", "GANRegistry", "GANMetrics", "GANScaffold",
                       .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    .testTarget(name: "GANTensorTests", dependencies: ["GANTensor"], exclude: ["Fixtures"]),
    .testTarget(name: "GANDataTests", dependencies: ["GANData", "GANTensor"]),
    .testTarget(name: "GANMetricsTests", dependencies: ["GANMetrics", "GANTensor", "GANData"]),
    .testTarget(name: "GANCoreTests", dependencies: ["GANCore", "GANData", "GANTensor", "GANMetrics"]),
    .testTarget(name: "GANScaffoldTests", dependencies: ["GANScaffold"]),
    .testTarget(
        name: "VariantTests",
        dependencies: ["GANCore", "GANData", "GANTensor", "GANMetrics", "GANRegistry"] + variants.map { .target(name: $0) }
    ),
]
// `swift package --allow-writing-to-package-directory new-variant NAME` runs `gan new-variant`.
targets.append(.plugin(
    name: "NewVariant",
    capability: .command(
        intent: .custom(verb: "new-variant", description: "Create a variant module from the template and register it"),
        permissions: [.writeToPackageDirectory(reason: "writes Sources/Variants/NAME, its recipe and test, and edits Package.swift and Registry.swift")]
    ),
    dependencies: ["gan"]
))
targets += variants.map {
    .target(name: $0, dependencies: ["GANTensor", "GANData", "GANCore"], path: "Sources/Variants/\($0)")
}

let package = Package(
    name: "GANKit",
    products: [
        .executable(name: "gan", targets: ["gan"]),
        .library(name: "GANTensor", targets: ["GANTensor"]),
        .library(name: "GANData", targets: ["GANData"]),
        .library(name: "GANCore", targets: ["GANCore"]),
        .library(name: "GANMetrics", targets: ["GANMetrics"]),
        .plugin(name: "NewVariant", targets: ["NewVariant"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: targets,
    swiftLanguageModes: [.v5]
)
