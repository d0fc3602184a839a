import Foundation

/// A reference-counted, 64-byte aligned Float32 buffer. Tensors that share a Storage are views
/// of the same memory (reshape of a contiguous tensor shares; everything else copies).
public final class Storage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    public init(count: Int) {
        self.count = count
        pointer = BufferCache.shared.take(count: max(count, 1))
    }

    public convenience init(zeros count: Int) {
        self.init(count: count)
        pointer.initialize(repeating: 0, count: count)
    }

    deinit { BufferCache.shared.give(pointer, count: max(count, 1)) }
}

/// Keeps freed tensor buffers for reuse by size, so a training step in steady state takes every
/// buffer from this cache instead of the system: fresh large allocations are mmapped and every
/// page is faulted in and zeroed by the kernel (7% of a DCGAN-28 step before this cache).
/// Buffers are reused only at exactly the same element count; a training step asks for the same
/// sizes every step. The cache is bounded; beyond the bound buffers go back to the system.
final class BufferCache: @unchecked Sendable {
    static let shared = BufferCache()

    /// Buffers below this many floats come from malloc directly (its own bins are fast enough).
    static let smallest = 1 << 12
    /// Cached bytes at most.
    let limitBytes = 1 << 30

    private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var cachedBytes = 0
    private let lock = NSLock()

    func take(count: Int) -> UnsafeMutablePointer<Float> {
        if count >= Self.smallest {
            lock.lock()
            if let p = free[count]?.popLast() {
                cachedBytes -= count * MemoryLayout<Float>.stride
                lock.unlock()
                return p
            }
            lock.unlock()
        }
        var raw: UnsafeMutableRawPointer?
        let bytes = count * MemoryLayout<Float>.stride
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else {
            fatalError("GANTensor: out of memory allocating \(bytes) bytes")
        }
        return raw.bindMemory(to: Float.self, capacity: count)
    }

    func give(_ p: UnsafeMutablePointer<Float>, count: Int) {
        let bytes = count * MemoryLayout<Float>.stride
        if count >= Self.smallest {
            lock.lock()
            if cachedBytes + bytes <= limitBytes {
                free[count, default: []].append(p)
                cachedBytes += bytes
                lock.unlock()
                return
            }
            lock.unlock()
        }
        Foundation.free(p)
    }
}
