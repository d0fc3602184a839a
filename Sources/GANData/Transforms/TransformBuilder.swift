import Foundation

/// The argument of one named transform step in a recipe: a switch or a list of numbers.
public enum TransformArgument: Equatable, Sendable, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral {
    case flag(Bool)
    case numbers([Double])

    public init(booleanLiteral value: Bool) { self = .flag(value) }
    public init(integerLiteral value: Int) { self = .numbers([Double(value)]) }
    public init(floatLiteral value: Double) { self = .numbers([value]) }
    public init(arrayLiteral elements: Double...) { self = .numbers(elements) }

    /// "true"/"false", or numbers separated by commas or "x" ("286", "0.5,0.5", "256x512");
    /// nil (a bare name such as "hflip") is `true`.
    public init(parsing text: String?, step: String) throws {
        guard let text, !text.isEmpty else { self = .flag(true); return }
        switch text.lowercased() {
        case "true", "yes", "on": self = .flag(true)
        case "false", "no", "off": self = .flag(false)
        default:
            let parts = text.split(whereSeparator: { $0 == "," || $0 == "x" }).map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else {
                throw DataError.option(name: "transforms", reason: "\(step): cannot read \"\(text)\" as a switch or numbers")
            }
            self = .numbers(parts.map { $0! })
        }
    }
}

extension Transform {
    /// The step names a recipe may use, with what their argument means.
    public static let stepNames: [(name: String, argument: String)] = [
        ("resize", "size or [height, width]; bilinear, align_corners=False"),
        ("resize_aa", "size or [height, width]; bilinear with antialiasing when shrinking"),
        ("center_crop", "size or [height, width]"),
        ("random_crop", "size or [height, width]"),
        ("jitter", "[load, crop]: resize to load, random crop (pix2pix: [286, 256])"),
        ("hflip", "true (p = 0.5), false, or a probability"),
        ("grayscale", "true"),
        ("rgb", "true"),
        ("normalize", "[mean, std] for all channels or [means..., stds...] per channel"),
        ("pad", "amount or [amount, fill value]; constant fill, default -1 (black)"),
        ("reflect_pad", "amount"),
        ("replicate_pad", "amount"),
    ]

    /// One step by name; an unknown name or a malformed argument throws, naming the valid ones.
    public static func named(_ name: String, _ argument: TransformArgument) throws -> Transform {
        func fail(_ why: String) -> DataError {
            let expected = stepNames.first { $0.name == name }?.argument ?? ""
            return DataError.option(name: "transforms", reason: "\(name): \(why); expected \(expected)")
        }
        func numbers(_ counts: Set<Int>) throws -> [Double] {
            guard case let .numbers(v) = argument, counts.contains(v.count) else { throw fail("got \(argument)") }
            return v
        }
        func sizes(_ counts: Set<Int> = [1, 2]) throws -> [Int] {
            let v = try numbers(counts)
            guard v.allSatisfy({ $0 >= 1 && $0 == $0.rounded() && $0 < 1e6 }) else { throw fail("sizes must be positive integers, got \(v)") }
            return v.map { Int($0) }
        }
        func enabled() throws -> Bool {
            guard case let .flag(on) = argument else { throw fail("got \(argument)") }
            return on
        }
        switch name {
        case "resize", "resize_aa":
            let s = try sizes()
            return resize(height: s[0], width: s.last!, antialias: name == "resize_aa")
        case "center_crop":
            let s = try sizes()
            return centerCrop(height: s[0], width: s.last!)
        case "random_crop":
            let s = try sizes()
            return randomCrop(height: s[0], width: s.last!)
        case "jitter":
            let s = try sizes([2])
            guard s[0] >= s[1] else { throw fail("the load size \(s[0]) is smaller than the crop \(s[1])") }
            return pix2pixJitter(load: s[0], crop: s[1])
        case "hflip":
            if case let .numbers(v) = argument {
                guard v.count == 1, (0...1).contains(v[0]) else { throw fail("got \(v)") }
                return horizontalFlip(probability: Float(v[0]))
            }
            return try enabled() ? horizontalFlip : identity
        case "grayscale": return try enabled() ? grayscale : identity
        case "rgb": return try enabled() ? rgb : identity
        case "normalize":
            guard case let .numbers(v) = argument, v.count >= 2, v.count % 2 == 0 else { throw fail("got \(argument)") }
            let half = v.count / 2
            return normalize(mean: v.prefix(half).map(Float.init), std: v.suffix(half).map(Float.init))
        case "pad":
            let v = try numbers([1, 2])
            guard v[0] >= 0, v[0] == v[0].rounded() else { throw fail("the amount must be an integer >= 0, got \(v[0])") }
            return pad(Int(v[0]), mode: .constant(v.count == 2 ? Float(v[1]) : -1))
        case "reflect_pad", "replicate_pad":
            let v = try numbers([1])
            guard v[0] >= 0, v[0] == v[0].rounded() else { throw fail("the amount must be an integer >= 0, got \(v[0])") }
            return pad(Int(v[0]), mode: name == "reflect_pad" ? .reflect : .replicate)
        default:
            throw DataError.option(name: "transforms", reason: "unknown transform \"\(name)\"; valid: "
                                   + stepNames.map(\.name).joined(separator: ", "))
        }
    }

    /// Steps applied in order, e.g. `build([("resize", 286), ("random_crop", 256), ("hflip", true)])`.
    public static func build(_ steps: [(String, TransformArgument)]) throws -> Transform {
        try steps.reduce(identity) { t, step in t.then(try named(step.0, step.1)) }
    }

    /// Steps written as strings, "name" or "name=argument": ["resize=286", "random_crop=256", "hflip"].
    public static func parse(_ specs: [String]) throws -> Transform {
        try build(specs.map { spec in
            let parts = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard !parts[0].isEmpty else { throw DataError.option(name: "transforms", reason: "empty step in \(specs)") }
            return (parts[0], try TransformArgument(parsing: parts.count == 2 ? parts[1] : nil, step: parts[0]))
        })
    }
}
