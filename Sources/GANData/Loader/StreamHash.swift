/// Stream numbers for RandomGenerator derived from a purpose and a few integers, so that every
/// random decision of the data pipeline is a pure function of (seed, purpose, epoch, index...) and
/// never of how much some other generator has drawn or which thread asked.
enum StreamHash {
    static func of(_ purpose: String, _ values: Int...) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the purpose name
        for b in purpose.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        for v in values { h = mix(h &+ 0x9E37_79B9_7F4A_7C15 &+ UInt64(bitPattern: Int64(v))) }
        return h
    }

    /// SplitMix64's finaliser: every input bit affects every output bit.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
