import GANTensor

/// An augmentation of whole samples. A transform draws its random decisions once per sample from
/// the sample's generator and applies them to every image tensor of the sample, so "A" and "B" of
/// a pair (or "image" and "mask") get the same crop and the same flip.
///
/// Which tensors a transform touches: geometric ones (resize, crops, flip, pad) act on every rank-3
/// tensor; colour ones (grayscale, rgb, normalize) on every rank-3 tensor except "mask". A resized
/// "mask" is re-binarised at 0.5 so it stays in {0, 1}.
public struct Transform: @unchecked Sendable {
    public let apply: (Sample, RandomGenerator) throws -> Sample

    public init(_ apply: @escaping (Sample, RandomGenerator) throws -> Sample) { self.apply = apply }

    /// This transform, then `next`, with the same generator.
    public func then(_ next: Transform) -> Transform {
        Transform { s, rng in try next.apply(try self.apply(s, rng), rng) }
    }

    public static let identity = Transform { s, _ in s }

    static func isImage(_ t: Tensor) -> Bool { t.rank == 3 }

    /// Maps the chosen tensors of a sample with `f(name, tensor)`.
    static func map(_ s: Sample, colour: Bool, _ f: (String, Tensor) throws -> Tensor) throws -> Sample {
        var out = s
        for (name, t) in s.tensors where isImage(t) && !(colour && name == "mask") { out.tensors[name] = try f(name, t) }
        return out
    }

    /// The common height and width of a sample's images (a random crop needs one).
    static func imageSize(_ s: Sample, _ op: String) throws -> (Int, Int)? {
        let sizes = Set(s.tensors.values.filter(isImage).map { [$0.shape[1], $0.shape[2]] })
        guard sizes.count <= 1 else {
            throw DataError.option(name: op, reason: "the sample's images differ in size \(sizes.sorted { $0.lexicographicallyPrecedes($1) }); one crop cannot fit all")
        }
        return sizes.first.map { ($0[0], $0[1]) }
    }

    // MARK: Geometric

    public static func resize(height: Int, width: Int, antialias: Bool = false) -> Transform {
        Transform { s, _ in
            try map(s, colour: false) { name, t in
                let r = try ImageOps.resize(t, height: height, width: width, antialias: antialias)
                if name == "mask" { for i in 0..<r.count { r.data[i] = r.data[i] >= 0.5 ? 1 : 0 } }
                return r
            }
        }
    }

    public static func resize(_ size: Int) -> Transform { resize(height: size, width: size) }

    public static func centerCrop(height: Int, width: Int) -> Transform {
        Transform { s, _ in try map(s, colour: false) { _, t in try ImageOps.centerCrop(t, height: height, width: width) } }
    }

    public static func centerCrop(_ size: Int) -> Transform { centerCrop(height: size, width: size) }

    /// One uniformly drawn offset (top first, then left) for all images of the sample.
    public static func randomCrop(height: Int, width: Int) -> Transform {
        Transform { s, rng in
            guard let (h, w) = try imageSize(s, "random_crop") else { return s }
            guard h >= height, w >= width else {
                throw DataError.option(name: "random_crop", reason: "\(height)x\(width) is larger than the image \(h)x\(w)")
            }
            let top = rng.nextInt(below: h - height + 1), left = rng.nextInt(below: w - width + 1)
            return try map(s, colour: false) { _, t in try ImageOps.crop(t, top: top, left: left, height: height, width: width) }
        }
    }

    public static func randomCrop(_ size: Int) -> Transform { randomCrop(height: size, width: size) }

    /// pix2pix's jitter (Isola et al. 2017, Sec. 6.2): resize to `load` (286), random crop `crop` (256).
    public static func pix2pixJitter(load: Int = 286, crop: Int = 256) -> Transform {
        resize(load).then(randomCrop(crop))
    }

    /// Flips every image of the sample, or none, with probability `p` (one draw per sample).
    public static func horizontalFlip(probability p: Float = 0.5) -> Transform {
        Transform { s, rng in
            rng.nextFloat() < p ? try map(s, colour: false) { _, t in try ImageOps.flipHorizontal(t) } : s
        }
    }

    public static let horizontalFlip = horizontalFlip(probability: 0.5)

    public static func pad(top: Int, bottom: Int, left: Int, right: Int, mode: ImageOps.PadMode = .constant(-1)) -> Transform {
        Transform { s, _ in
            try map(s, colour: false) { name, t in
                // A mask is padded with background (0), whatever constant fills the image.
                let m = name == "mask" && mode.isConstant ? .constant(0) : mode
                return try ImageOps.pad(t, top: top, bottom: bottom, left: left, right: right, mode: m)
            }
        }
    }

    public static func pad(_ amount: Int, mode: ImageOps.PadMode = .constant(-1)) -> Transform {
        pad(top: amount, bottom: amount, left: amount, right: amount, mode: mode)
    }

    // MARK: Colour

    public static let grayscale = Transform { s, _ in try map(s, colour: true) { _, t in try ImageOps.grayscale(t) } }
    public static let rgb = Transform { s, _ in try map(s, colour: true) { _, t in try ImageOps.rgb(t) } }

    public static func normalize(mean: [Float], std: [Float]) -> Transform {
        Transform { s, _ in try map(s, colour: true) { _, t in try ImageOps.normalize(t, mean: mean, std: std) } }
    }
}
