/// The core: trainer protocol, recipes, registry, runs.
public enum GANCoreInfo { public static let version = "0.1.0" }
