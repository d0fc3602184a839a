import Foundation

/// Per-op-kind timing for `gan bench --profile`. Off by default: every hook is one static Bool test.
///
/// Forward time of an op is the time since the previous profiler mark, taken when the op records
/// (every op ends in `Tensor.record`, after its kernel ran); marks are also set around each node's
/// backward and around optimizer steps, so glue code between ops is charged to the next op.
/// Backward time of an op kind is its node's backward closure, inclusive: the ops it runs inside
/// are not listed as forward entries, and their FLOPs are credited to the backward. Only the thread
/// that called `start()` is profiled (the data loader's threads are left out).
public enum OpProfiler {
    public struct Entry: Sendable {
        public var seconds = 0.0, calls = 0, flops = 0.0
    }

    nonisolated(unsafe) public private(set) static var isEnabled = false
    nonisolated(unsafe) private static var owner = pthread_self()
    nonisolated(unsafe) private static var forward: [String: Entry] = [:]
    nonisolated(unsafe) private static var backward: [String: Entry] = [:]
    nonisolated(unsafe) private static var lastMark: UInt64 = 0
    nonisolated(unsafe) private static var backwardDepth = 0
    /// FLOPs of the matrix ops recorded so far (backward entries take their difference).
    nonisolated(unsafe) private static var flopCounter = 0.0

    /// Clears the tables and starts profiling the calling thread.
    public static func start() {
        forward = [:]; backward = [:]; backwardDepth = 0; flopCounter = 0
        owner = pthread_self()
        lastMark = now()
        isEnabled = true
    }

    /// Stops and returns (op, "forward"/"backward", entry), slowest first.
    public static func stop() -> [(op: String, pass: String, entry: Entry)] {
        isEnabled = false
        let rows = forward.map { ($0.key, "forward", $0.value) } + backward.map { ($0.key, "backward", $0.value) }
        return rows.sorted { $0.2.seconds > $1.2.seconds }.map { (op: $0.0, pass: $0.1, entry: $0.2) }
    }

    @inline(__always) static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
    @inline(__always) static func active() -> Bool { isEnabled && pthread_equal(owner, pthread_self()) != 0 }

    /// Called by `Tensor.record` for every op.
    static func recorded(op: String, output: Tensor, inputs: [Tensor]) {
        guard active() else { return }
        let t = now()
        let flops = matrixFlops(op: op, output: output, inputs: inputs)
        flopCounter += flops
        if backwardDepth == 0 {
            forward[op, default: Entry()].seconds += Double(t - lastMark) / 1e9
            forward[op, default: Entry()].calls += 1
            forward[op, default: Entry()].flops += flops
            lastMark = t
        }
    }

    /// Times `body` as the backward of `op` (inclusive of everything it runs).
    @inline(__always)
    static func timingBackward<T>(of op: String, _ body: () throws -> T) rethrows -> T {
        guard active() else { return try body() }
        let t0 = now(), f0 = flopCounter
        backwardDepth += 1
        defer {
            backwardDepth -= 1
            let t1 = now()
            if backwardDepth == 0 {
                backward[op, default: Entry()].seconds += Double(t1 - t0) / 1e9
                backward[op, default: Entry()].calls += 1
                backward[op, default: Entry()].flops += flopCounter - f0
                lastMark = t1
            }
        }
        return try body()
    }

    /// Times a non-op section (optimizer steps) under `name`; the time is not charged to an op.
    public static func timing<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        guard active(), backwardDepth == 0 else { return try body() }
        let t0 = now()
        defer {
            let t1 = now()
            forward[name, default: Entry()].seconds += Double(t1 - t0) / 1e9
            forward[name, default: Entry()].calls += 1
            lastMark = t1
        }
        return try body()
    }

    /// 2 * multiply-adds of the matrix ops (conv2d, convTranspose2d, convWeightGrad, matmul); 0 otherwise.
    static func matrixFlops(op: String, output: Tensor, inputs: [Tensor]) -> Double {
        switch op {
        case "conv2d":  // out [N, Co, Ho, Wo], w [Co, Ci, kh, kw]
            return 2 * Double(output.count) * Double(inputs[1].count / inputs[1].shape[0])
        case "convTranspose2d":  // x [N, Ci, H, W], w [Ci, Co, kh, kw]: each input value meets Co*kh*kw
            return 2 * Double(inputs[0].count) * Double(inputs[1].count / inputs[1].shape[0])
        case "convWeightGrad":  // dw [Cm, Ci, kh, kw] summed over N*Hm*Wm of the map side
            let map = inputs[1]
            return 2 * Double(output.count) * Double(map.count / map.shape[1])
        case "matmul":  // m*n outputs, each of k multiply-adds: k^2 = |a||b| / (|c| * batch of b)
            let a = inputs[0], b = inputs[1]
            let batchB = b.rank == 3 ? b.shape[0] : 1
            let k2 = Double(a.count) * Double(b.count) / Double(Swift.max(output.count * batchB, 1))
            return 2 * Double(output.count) * k2.squareRoot()
        default:
            return 0
        }
    }
}
