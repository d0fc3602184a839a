/// The shape of the data a variant trains on, known before any network is built.
public struct DataInfo: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case images, points, paired, unpaired }
    public var kind: Kind
    /// Image channels, height, width (points: 0, 0, dimension).
    public var channels: Int
    public var height: Int
    public var width: Int
    public var classCount: Int?
    public var classNames: [String]?

    public init(kind: Kind, channels: Int, height: Int, width: Int, classCount: Int? = nil, classNames: [String]? = nil) {
        self.kind = kind
        self.channels = channels
        self.height = height
        self.width = width
        self.classCount = classCount
        self.classNames = classNames
    }

    public var imageShape: [Int] { kind == .points ? [width] : [channels, height, width] }
}
