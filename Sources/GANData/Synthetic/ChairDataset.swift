import Foundation
import GANTensor

/// Procedurally rendered chairs for the chair-synthesis GAN (after Dosovitskiy et al. 2015's
/// rendered chairs): classes x instances x azimuths x elevations. Samples: "image" [3,S,S],
/// "mask" [1,S,S], "view" = [sin az, cos az, sin el, cos el], "transform" = 8 zeros (the identity
/// augmentation: rotation, shift x/y, stretch x/y, hue, saturation, brightness), label = class.
/// With `holdOutOddAzimuths`, only even azimuth indices are in the set; `render` draws any view.
public final class ChairDataset: Dataset, @unchecked Sendable {
    public let size: Int, classes: Int, instances: Int, azimuths: Int
    public let elevations: [Float]
    public let holdOut: Bool
    public let seed: UInt64
    let models: [ChairModel]
    public var name: String { "chairs \(size)px (\(count))" }
    public var classCount: Int? { classes }
    var azimuthIndices: [Int] { holdOut ? Array(stride(from: 0, to: azimuths, by: 2)) : Array(0..<azimuths) }
    public var count: Int { classes * instances * azimuthIndices.count * elevations.count }

    public init(size: Int = 64, classes: Int = 10, instancesPerClass: Int = 4, azimuths: Int = 31,
                elevations: [Float] = [20 * .pi / 180, 30 * .pi / 180], holdOutOddAzimuths: Bool = false, seed: UInt64 = 0) {
        self.size = size
        self.classes = classes
        instances = instancesPerClass
        self.azimuths = azimuths
        self.elevations = elevations
        holdOut = holdOutOddAzimuths
        self.seed = seed
        models = (0..<classes * instancesPerClass).map { ChairModel(classID: $0 / instancesPerClass, instance: $0 % instancesPerClass, seed: seed) }
    }

    public func render(class c: Int, instance: Int, azimuthIndex a: Int, elevationIndex e: Int) -> Sample {
        let az = 2 * Float.pi * Float(a) / Float(azimuths), el = elevations[e]
        let (image, mask) = models[c * instances + instance].render(size: size, azimuth: az, elevation: el)
        let view = try! Tensor([sin(az), cos(az), sin(el), cos(el)], shape: [4])
        return Sample(["image": image, "mask": mask, "view": view, "transform": Tensor(zeros: [8])], label: c)
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        guard (0..<count).contains(index) else { throw DataError.option(name: "index", reason: "\(index) outside 0..<\(count) in \(name)") }
        let azs = azimuthIndices
        var i = index
        let e = i % elevations.count; i /= elevations.count
        let a = azs[i % azs.count]; i /= azs.count
        let instance = i % instances, c = i / instances
        return render(class: c, instance: instance, azimuthIndex: a, elevationIndex: e)
    }
}
