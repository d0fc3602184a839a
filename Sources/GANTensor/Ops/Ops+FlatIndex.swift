/// Moving single elements by flat index. `scatteredFlat` writes element o of this tensor to flat
/// position positions[o] of a zero tensor (repeated positions add up, in order); `gatheredFlat`
/// reads flat position positions[o]. Each is the other's adjoint and records it as its backward,
/// so both differentiate to any order. Max routes its gradient to the argmax this way: one write
/// per output instead of a mask, a broadcast and a product over the whole input.
extension Tensor {
    /// A zero tensor of `shape` with element o of this tensor added at flat index positions[o].
    func scatteredFlat(to positions: [Int], shape: [Int]) -> Tensor {
        precondition(positions.count == count, "scatteredFlat: \(positions.count) positions for \(count) elements")
        let out = Tensor(zeros: shape)
        let op = out.data, xp = data, n = out.count
        for (o, p) in positions.enumerated() {
            precondition(p >= 0 && p < n, "scatteredFlat: position \(p) outside 0..<\(n)")
            op[p] += xp[o]
        }
        let inShape = self.shape
        return Tensor.record(out, op: "scatter_flat", inputs: [self]) { g, _, _ in
            [g.gatheredFlat(at: positions, shape: inShape)]
        }
    }

    /// A tensor of `shape` (holding positions.count elements) whose element o is this tensor's
    /// flat element positions[o].
    func gatheredFlat(at positions: [Int], shape: [Int]) -> Tensor {
        let out = Tensor(uninitialized: shape)
        precondition(positions.count == out.count, "gatheredFlat: \(positions.count) positions for shape \(shape)")
        let op = out.data, xp = data, n = count
        for (o, p) in positions.enumerated() {
            precondition(p >= 0 && p < n, "gatheredFlat: position \(p) outside 0..<\(n)")
            op[o] = xp[p]
        }
        let inShape = self.shape
        return Tensor.record(out, op: "gather_flat", inputs: [self]) { g, _, _ in
            [g.scatteredFlat(to: positions, shape: inShape)]
        }
    }
}
