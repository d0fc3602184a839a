import Foundation
import XCTest
@testable import GANData
import GANTensor

/// Seeded mutation testing of the decoders: thousands of damaged PNG, JPEG and IDX.gz files must
/// each decode or throw a DataError, never crash, hang or return inconsistent sizes.
final class DecoderFuzzTests: XCTestCase {
    /// One random damage: bit flips, byte overwrites, truncation, insertion, deletion, or a
    /// duplicated span (which repeats chunk/marker structure).
    static func mutate(_ input: [UInt8], rng: RandomGenerator) -> [UInt8] {
        var d = input
        let rounds = 1 + rng.nextInt(below: 3)
        for _ in 0..<rounds where !d.isEmpty {
            let at = rng.nextInt(below: d.count)
            switch rng.nextInt(below: 6) {
            case 0: d[at] ^= UInt8(1 << rng.nextInt(below: 8))
            case 1: d[at] = UInt8(truncatingIfNeeded: rng.nextUInt64())
            case 2: d.removeSubrange(at...)
            case 3: d.insert(contentsOf: (0..<(1 + rng.nextInt(below: 16))).map { _ in UInt8(truncatingIfNeeded: rng.nextUInt64()) }, at: at)
            case 4: d.removeSubrange(at..<min(d.count, at + 1 + rng.nextInt(below: 32)))
            default:
                let end = min(d.count, at + 1 + rng.nextInt(below: 64))
                d.insert(contentsOf: d[at..<end], at: rng.nextInt(below: d.count))
            }
        }
        return d
    }

    /// PNG chunks' CRCs recomputed after damage, so that the damage reaches the decoder proper
    /// instead of being caught by the checksum (walks the chunk list while lengths fit).
    static func fixingPNGChecksums(_ input: [UInt8]) -> [UInt8] {
        var d = input
        var at = 8
        while at + 12 <= d.count {
            let length = Int(d[at]) << 24 | Int(d[at + 1]) << 16 | Int(d[at + 2]) << 8 | Int(d[at + 3])
            guard length <= d.count - at - 12 else { break }
            var c: UInt32 = 0xFFFF_FFFF
            for b in d[(at + 4)..<(at + 8 + length)] {
                c ^= UInt32(b)
                for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
            }
            c = ~c
            for k in 0..<4 { d[at + 8 + length + k] = UInt8(truncatingIfNeeded: c >> (24 - 8 * UInt32(k))) }
            at += 12 + length
        }
        return d
    }

    /// `iterations` decodes of mutated `seeds`; `prepare` may post-process each mutant
    /// (fix checksums, compress) with the iteration number.
    private func fuzz(_ seeds: [[UInt8]], iterations: Int, seed: UInt64, prepare: (([UInt8], Int) throws -> [UInt8])? = nil,
                      decode: ([UInt8]) throws -> Void) throws -> (ok: Int, rejected: Int) {
        let rng = RandomGenerator(seed: seed)
        var ok = 0, rejected = 0
        for i in 0..<iterations {
            let mutant = Self.mutate(seeds[i % seeds.count], rng: rng)
            let input = try prepare?(mutant, i) ?? mutant
            do {
                try decode(input)
                ok += 1
            } catch is DataError {
                rejected += 1
            } catch {
                XCTFail("iteration \(i): unexpected error \(error)")
            }
        }
        return (ok, rejected)
    }

    private func checkImage(_ img: Image8) {
        XCTAssertEqual(img.pixels.count, img.width * img.height * img.channels)
        XCTAssertTrue((1...4).contains(img.channels))
    }

    func testMutatedPNGs() throws {
        var seeds = try [1, 2, 3, 4].map { try ImageCodec.encodePNG(codecTestImage(width: 24, height: 17, channels: $0)) }
        seeds += PNGFixtures.cases.map { [UInt8](Data(base64Encoded: $0.base64)!) }
        // Half of the mutants keep valid CRCs, to reach IHDR/PLTE/tRNS/IDAT handling.
        let (ok, rejected) = try fuzz(seeds, iterations: 10000, seed: 11, prepare: { $1 % 2 == 0 ? Self.fixingPNGChecksums($0) : $0 }) {
            checkImage(try ImageCodec.decode($0, path: "fuzz.png"))
        }
        XCTAssertGreaterThan(ok, 100, "some damage (e.g. to pixel values) is undetectable with fixed CRCs")
        XCTAssertGreaterThan(rejected, 5000, "all CRC-breaking damage is detected")
        XCTAssertEqual(ok + rejected, 10000)
    }

    func testMutatedJPEGs() throws {
        let seeds = try [(1, 50), (3, 90), (3, 20)].map { c, q in
            try ImageCodec.encodeJPEG(codecTestImage(width: 40, height: 24, channels: c), quality: q)
        }
        let (ok, rejected) = try fuzz(seeds, iterations: 10000, seed: 12) { checkImage(try ImageCodec.decode($0, path: "fuzz.jpg")) }
        XCTAssertGreaterThan(rejected, 1000)
        XCTAssertEqual(ok + rejected, 10000)
    }

    func testMutatedIDXGzip() throws {
        let rawSeeds = [idxBytes(magic: 0x0801, dims: [300], payload: (0..<300).map { UInt8($0 % 10) }),
                        idxBytes(magic: 0x0803, dims: [4, 5, 6], payload: (0..<120).map { UInt8($0) })]
        let compressed = try rawSeeds.map { try Gzip.deflate($0) }
        // Damaged gzip files, and damaged IDX contents in intact gzip files.
        let (ok, rejected) = try fuzz(compressed + rawSeeds, iterations: 10000, seed: 13,
                                      prepare: { $1 % 4 >= 2 ? try Gzip.deflate($0) : $0 }) { bytes in
            let raw = try Gzip.inflate(bytes, path: "fuzz.gz")
            let magic: UInt32 = raw.count > 3 && raw[3] == 1 ? 0x0801 : 0x0803
            let parsed = try IDX.parse(raw, magic: magic, path: "fuzz.idx")
            XCTAssertEqual(parsed.bytes.count, parsed.dims.reduce(1, *))
        }
        XCTAssertGreaterThan(rejected, 4700, "gzip's CRC-32 and length catch nearly all damage to the .gz")
        XCTAssertEqual(ok + rejected, 10000)
    }

    func testMutationIsDeterministic() {
        let input = [UInt8](0..<200)
        XCTAssertEqual(Self.mutate(input, rng: RandomGenerator(seed: 5)), Self.mutate(input, rng: RandomGenerator(seed: 5)))
    }
}
