import Foundation
import GANTensor

/// CIFAR-10's binary batches: records of 1 label byte and 3x32x32 pixel bytes (planar RGB).
public final class CIFAR10Binary: Dataset, @unchecked Sendable {
    public static let recordSize = 1 + 3 * 32 * 32
    public let name: String
    public let count: Int
    public var classCount: Int? { 10 }
    let bytes: [UInt8]

    public init(files: [String]) throws {
        var all: [UInt8] = []
        for f in files {
            let b = try FileBytes.read(f)
            guard !b.isEmpty, b.count % Self.recordSize == 0 else {
                throw DataError.corrupt(path: f, reason: "\(b.count) bytes is not a whole number of \(Self.recordSize)-byte records")
            }
            for r in stride(from: 0, to: b.count, by: Self.recordSize) where b[r] > 9 {
                throw DataError.corrupt(path: f, reason: "record \(r / Self.recordSize) has label \(b[r]), outside 0...9")
            }
            all += b
        }
        bytes = all
        count = all.count / Self.recordSize
        name = "cifar10 (\(count))"
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        guard (0..<count).contains(index) else { throw DataError.option(name: "index", reason: "\(index) outside 0..<\(count) in \(name)") }
        let o = index * Self.recordSize
        let t = Tensor(uninitialized: [3, 32, 32])
        for i in 0..<(3 * 32 * 32) { t.data[i] = Float(bytes[o + 1 + i]) / 127.5 - 1 }
        return Sample(["image": t], label: Int(bytes[o]))
    }
}
