/// The parameters of one chair class. Lengths are in metres (before the model is scaled into the
/// unit sphere), angles in radians, colours RGB in [0, 1] (kept below 0.9 so no face is white).
public struct ChairStyle: Sendable {
    public enum Legs: Sendable, Equatable {
        /// Four legs at the seat's corners, feet pushed outwards by `splay` metres.
        case four(splay: Float)
        /// A central column on a star of `feet` feet (office chair).
        case pedestal(feet: Int)
        /// Floor runners joined to the seat's front and back (sled base).
        case sled
        /// Floor runners joined to the seat's front only (cantilever).
        case cantilever
        /// A solid base down to the floor (club armchair).
        case block
    }

    public enum Back: Sendable, Equatable {
        case none
        case solid
        /// Two posts, a top rail and this many vertical slats.
        case slats(Int)
        /// Two posts with a top and a middle rail.
        case frame
    }

    public enum Arms: Sendable, Equatable { case none, bars, panels }

    public var name: String
    public var seatWidth: Float, seatDepth: Float, seatHeight: Float, seatThickness: Float
    public var backHeight: Float, backThickness: Float, backTilt: Float
    public var legThickness: Float
    public var legs: Legs, back: Back, arms: Arms
    public var seatColour: SIMD3<Float>, frameColour: SIMD3<Float>

    /// Ten classes, different in silhouette (legs, back, arms, proportions) and in colours.
    public static let catalogue: [ChairStyle] = [
        ChairStyle(name: "dining", seatWidth: 0.45, seatDepth: 0.42, seatHeight: 0.46, seatThickness: 0.04,
                   backHeight: 0.40, backThickness: 0.03, backTilt: 0.10, legThickness: 0.035,
                   legs: .four(splay: 0), back: .solid, arms: .none, seatColour: [0.55, 0.35, 0.20], frameColour: [0.40, 0.25, 0.12]),
        ChairStyle(name: "slat-back", seatWidth: 0.44, seatDepth: 0.42, seatHeight: 0.45, seatThickness: 0.035,
                   backHeight: 0.50, backThickness: 0.025, backTilt: 0.08, legThickness: 0.03,
                   legs: .four(splay: 0), back: .slats(4), arms: .none, seatColour: [0.78, 0.62, 0.40], frameColour: [0.70, 0.55, 0.35]),
        ChairStyle(name: "throne", seatWidth: 0.56, seatDepth: 0.50, seatHeight: 0.48, seatThickness: 0.08,
                   backHeight: 0.80, backThickness: 0.08, backTilt: 0.12, legThickness: 0.06,
                   legs: .four(splay: 0), back: .solid, arms: .bars, seatColour: [0.60, 0.10, 0.12], frameColour: [0.75, 0.60, 0.20]),
        ChairStyle(name: "stool", seatWidth: 0.36, seatDepth: 0.36, seatHeight: 0.70, seatThickness: 0.04,
                   backHeight: 0, backThickness: 0, backTilt: 0, legThickness: 0.03,
                   legs: .four(splay: 0.06), back: .none, arms: .none, seatColour: [0.20, 0.20, 0.22], frameColour: [0.60, 0.60, 0.62]),
        ChairStyle(name: "bar", seatWidth: 0.42, seatDepth: 0.40, seatHeight: 0.68, seatThickness: 0.05,
                   backHeight: 0.28, backThickness: 0.03, backTilt: 0.05, legThickness: 0.03,
                   legs: .four(splay: 0.02), back: .frame, arms: .none, seatColour: [0.15, 0.30, 0.55], frameColour: [0.15, 0.15, 0.15]),
        ChairStyle(name: "office", seatWidth: 0.50, seatDepth: 0.48, seatHeight: 0.48, seatThickness: 0.08,
                   backHeight: 0.55, backThickness: 0.06, backTilt: 0.15, legThickness: 0.05,
                   legs: .pedestal(feet: 5), back: .solid, arms: .bars, seatColour: [0.12, 0.12, 0.14], frameColour: [0.35, 0.35, 0.38]),
        ChairStyle(name: "club", seatWidth: 0.75, seatDepth: 0.72, seatHeight: 0.42, seatThickness: 0.14,
                   backHeight: 0.38, backThickness: 0.16, backTilt: 0.12, legThickness: 0.04,
                   legs: .block, back: .solid, arms: .panels, seatColour: [0.25, 0.45, 0.30], frameColour: [0.20, 0.35, 0.22]),
        ChairStyle(name: "lounge", seatWidth: 0.62, seatDepth: 0.70, seatHeight: 0.32, seatThickness: 0.08,
                   backHeight: 0.55, backThickness: 0.07, backTilt: 0.40, legThickness: 0.03,
                   legs: .sled, back: .solid, arms: .none, seatColour: [0.80, 0.50, 0.15], frameColour: [0.70, 0.70, 0.72]),
        ChairStyle(name: "cantilever", seatWidth: 0.46, seatDepth: 0.48, seatHeight: 0.46, seatThickness: 0.05,
                   backHeight: 0.42, backThickness: 0.04, backTilt: 0.12, legThickness: 0.025,
                   legs: .cantilever, back: .solid, arms: .none, seatColour: [0.45, 0.25, 0.15], frameColour: [0.72, 0.72, 0.75]),
        ChairStyle(name: "bench", seatWidth: 1.10, seatDepth: 0.45, seatHeight: 0.44, seatThickness: 0.05,
                   backHeight: 0.35, backThickness: 0.03, backTilt: 0.10, legThickness: 0.05,
                   legs: .four(splay: 0), back: .slats(8), arms: .bars, seatColour: [0.45, 0.50, 0.30], frameColour: [0.30, 0.22, 0.15]),
    ]
}
