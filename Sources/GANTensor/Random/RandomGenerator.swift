import Foundation

/// The one source of randomness, passed explicitly to whatever needs it. Its whole state is
/// (seed, counter): every draw consumes whole Philox blocks and advances the counter, so saving
/// and restoring those two numbers resumes the stream exactly, and fills of any size are computed
/// in parallel with results independent of thread count.
public final class RandomGenerator: @unchecked Sendable {
    public let seed: UInt64
    public private(set) var counter: UInt64
    /// Independent generators with the same seed (data order, dropout, init) use distinct streams.
    public let stream: UInt64

    public init(seed: UInt64, stream: UInt64 = 0, counter: UInt64 = 0) {
        self.seed = seed
        self.stream = stream
        self.counter = counter
    }

    /// A generator for a named purpose derived from this one's seed: fork("data") always gives
    /// the same stream for the same seed, independent of how much this generator has drawn.
    public func fork(_ purpose: String) -> RandomGenerator {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the purpose name
        for b in purpose.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return RandomGenerator(seed: seed, stream: h)
    }

    public struct State: Codable, Equatable, Sendable {
        public var seed: UInt64, stream: UInt64, counter: UInt64
    }

    public var state: State {
        get { State(seed: seed, stream: stream, counter: counter) }
    }

    /// Moves this generator to a saved position of the same stream (exact resume).
    public func restore(_ saved: State) throws {
        guard saved.seed == seed, saved.stream == stream else {
            throw TensorError.invalidArgument(op: "RandomGenerator.restore",
                                              reason: "saved state is for seed \(saved.seed) stream \(saved.stream), this generator has seed \(seed) stream \(stream)")
        }
        counter = saved.counter
    }

    public convenience init(state: State) {
        self.init(seed: state.seed, stream: state.stream, counter: state.counter)
    }

    /// Reserves `blocks` consecutive counters and returns the first.
    private func take(_ blocks: Int) -> UInt64 {
        let start = counter
        counter &+= UInt64(blocks)
        return start
    }

    @inline(__always)
    static func unit(_ x: UInt32) -> Float {
        // 24 random bits into [0, 1).
        Float(x >> 8) * (1.0 / 16_777_216.0)
    }

    /// One uniform value in [0, 1).
    public func nextFloat() -> Float {
        let (a, _, _, _) = Philox.block(counter: take(1), stream: stream, key: seed)
        return Self.unit(a)
    }

    /// One UInt64 (shuffles, sub-seeds).
    public func nextUInt64() -> UInt64 {
        let (a, b, _, _) = Philox.block(counter: take(1), stream: stream, key: seed)
        return UInt64(a) << 32 | UInt64(b)
    }

    /// Uniform integer in 0..<bound, without modulo bias (Lemire's method on 64 bits is enough here).
    public func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        let r = nextUInt64()
        return Int(r.multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Fisher-Yates shuffle of 0..<n.
    public func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) {
            p.swapAt(i, nextInt(below: i + 1))
        }
        return p
    }

    /// Fills `count` floats, 4 per block, in parallel; `transform` maps a block to 4 values.
    private func fill(_ t: Tensor, _ transform: @escaping (UInt32, UInt32, UInt32, UInt32) -> (Float, Float, Float, Float)) {
        let n = t.count
        let blocks = (n + 3) / 4
        let start = take(blocks)
        let p = t.data, key = seed, stream = self.stream
        Parallel.forChunks(blocks, grain: 4096) { s, e in
            for b in s..<e {
                let (a0, a1, a2, a3) = Philox.block(counter: start &+ UInt64(b), stream: stream, key: key)
                let v = transform(a0, a1, a2, a3)
                let i = b * 4
                p[i] = v.0
                if i + 1 < n { p[i + 1] = v.1 }
                if i + 2 < n { p[i + 2] = v.2 }
                if i + 3 < n { p[i + 3] = v.3 }
            }
        }
    }

    public func uniform(_ shape: [Int], low: Float = 0, high: Float = 1) -> Tensor {
        let t = Tensor(uninitialized: shape)
        let span = high - low
        fill(t) { a, b, c, d in
            (low + span * Self.unit(a), low + span * Self.unit(b), low + span * Self.unit(c), low + span * Self.unit(d))
        }
        return t
    }

    /// Normal samples by the Box-Muller transform (two per pair of words).
    public func normal(_ shape: [Int], mean: Float = 0, std: Float = 1) -> Tensor {
        let t = Tensor(uninitialized: shape)
        fill(t) { a, b, c, d in
            let (z0, z1) = Self.boxMuller(a, b)
            let (z2, z3) = Self.boxMuller(c, d)
            return (mean + std * z0, mean + std * z1, mean + std * z2, mean + std * z3)
        }
        return t
    }

    @inline(__always)
    static func boxMuller(_ a: UInt32, _ b: UInt32) -> (Float, Float) {
        // u1 in (0, 1] so the log is finite; computed in Double for accuracy in the tails.
        let u1 = (Double(a) + 1) / 4_294_967_296.0
        let u2 = Double(b) / 4_294_967_296.0
        let r = (-2 * Foundation.log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        return (Float(r * Foundation.cos(theta)), Float(r * Foundation.sin(theta)))
    }

    /// 1 with probability p, else 0 (dropout masks, Bernoulli draws).
    public func bernoulli(_ shape: [Int], p: Float) -> Tensor {
        let t = Tensor(uninitialized: shape)
        fill(t) { a, b, c, d in
            (Self.unit(a) < p ? 1 : 0, Self.unit(b) < p ? 1 : 0, Self.unit(c) < p ? 1 : 0, Self.unit(d) < p ? 1 : 0)
        }
        return t
    }
}
