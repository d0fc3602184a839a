import Foundation
import GANTensor

/// One chair as boxes, built from a class style with small per-instance jitter (proportions within
/// +-8%, back tilt within +-0.05 rad, colours within +-0.06), then centred and scaled into the
/// unit sphere, so every chair fills the frame as in the rendered chairs of Dosovitskiy et al.
public struct ChairModel: Sendable {
    public let style: ChairStyle
    public let boxes: [RenderBox]

    /// Instance 0..<n of `style`, jittered from (seed, class, instance) alone.
    public init(style: ChairStyle, classID: Int, instance: Int, seed: UInt64) {
        let rng = RandomGenerator(seed: seed, stream: StreamHash.of("chair", classID, instance))
        func jitter(_ v: Float, _ amount: Float) -> Float { v + amount * (2 * rng.nextFloat() - 1) }
        var s = style
        for path in [\ChairStyle.seatWidth, \.seatDepth, \.seatHeight, \.seatThickness, \.backHeight, \.backThickness, \.legThickness] {
            s[keyPath: path] *= jitter(1, 0.08)
        }
        s.backTilt = jitter(s.backTilt, 0.05)
        let low = SIMD3<Float>(repeating: 0.03), high = SIMD3<Float>(repeating: 0.9)
        s.seatColour = SIMD3((0..<3).map { jitter(s.seatColour[$0], 0.06) }).clamped(lowerBound: low, upperBound: high)
        s.frameColour = SIMD3((0..<3).map { jitter(s.frameColour[$0], 0.06) }).clamped(lowerBound: low, upperBound: high)
        self.init(style: s)
    }

    /// Exactly `style`, unjittered.
    public init(style s: ChairStyle) {
        self.style = s
        var parts = Self.seatAndBack(s)
        parts += Self.legs(s)
        parts += Self.arms(s)
        boxes = Self.normalise(parts)
    }

    static func seatAndBack(_ s: ChairStyle) -> [RenderBox] {
        let (w, d, h) = (s.seatWidth, s.seatDepth, s.seatHeight)
        var parts = [RenderBox(centre: [0, h - s.seatThickness / 2, 0], size: [w, s.seatThickness, d], colour: s.seatColour)]
        guard s.back != .none else { return parts }
        // The back rises from the seat's rear edge, tilted backwards.
        let up = SIMD3<Float>(0, cos(s.backTilt), -sin(s.backTilt)), normal = SIMD3<Float>(0, sin(s.backTilt), cos(s.backTilt))
        let foot = SIMD3<Float>(0, h, -d / 2 + s.backThickness / 2)
        let top = foot + up * s.backHeight
        let post = s.legThickness
        func rail(_ at: Float, _ height: Float) -> RenderBox {
            RenderBox(centre: foot + up * at, u: [w / 2, 0, 0], v: up * (height / 2), w: normal * (post / 2), colour: s.frameColour)
        }
        switch s.back {
        case .none: break
        case .solid:
            parts.append(RenderBox(centre: (foot + top) / 2, u: [w / 2, 0, 0], v: up * (s.backHeight / 2),
                                   w: normal * (s.backThickness / 2), colour: s.seatColour * 0.92))
        case let .slats(count):
            let railHeight = 0.15 * s.backHeight
            parts.append(rail(s.backHeight - railHeight / 2, railHeight))
            let inner = w - 2 * post
            for k in 0..<count {
                let x = -inner / 2 + inner * (Float(k) + 0.5) / Float(count)
                parts.append(.beam(from: foot + [x, 0, 0], to: foot + [x, 0, 0] + up * (s.backHeight - railHeight),
                                   thickness: Swift.min(post, 0.6 * inner / Float(count)), colour: s.frameColour))
            }
        case .frame:
            parts.append(rail(s.backHeight * 0.88, s.backHeight * 0.24))
            parts.append(rail(s.backHeight * 0.45, s.backHeight * 0.12))
        }
        if s.back != .solid {
            for x in [-(w - post) / 2, (w - post) / 2] {
                parts.append(.beam(from: foot + [x, 0, 0], to: top + [x, 0, 0], thickness: post, colour: s.frameColour))
            }
        }
        return parts
    }

    static func legs(_ s: ChairStyle) -> [RenderBox] {
        let (w, d, t) = (s.seatWidth, s.seatDepth, s.legThickness)
        let under = s.seatHeight - s.seatThickness
        let colour = s.frameColour
        switch s.legs {
        case let .four(splay):
            return [(-1, -1), (1, -1), (-1, 1), (1, 1)].map { (sx: Float, sz: Float) in
                let top = SIMD3<Float>(sx * (w - t) / 2, under, sz * (d - t) / 2)
                return .beam(from: top + [sx * splay, -under, sz * splay], to: top, thickness: t, colour: colour)
            }
        case let .pedestal(feet):
            let column = RenderBox.beam(from: [0, 0.06, 0], to: [0, under, 0], thickness: 1.4 * t, colour: colour)
            let reach = 0.55 * Swift.max(w, d)
            return [column] + (0..<feet).map { k in
                let a = 2 * Float.pi * Float(k) / Float(feet)
                return .beam(from: [0, 0.06, 0], to: [reach * sin(a), t / 2, reach * cos(a)], thickness: t, colour: colour)
            }
        case .sled, .cantilever:
            var parts: [RenderBox] = []
            for x in [-(w - t) / 2, (w - t) / 2] {
                let front = SIMD3<Float>(x, t / 2, d / 2), back = SIMD3<Float>(x, t / 2, -d / 2)
                parts.append(.beam(from: back, to: front + [0, 0, t / 2], thickness: t, colour: colour))
                parts.append(.beam(from: front, to: [x, under, d / 2 - t], thickness: t, colour: colour))
                if s.legs == .sled { parts.append(.beam(from: back, to: [x, under, -d / 2 + t], thickness: t, colour: colour)) }
            }
            return parts
        case .block:
            return [RenderBox(centre: [0, under / 2, 0], size: [w * 0.96, under, d * 0.96], colour: s.seatColour * 0.8)]
        }
    }

    static func arms(_ s: ChairStyle) -> [RenderBox] {
        let (w, d, h, t) = (s.seatWidth, s.seatDepth, s.seatHeight, s.legThickness)
        let height = h + Swift.max(0.2, 0.45 * s.backHeight)
        switch s.arms {
        case .none: return []
        case .bars:
            return [-1, 1].flatMap { (sx: Float) -> [RenderBox] in
                let x = sx * (w / 2 + t / 2)
                return [.beam(from: [x, height, -d / 2], to: [x, height, d / 2], thickness: 1.2 * t, colour: s.frameColour),
                        .beam(from: [x, h - s.seatThickness, d / 2 - t], to: [x, height, d / 2 - t], thickness: t, colour: s.frameColour)]
            }
        case .panels:
            let panel = Swift.max(0.1, 0.18 * w)
            return [-1, 1].map { (sx: Float) in
                RenderBox(centre: [sx * (w + panel) / 2, height / 2, 0], size: [panel, height, d], colour: s.seatColour * 0.95)
            }
        }
    }

    /// Centres the boxes' bounding box at the origin and scales its farthest corner to radius 1.
    static func normalise(_ parts: [RenderBox]) -> [RenderBox] {
        let corners = parts.flatMap(\.corners)
        var lo = SIMD3<Float>(repeating: .infinity), hi = SIMD3<Float>(repeating: -.infinity)
        for c in corners { lo = pointwiseMin(lo, c); hi = pointwiseMax(hi, c) }
        let centre = (lo + hi) / 2
        let radius = corners.map { dot($0 - centre, $0 - centre) }.max()!.squareRoot()
        return parts.map { $0.transformed(scale: 1 / radius, offset: -centre) }
    }
}
