import GANCore
public enum DCGANInfo { public static let name = "dcgan" }
