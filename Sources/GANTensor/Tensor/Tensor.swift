import Foundation

/// A Float32 tensor, row-major and contiguous, images in NCHW. A tensor produced by a recorded
/// op while gradients are enabled carries the `node` that made it, which is the autodiff tape.
public final class Tensor: @unchecked Sendable {
    public let shape: [Int]
    public let storage: Storage
    /// Leaves that require grad are the trainable parameters; outputs inherit it from inputs.
    public internal(set) var requiresGrad: Bool
    /// Accumulated by `backward()` on leaves that require grad.
    public var grad: Tensor?
    var node: Node?

    public var count: Int { storage.count }
    public var rank: Int { shape.count }
    public var data: UnsafeMutablePointer<Float> { storage.pointer }

    init(storage: Storage, shape: [Int]) {
        self.storage = storage
        self.shape = shape
        self.requiresGrad = false
    }

    /// An uninitialised tensor for kernels to fill.
    public convenience init(uninitialized shape: [Int]) {
        self.init(storage: Storage(count: Shape.count(shape)), shape: shape)
    }

    public convenience init(zeros shape: [Int]) {
        self.init(storage: Storage(zeros: Shape.count(shape)), shape: shape)
    }

    public convenience init(repeating value: Float, shape: [Int]) {
        self.init(uninitialized: shape)
        data.initialize(repeating: value, count: count)
    }

    public convenience init(_ values: [Float], shape: [Int]) throws {
        guard Shape.count(shape) == values.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.invalidShape(op: "Tensor(_:shape:)", shape: shape,
                                           reason: "holds \(Shape.count(shape)) elements, given \(values.count)")
        }
        self.init(uninitialized: shape)
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: values.count) }
    }

    public convenience init(scalar: Float) {
        self.init(repeating: scalar, shape: [])
    }

    /// Marks a leaf as trainable (a parameter). Returns self for chaining.
    @discardableResult
    public func requiringGrad(_ on: Bool = true) -> Tensor {
        requiresGrad = on
        return self
    }

    /// The same values, cut from the tape.
    public func detached() -> Tensor {
        Tensor(storage: storage, shape: shape)
    }

    /// A deep copy, cut from the tape.
    public func copy() -> Tensor {
        let t = Tensor(uninitialized: shape)
        t.data.update(from: data, count: count)
        return t
    }

    public var scalars: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// The value of a one-element tensor.
    public var item: Float { data[0] }

    public subscript(flat index: Int) -> Float {
        get { data[index] }
        set { data[index] = newValue }
    }

    /// Overwrites this tensor's values in place (no autodiff); shapes must hold the same count.
    public func assign(_ other: Tensor) throws {
        guard other.shape == shape else {
            throw TensorError.shapeMismatch(op: "assign", lhs: shape, rhs: other.shape)
        }
        if other.storage !== storage { data.update(from: other.data, count: count) }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(\(shape): [\(shown)\(count > 8 ? ", ..." : "")])"
    }
}
