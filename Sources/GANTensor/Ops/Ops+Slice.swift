/// Slicing along one axis and padding, both separable maps: slice selects every `step`-th
/// coordinate, its adjoint `unsliced` scatters them back into zeros; pad selects each output's
/// source coordinate (or zero), its adjoint adds the gradient of every copy back onto its source.
extension Tensor {
    /// Coordinates start, start+step, ... below end along `axis`. Negative start/end count from
    /// the end (as in Python); after that, 0 <= start <= end <= size is required, never clamped.
    public func sliced(axis: Int, start: Int, end: Int, step: Int = 1) throws -> Tensor {
        let ax = try axisIndex(axis, op: "slice")
        let n = shape[ax]
        let s = start < 0 ? start + n : start, e = end < 0 ? end + n : end
        guard step >= 1, s >= 0, s <= e, e <= n else {
            throw TensorError.invalidArgument(op: "slice", reason: "start \(start), end \(end), step \(step) do not fit axis \(axis) of size \(n) in \(shape)")
        }
        let length = (e - s + step - 1) / step
        if s == 0 && length == n { return self }
        return applying(Tensor.sliceOperator(shape: shape, axis: ax, start: s, step: step, length: length))
    }

    /// The adjoint of `sliced`: a tensor whose `axis` has `size` coordinates, zero except that
    /// coordinate start + i*step holds this tensor's slice i.
    public func unsliced(axis: Int, start: Int, step: Int = 1, size: Int) throws -> Tensor {
        let ax = try axisIndex(axis, op: "unslice")
        let length = shape[ax]
        let fits = length == 0 ? start <= size : start + (length - 1) * step < size
        guard step >= 1, start >= 0, fits else {
            throw TensorError.invalidArgument(op: "unslice", reason: "\(length) coordinates from \(start) by \(step) do not fit a size of \(size) on axis \(axis) of \(shape)")
        }
        var full = shape
        full[ax] = size
        return applying(Tensor.sliceOperator(shape: full, axis: ax, start: start, step: step, length: length).adjoint)
    }

    static func sliceOperator(shape: [Int], axis: Int, start: Int, step: Int, length: Int) -> SeparableOperator {
        let m = AxisMatrix(selecting: (0..<length).map { start + $0 * step }, inSize: shape[axis])
        return SeparableOperator(inShape: shape, axis: axis, m, name: "slice", adjointName: "unslice")
    }
}

/// What fills the border of a padded tensor.
public enum PadMode: Sendable {
    /// Zeros.
    case zeros
    /// The mirror image without repeating the edge (PyTorch's ReflectionPad, NumPy's "reflect").
    case reflect
    /// Copies of the edge value (PyTorch's ReplicationPad, NumPy's "edge").
    case replicate
}

extension Tensor {
    /// Pads each axis by (before, after) coordinates; one pair per axis is required. Reflect
    /// padding must be smaller than the axis it pads (as in PyTorch).
    public func padded(_ pads: [(Int, Int)], mode: PadMode = .zeros) throws -> Tensor {
        let op = "pad (\(mode))"
        guard pads.count == rank else {
            throw TensorError.invalidArgument(op: op, reason: "needs one (before, after) pair per axis of \(shape), got \(pads.count)")
        }
        var axes: [AxisMatrix?] = []
        for (d, (before, after)) in pads.enumerated() {
            let n = shape[d]
            guard before >= 0, after >= 0 else {
                throw TensorError.invalidArgument(op: op, reason: "padding (\(before), \(after)) of axis \(d) of \(shape) is negative")
            }
            if before == 0 && after == 0 { axes.append(nil); continue }
            switch mode {
            case .zeros: break
            case .reflect:
                guard before < n, after < n else {
                    throw TensorError.invalidArgument(op: op, reason: "padding (\(before), \(after)) must be smaller than the size \(n) of axis \(d) of \(shape)")
                }
            case .replicate:
                guard n > 0 else {
                    throw TensorError.invalidArgument(op: op, reason: "cannot replicate the edge of empty axis \(d) of \(shape)")
                }
            }
            let source = (0..<(before + n + after)).map { j -> Int in
                let i = j - before
                switch mode {
                case .zeros: return i >= 0 && i < n ? i : -1
                case .reflect: return i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i)
                case .replicate: return Swift.min(Swift.max(i, 0), n - 1)
                }
            }
            axes.append(AxisMatrix(selecting: source, inSize: n))
        }
        if axes.allSatisfy({ $0 == nil }) { return self }
        return applying(SeparableOperator(inShape: shape, axes: axes, name: "pad_\(mode)", adjointName: "pad_\(mode)_adjoint"))
    }

    /// Pads the last two axes (H and W of NCHW), in the argument order of PyTorch's F.pad.
    public func padded2d(left: Int, right: Int, top: Int, bottom: Int, mode: PadMode = .zeros) throws -> Tensor {
        guard rank >= 2 else {
            throw TensorError.invalidShape(op: "pad2d", shape: shape, reason: "needs at least two axes (..., H, W)")
        }
        return try padded(Array(repeating: (0, 0), count: rank - 2) + [(top, bottom), (left, right)], mode: mode)
    }
}
