/// Element types a checkpoint file may hold, all read into Float32 tensors (integers above 2^24
/// and Double precision are rounded, which parameters and counters never need).
enum StoredScalar {
    case f64, f32, f16, bf16, i64, i32, i16, i8, u8, bool

    var size: Int {
        switch self {
        case .f64, .i64: return 8
        case .f32, .i32: return 4
        case .f16, .bf16, .i16: return 2
        case .i8, .u8, .bool: return 1
        }
    }

    /// Converts `count` little-endian elements starting at `source` (any alignment).
    func decode(_ source: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        func each<T>(_ type: T.Type, _ convert: (T) -> Float) {
            for i in 0..<count { out[i] = convert(source.loadUnaligned(fromByteOffset: i * size, as: T.self)) }
        }
        switch self {
        case .f32: UnsafeMutableRawPointer(out).copyMemory(from: source, byteCount: count * 4)
        case .f64: each(Double.self) { Float($0) }
        case .f16: each(UInt16.self) { Self.halfToFloat($0) }
        case .bf16: each(UInt16.self) { Float(bitPattern: UInt32($0) << 16) }
        case .i64: each(Int64.self) { Float($0) }
        case .i32: each(Int32.self) { Float($0) }
        case .i16: each(Int16.self) { Float($0) }
        case .i8: each(Int8.self) { Float($0) }
        case .u8, .bool: each(UInt8.self) { Float($0) }
        }
    }

    /// IEEE 754 binary16 to binary32, including subnormals, infinities and NaN.
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign: Float = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1f), mantissa = Float(h & 0x3ff)
        switch exponent {
        case 0: return sign * mantissa * 0x1p-24
        case 31: return mantissa == 0 ? sign * .infinity : .nan
        default: return sign * (1 + mantissa / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
