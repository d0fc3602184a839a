import Foundation

/// Per-thread work buffers reused across calls (im2col columns, batch transposes), so a training
/// step does not allocate and page in tens of megabytes for every convolution. Each buffer grows
/// to the largest size asked of it and is kept until the thread ends or `release()` is called.
/// Slots let one kernel hold several buffers at once; a kernel must not call another kernel that
/// uses the same slot while it holds one (conv kernels call only im2col/gemm/col2im).
final class ScratchBuffers {
    enum Slot: Int, CaseIterable { case columns, transposed, lanes, packedWeight, phaseWeights }

    private var buffers: [UnsafeMutablePointer<Float>?] = Array(repeating: nil, count: Slot.allCases.count)
    private var capacities = [Int](repeating: 0, count: Slot.allCases.count)

    /// A buffer of at least `count` floats; its previous contents are unspecified.
    func buffer(_ slot: Slot, count: Int) -> UnsafeMutablePointer<Float> {
        let i = slot.rawValue
        if let b = buffers[i], capacities[i] >= count { return b }
        free(buffers[i])
        var raw: UnsafeMutableRawPointer?
        let bytes = Swift.max(count, 1) * MemoryLayout<Float>.stride
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else {
            fatalError("GANTensor: out of memory allocating \(bytes) bytes of scratch")
        }
        let b = raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
        buffers[i] = b
        capacities[i] = count
        return b
    }

    func release() {
        for i in buffers.indices {
            free(buffers[i])
            buffers[i] = nil
            capacities[i] = 0
        }
    }

    deinit { release() }

    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { raw in
            if let raw { Unmanaged<ScratchBuffers>.fromOpaque(raw).release() }
        }
        return k
    }()

    /// The calling thread's buffers.
    static var current: ScratchBuffers {
        if let raw = pthread_getspecific(key) {
            return Unmanaged<ScratchBuffers>.fromOpaque(raw).takeUnretainedValue()
        }
        let fresh = ScratchBuffers()
        pthread_setspecific(key, Unmanaged.passRetained(fresh).toOpaque())
        return fresh
    }
}

extension Kernels {
    /// Frees the calling thread's convolution work buffers (they are re-created on demand).
    public static func releaseScratchBuffers() { ScratchBuffers.current.release() }
}
