/// An 8-bit image as decoded from or encoded to a file: row-major, channels interleaved
/// (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA).
public struct Image8: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var channels: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// A black image.
    public init(width: Int, height: Int, channels: Int) {
        self.init(width: width, height: height, channels: channels,
                  pixels: [UInt8](repeating: 0, count: max(0, width * height * channels)))
    }

    /// Throws unless the sizes are positive, channels in 1...4 and the pixel count matches.
    func validate(path: String) throws {
        guard width > 0, height > 0, (1...4).contains(channels) else {
            throw DataError.invalid(path: path, reason: "bad image shape \(width)x\(height)x\(channels)")
        }
        guard pixels.count == width * height * channels else {
            throw DataError.invalid(path: path, reason:
                "\(pixels.count) pixel bytes for a \(width)x\(height)x\(channels) image")
        }
    }
}
