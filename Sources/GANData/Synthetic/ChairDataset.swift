import Foundation
import GANTensor

/// Procedurally rendered chairs standing in for the rendered chairs of Dosovitskiy et al. (2015)
/// used by the chair-synthesis GAN: classes x instances x azimuths x elevations, by default 10 x 4
/// x 31 x 2 (the paper's 62 views: 31 azimuths over 360 degrees, elevations 20 and 30 degrees).
/// Samples: "image" [3, S, S] in [-1, 1] on white, "mask" [1, S, S] in {0, 1}, "view" =
/// [sin az, cos az, sin el, cos el], "transform" = the 8 ChairAugmentation numbers (zeros unless
/// `augment`), label = the class (or the model, class * instances + instance, with
/// `labelPerModel`). Rendering is a pure function of (seed, class, instance, view, transform).
public final class ChairDataset: Dataset, @unchecked Sendable {
    public struct Options: Sendable {
        public var size = 64
        public var classes = 10
        public var instancesPerClass = 4
        public var azimuths = 31
        /// Elevations in degrees.
        public var elevations: [Float] = [20, 30]
        /// Keep only even azimuth indices in the dataset; `render` still draws any view.
        public var heldOut = false
        /// Draw a random ChairAugmentation per sample from the loader's generator.
        public var augment = false
        public var labelPerModel = false
        public var supersample = 2
        public var seed: UInt64 = 0
        public init() {}
    }

    public let options: Options
    public let models: [ChairModel]
    /// The azimuth indices present in the dataset (every other one when held out).
    public let azimuthIndices: [Int]
    public var name: String { "chairs \(options.size)px (\(count)\(options.heldOut ? ", even azimuths" : ""))" }
    public var count: Int { models.count * azimuthIndices.count * options.elevations.count }
    public var classCount: Int? { options.labelPerModel ? models.count : options.classes }

    public init(options o: Options) throws {
        func check(_ ok: Bool, _ name: String, _ why: String) throws {
            if !ok { throw DataError.option(name: "chairs.\(name)", reason: why) }
        }
        try check(o.size >= 8, "size", "must be at least 8, got \(o.size)")
        try check((1...ChairStyle.catalogue.count).contains(o.classes), "classes", "must be in 1...\(ChairStyle.catalogue.count), got \(o.classes)")
        try check(o.instancesPerClass >= 1, "instances", "must be at least 1, got \(o.instancesPerClass)")
        try check(o.azimuths >= 2, "azimuths", "must be at least 2, got \(o.azimuths)")
        try check(!o.elevations.isEmpty && o.elevations.allSatisfy { Swift.abs($0) < 90 }, "elevations",
                  "needs one or more angles strictly between -90 and 90 degrees, got \(o.elevations)")
        try check((1...4).contains(o.supersample), "supersample", "must be in 1...4, got \(o.supersample)")
        options = o
        models = (0..<o.classes).flatMap { c in
            (0..<o.instancesPerClass).map { ChairModel(style: ChairStyle.catalogue[c], classID: c, instance: $0, seed: o.seed) }
        }
        azimuthIndices = Array(stride(from: 0, to: o.azimuths, by: o.heldOut ? 2 : 1))
    }

    /// The defaults at another size and seed (what GANCore's data factory asks for).
    public convenience init(size: Int = 64, seed: UInt64 = 0) {
        var o = Options()
        o.size = Swift.max(8, size)
        o.seed = seed
        try! self.init(options: o)
    }

    /// Azimuth of grid index `a` in radians.
    public func azimuth(_ a: Int) -> Float { 2 * Float.pi * Float(a) / Float(options.azimuths) }
    /// Elevation of grid index `e` in radians.
    public func elevation(_ e: Int) -> Float { options.elevations[e] * Float.pi / 180 }

    /// Where dataset index `index` sits in the grid (class-major, then instance, azimuth, elevation).
    public func position(of index: Int) -> (classID: Int, instance: Int, azimuthIndex: Int, elevationIndex: Int) {
        var i = index
        let e = i % options.elevations.count
        i /= options.elevations.count
        let a = azimuthIndices[i % azimuthIndices.count]
        i /= azimuthIndices.count
        return (i / options.instancesPerClass, i % options.instancesPerClass, a, e)
    }

    /// Any view of any chair, in the dataset or not (held-out views, between-grid angles).
    public func render(class c: Int, instance: Int, azimuth: Float, elevation: Float,
                       augmentation: ChairAugmentation = .identity) throws -> Sample {
        guard (0..<options.classes).contains(c), (0..<options.instancesPerClass).contains(instance) else {
            throw DataError.option(name: "chairs.render", reason: "class \(c) instance \(instance) outside "
                                   + "\(options.classes) classes x \(options.instancesPerClass) instances")
        }
        let model = c * options.instancesPerClass + instance
        let (image, mask) = ChairRenderer.render(models[model].boxes, size: options.size, azimuth: azimuth, elevation: elevation,
                                                 augmentation: augmentation, supersample: options.supersample)
        let view = try Tensor([sin(azimuth), cos(azimuth), sin(elevation), cos(elevation)], shape: [4])
        let transform = try Tensor(augmentation.vector, shape: [ChairAugmentation.count])
        return Sample(["image": image, "mask": mask, "view": view, "transform": transform],
                      label: options.labelPerModel ? model : c)
    }

    /// A grid view by indices (any azimuth index, held out or not).
    public func render(class c: Int, instance: Int, azimuthIndex a: Int, elevationIndex e: Int,
                       augmentation: ChairAugmentation = .identity) throws -> Sample {
        guard (0..<options.azimuths).contains(a), options.elevations.indices.contains(e) else {
            throw DataError.option(name: "chairs.render", reason: "view (\(a), \(e)) outside \(options.azimuths) x \(options.elevations.count)")
        }
        return try render(class: c, instance: instance, azimuth: azimuth(a), elevation: elevation(e), augmentation: augmentation)
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        guard (0..<count).contains(index) else {
            throw DataError.option(name: "index", reason: "\(index) outside 0..<\(count) in \(name)")
        }
        let p = position(of: index)
        return try render(class: p.classID, instance: p.instance, azimuthIndex: p.azimuthIndex, elevationIndex: p.elevationIndex,
                          augmentation: options.augment ? .random(rng) : .identity)
    }
}
