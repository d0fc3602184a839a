import GANTensor

/// An augmentation of whole samples: each image tensor of a sample ("image", "A", "B", "mask") gets
/// the same geometric decision (one crop offset, one flip), drawn once from the sample's generator,
/// so pairs stay aligned.
public struct Transform: @unchecked Sendable {
    public let apply: (Sample, RandomGenerator) throws -> Sample

    public init(_ apply: @escaping (Sample, RandomGenerator) throws -> Sample) { self.apply = apply }

    public func then(_ next: Transform) -> Transform {
        Transform { s, rng in try next.apply(try self.apply(s, rng), rng) }
    }

    public static let identity = Transform { s, _ in s }

    /// Maps every [C,H,W] image tensor of a sample.
    static func images(_ f: @escaping (Tensor) throws -> Tensor) -> (Sample) throws -> Sample {
        { s in
            var out = s
            for (k, t) in s.tensors where t.rank == 3 { out.tensors[k] = try f(t) }
            return out
        }
    }

    public static func resize(_ size: Int) -> Transform {
        let f = images { ImageOps.resize($0, height: size, width: size) }
        return Transform { s, _ in try f(s) }
    }

    public static func centerCrop(_ size: Int) -> Transform {
        let f = images { t in try ImageOps.crop(t, top: (t.shape[1] - size) / 2, left: (t.shape[2] - size) / 2, height: size, width: size) }
        return Transform { s, _ in try f(s) }
    }

    public static func randomCrop(_ size: Int) -> Transform {
        Transform { s, rng in
            guard let ref = s.tensors.values.first(where: { $0.rank == 3 }) else { return s }
            guard ref.shape[1] >= size, ref.shape[2] >= size else {
                throw DataError.option(name: "random_crop=\(size)", reason: "image is only \(ref.shape[1])x\(ref.shape[2])")
            }
            let top = rng.nextInt(below: ref.shape[1] - size + 1), left = rng.nextInt(below: ref.shape[2] - size + 1)
            return try images { try ImageOps.crop($0, top: top, left: left, height: size, width: size) }(s)
        }
    }

    public static let horizontalFlip = Transform { s, rng in
        rng.nextFloat() < 0.5 ? try images { ImageOps.flipHorizontal($0) }(s) : s
    }

    public static let grayscale = Transform { s, _ in try images { ImageOps.grayscale($0) }(s) }
    public static let rgb = Transform { s, _ in try images { ImageOps.rgb($0) }(s) }
    public static func pad(_ p: Int) -> Transform { Transform { s, _ in try images { ImageOps.pad($0, p) }(s) } }

    public static let names = ["resize=N", "center_crop=N", "random_crop=N", "hflip", "grayscale", "rgb", "pad=N"]

    /// Builds a transform from recipe strings such as ["resize=286", "random_crop=256", "hflip"].
    public static func parse(_ specs: [String]) throws -> Transform {
        try specs.reduce(Transform.identity) { t, spec in
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            let number = parts.count == 2 ? Int(parts[1]) : nil
            func sized(_ make: (Int) -> Transform) throws -> Transform {
                guard let n = number, n > 0 else { throw DataError.option(name: "transforms", reason: "\"\(spec)\" needs a positive size, e.g. \(parts[0])=64") }
                return t.then(make(n))
            }
            switch parts[0] {
            case "resize": return try sized(resize)
            case "center_crop": return try sized(centerCrop)
            case "random_crop": return try sized(randomCrop)
            case "pad": return try sized(pad)
            case "hflip": return t.then(horizontalFlip)
            case "grayscale": return t.then(grayscale)
            case "rgb": return t.then(rgb)
            default:
                throw DataError.option(name: "transforms", reason: "unknown transform \"\(spec)\"; valid: \(names.joined(separator: ", "))")
            }
        }
    }
}
