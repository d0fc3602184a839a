import GANTensor

/// CIFAR-10 in its binary version (Krizhevsky 2009): files of 3073-byte records, one label byte
/// then 1024 red, 1024 green and 1024 blue bytes of a 32x32 image. Held in memory as one
/// contiguous [N,3,32,32] tensor in [-1, 1]; samples are "image" [3,32,32] plus the label.
public final class CIFAR10Binary: Dataset {
    public static let recordSize = 3073
    public static let classNames = ["airplane", "automobile", "bird", "cat", "deer",
                                    "dog", "frog", "horse", "ship", "truck"]

    public let name: String
    let bank: ImageBank

    public var count: Int { bank.count }
    public var classCount: Int? { 10 }
    public var images: Tensor { bank.images }
    public var labels: [Int] { bank.labels }

    /// `files`: e.g. data_batch_1.bin ... data_batch_5.bin, read in order.
    public init(files: [String], limit: Int? = nil) throws {
        guard !files.isEmpty else { throw DataError.option(name: "files", reason: "no CIFAR-10 files given") }
        var records: [[UInt8]] = []
        var total = 0
        for path in files {
            let bytes = try FileBytes.read(path)
            guard !bytes.isEmpty else { throw DataError.corrupt(path: path, reason: "empty file") }
            guard bytes.count % Self.recordSize == 0 else {
                throw DataError.corrupt(path: path, reason:
                    "size \(bytes.count) is not a multiple of the \(Self.recordSize)-byte record")
            }
            for r in stride(from: 0, to: bytes.count, by: Self.recordSize) where bytes[r] > 9 {
                throw DataError.corrupt(path: path, reason: "record \(r / Self.recordSize) has label \(bytes[r]) (> 9)")
            }
            records.append(bytes)
            total += bytes.count / Self.recordSize
        }
        let n = try ImageBank.checkedLimit(limit, available: total)
        // Sample i is record `locations[i].record` of file `locations[i].file`.
        var locations: [(file: Int, record: Int)] = []
        locations.reserveCapacity(n)
        for (f, bytes) in records.enumerated() {
            for r in 0..<(bytes.count / Self.recordSize) where locations.count < n { locations.append((f, r)) }
        }
        let labels = locations.map { Int(records[$0.file][$0.record * Self.recordSize]) }
        let table = ImageBank.byteToUnit
        bank = ImageBank(count: n, imageShape: [3, 32, 32], labels: labels) { i, dst in
            let (f, r) = locations[i]
            records[f].withUnsafeBufferPointer { src in
                let pixels = src.baseAddress! + r * Self.recordSize + 1
                for k in 0..<3072 { dst[k] = table[Int(pixels[k])] }
            }
        }
        name = "cifar10 (\(n))"
    }

    public func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        try bank.sample(at: index, dataset: name)
    }
}
