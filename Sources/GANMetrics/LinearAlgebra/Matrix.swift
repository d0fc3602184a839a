import GANTensor

/// A dense row-major Double matrix (covariances, eigenvectors): just what the Fréchet distance
/// needs. Sizes are feature dimensions (up to a few hundred), so plain loops in i-k-j order,
/// whose inner loop is a contiguous axpy the compiler vectorises, are fast enough.
public struct Matrix: Equatable, Codable, Sendable {
    public let rows: Int
    public let columns: Int
    public var values: [Double]

    /// `values` row-major; throws unless it holds rows x columns numbers.
    public init(rows: Int, columns: Int, values: [Double]) throws {
        guard rows >= 0, columns >= 0, values.count == rows * columns else {
            throw TensorError.invalidShape(op: "Matrix", shape: [rows, columns], reason: "holds \(rows * columns) values, given \(values.count)")
        }
        self.init(rows, columns, checked: values)
    }

    /// For callers that built `values` with the right count.
    init(_ rows: Int, _ columns: Int, checked values: [Double]) {
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public init(zeros rows: Int, _ columns: Int) {
        self.init(rows, columns, checked: [Double](repeating: 0, count: rows * columns))
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(zeros: n, n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    public static func diagonal(_ d: [Double]) -> Matrix {
        var m = Matrix(zeros: d.count, d.count)
        for i in d.indices { m[i, i] = d[i] }
        return m
    }

    public subscript(_ i: Int, _ j: Int) -> Double {
        get { values[i * columns + j] }
        set { values[i * columns + j] = newValue }
    }

    public var trace: Double { (0..<min(rows, columns)).reduce(0) { $0 + self[$1, $1] } }

    var transposed: Matrix {
        var t = Matrix(zeros: columns, rows)
        for i in 0..<rows { for j in 0..<columns { t[j, i] = self[i, j] } }
        return t
    }

    /// self * other; the caller guarantees columns == other.rows.
    func multiplied(by other: Matrix) -> Matrix {
        var out = [Double](repeating: 0, count: rows * other.columns)
        let n = other.columns
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    for i in 0..<rows {
                        let ci = c.baseAddress! + i * n
                        for k in 0..<columns {
                            let aik = a[i * columns + k]
                            if aik == 0 { continue }
                            let bk = b.baseAddress! + k * n
                            for j in 0..<n { ci[j] += aik * bk[j] }
                        }
                    }
                }
            }
        }
        return Matrix(rows, n, checked: out)
    }

    /// (self + selfᵀ) / 2: removes the rounding asymmetry of products that are symmetric in exact
    /// arithmetic before they go to the symmetric eigen solver.
    /// The caller guarantees a square matrix.
    var symmetrized: Matrix {
        var s = self
        for i in 0..<rows {
            for j in (i + 1)..<rows {
                let v = 0.5 * (self[i, j] + self[j, i])
                s[i, j] = v
                s[j, i] = v
            }
        }
        return s
    }
}
