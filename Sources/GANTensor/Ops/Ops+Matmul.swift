/// Matrix products on OpenBLAS sgemm: [M,K]x[K,N], batched [B,M,K]x[B,K,N], and a batched left
/// operand times a shared 2-D right operand. Transposes are flags, so backward never copies.
extension Tensor {
    public func matmul(_ other: Tensor, transposeSelf ta: Bool = false, transposeOther tb: Bool = false) throws -> Tensor {
        let a = self, b = other
        guard (a.rank == 2 || a.rank == 3), (b.rank == 2 || b.rank == 3), !(a.rank == 2 && b.rank == 3) else {
            throw TensorError.shapeMismatch(op: "matmul", lhs: a.shape, rhs: b.shape)
        }
        let batch = a.rank == 3 ? a.shape[0] : 1
        if b.rank == 3 && b.shape[0] != batch {
            throw TensorError.shapeMismatch(op: "matmul (batch)", lhs: a.shape, rhs: b.shape)
        }
        let ar = a.shape.suffix(2), br = b.shape.suffix(2)
        let (m, ka) = ta ? (ar.last!, ar.first!) : (ar.first!, ar.last!)
        let (kb, n) = tb ? (br.last!, br.first!) : (br.first!, br.last!)
        guard ka == kb else {
            throw TensorError.shapeMismatch(op: "matmul\(ta ? " (self transposed)" : "")\(tb ? " (other transposed)" : "")", lhs: a.shape, rhs: b.shape)
        }
        let outShape = a.rank == 3 ? [batch, m, n] : [m, n]
        let out = Tensor(uninitialized: outShape)
        let lda = ar.last!, ldb = br.last!
        if b.rank == 2 && a.rank == 3 && !ta {
            // One big product: stack the batch into the rows of A.
            Kernels.gemm(transA: false, transB: tb, m: batch * m, n: n, k: ka, a: a.data, lda: lda,
                         b: b.data, ldb: ldb, c: out.data, ldc: n)
        } else {
            for i in 0..<batch {
                Kernels.gemm(transA: ta, transB: tb, m: m, n: n, k: ka,
                             a: a.data + i * m * ka, lda: lda,
                             b: b.data + (b.rank == 3 ? i * ka * n : 0), ldb: ldb,
                             c: out.data + i * m * n, ldc: n)
            }
        }
        return Tensor.record(out, op: "matmul", inputs: [a, b]) { g, _, needs in
            var da: Tensor?, db: Tensor?
            if needs[0] {
                da = ta ? try b.matmul(g, transposeSelf: tb, transposeOther: true)
                        : try g.matmul(b, transposeSelf: false, transposeOther: !tb)
            }
            if needs[1] {
                if b.rank == 2 && a.rank == 3 {
                    // Shared right operand: fold the batch into the product's inner dimension.
                    let a2 = try a.reshaped([batch * a.shape[1], a.shape[2]])
                    let g2 = try g.reshaped([batch * m, n])
                    db = tb ? try g2.matmul(a2, transposeSelf: true, transposeOther: ta)
                            : try a2.matmul(g2, transposeSelf: !ta, transposeOther: false)
                } else {
                    db = tb ? try g.matmul(a, transposeSelf: true, transposeOther: ta)
                            : try a.matmul(g, transposeSelf: !ta, transposeOther: false)
                }
            }
            return [da, db]
        }
    }
}
