/// Small pieces shared by the normalisation layers.

/// Named tensors in state-dict order, skipping the absent (optional) ones.
func presentEntries(_ entries: [(String, Tensor?)]) -> [(String, Tensor)] {
    entries.compactMap { name, t in t.map { (name, $0) } }
}

/// The learnable scale (ones) and shift (zeros) of an affine normalisation, or nils when off.
func affineParameters(_ shape: [Int], enabled: Bool) -> (weight: Tensor?, bias: Tensor?) {
    guard enabled else { return (nil, nil) }
    return (Tensor(repeating: 1, shape: shape).requiringGrad(), Tensor(zeros: shape).requiringGrad())
}
