import Foundation
import GANTensor

/// The non-tensor part of a checkpoint (state.json): where training stands and every random
/// stream's position, so a resumed run continues exactly.
public struct CheckpointState: Codable, Equatable, Sendable {
    public var step: Int
    public var recipe: String
    public var variant: String
    public var seed: UInt64
    public var generators: [String: RandomGenerator.State]
    public var optimizerSteps: [String: Int]
    /// The loader's position, encoded by the loader itself.
    public var loader: Data?
    public var elapsedSeconds: Double
}
