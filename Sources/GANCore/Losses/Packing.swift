import GANTensor

/// PacGAN packing (Lin et al. 2018): the discriminator judges m samples at once, concatenated
/// along channels (images [N,C,H,W] -> [N/m, mC, H, W]) or features (points [N,d] -> [N/m, md]).
/// Consecutive samples form a pack, so a pack is all real or all generated.
public enum Packing {
    public static func pack(_ x: Tensor, size m: Int) throws -> Tensor {
        guard m >= 1 else { throw TensorError.invalidArgument(op: "pack", reason: "pack size must be at least 1, got \(m)") }
        if m == 1 { return x }
        let n = x.shape[0]
        guard n % m == 0 else {
            throw TensorError.invalidArgument(op: "pack", reason: "batch \(n) is not a multiple of the pack size \(m)")
        }
        // Row-major: samples i*m ..< (i+1)*m are contiguous, so packing is a reshape.
        return try x.reshaped([n / m, m * x.shape[1]] + Array(x.shape.dropFirst(2)))
    }

    /// Packs m equally sized batches drawn separately: pack i is row i of every chunk, concatenated
    /// along channels or features (the authors' code generates each pack position with its own
    /// generator call, so batch norm normalises each chunk on its own statistics).
    public static func pack(chunks: [Tensor]) throws -> Tensor {
        guard let first = chunks.first else { throw TensorError.invalidArgument(op: "pack", reason: "no chunks to pack") }
        return chunks.count == 1 ? first : try Tensor.concat(chunks, axis: 1)
    }
}
