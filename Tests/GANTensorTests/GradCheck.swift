import XCTest
@testable import GANTensor

/// Finite-difference checking shared by every op test.
///
/// A non-scalar output y is projected onto a fixed random direction r, L = sum(y * r), so every
/// output element takes part. The numeric side evaluates L in Double from the Float32 outputs, so
/// summation adds no rounding; what remains is Float32 rounding of each output (about 1e-7 |y|)
/// divided by 2*eps, plus the O(eps^2) truncation of central differences. With eps = 1e-2 and
/// values of order 1 both stay below 1e-3, so the default tolerance 1e-2 (relative, with an
/// absolute floor of 1e-2) only fails on a wrong gradient.
enum GradCheck {
    /// Fixed projection weights for an output shape (seeded, so failures reproduce).
    static func projection(_ shape: [Int]) -> Tensor {
        RandomGenerator(seed: 99, stream: 7).uniform(shape, low: -1, high: 1)
    }

    static func projected(_ y: Tensor, _ r: Tensor) throws -> Tensor {
        y.count == 1 && r.count == 1 ? y.sum() : try (y * r).sum()
    }

    static func value(_ y: Tensor, _ r: Tensor) -> Double {
        let ys = y.scalars, rs = r.scalars
        if ys.count == 1 && rs.count == 1 { return Double(ys[0]) }
        return zip(ys, rs).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
}

extension Tensor {
    /// Non-throwing full sum for test helpers (cannot fail).
    func sum() -> Tensor { try! sum(axes: nil) }
}

/// Compares analytic gradients of f with central differences for every element of every input.
func assertGradients(_ inputs: [Tensor], eps: Float = 1e-2, tolerance: Double = 1e-2,
                     file: StaticString = #filePath, line: UInt = #line,
                     _ f: ([Tensor]) throws -> Tensor) throws {
    for x in inputs { x.requiringGrad() }
    let y = try f(inputs)
    let r = GradCheck.projection(y.shape)
    let loss = try GradCheck.projected(y, r)
    let analytic = try gradients(of: loss, wrt: inputs)
    for (k, x) in inputs.enumerated() {
        XCTAssertEqual(analytic[k].shape, x.shape, "gradient shape of input \(k)", file: file, line: line)
        for i in 0..<x.count {
            let saved = x.data[i]
            x.data[i] = saved + eps
            let plus = GradCheck.value(try withoutGrad { try f(inputs) }, r)
            x.data[i] = saved - eps
            let minus = GradCheck.value(try withoutGrad { try f(inputs) }, r)
            x.data[i] = saved
            let numeric = (plus - minus) / (2 * Double(eps))
            let a = Double(analytic[k].data[i])
            let scale = max(1, abs(numeric))
            if abs(a - numeric) > tolerance * scale {
                XCTFail("input \(k) \(x.shape) element \(i): analytic \(a), numeric \(numeric)", file: file, line: line)
                return
            }
        }
    }
}

/// Double backward: differentiates h = sum_j <dL/dx_j, v_j> (the first gradients taken with
/// createGraph) with respect to every input and compares with central differences of h.
func assertSecondOrderGradients(_ inputs: [Tensor], firstOrderWrt: [Int], eps: Float = 1e-2,
                                tolerance: Double = 2e-2, file: StaticString = #filePath, line: UInt = #line,
                                _ f: @escaping ([Tensor]) throws -> Tensor) throws {
    for x in inputs { x.requiringGrad() }
    let probe = try withoutGrad { try f(inputs) }
    let r = GradCheck.projection(probe.shape)
    let v = firstOrderWrt.map { RandomGenerator(seed: 5, stream: UInt64($0)).uniform(inputs[$0].shape, low: -1, high: 1) }
    try assertGradients(inputs, eps: eps, tolerance: tolerance, file: file, line: line) { xs in
        // Under withoutGrad (numeric side) gradients still need a tape: switch recording on locally.
        try withGradMode(true) {
            let loss = try GradCheck.projected(try f(xs), r)
            let gs = try gradients(of: loss, wrt: firstOrderWrt.map { xs[$0] }, createGraph: true)
            var h = try (gs[0] * v[0]).sum(axes: nil)
            for j in 1..<gs.count { h = try h + (gs[j] * v[j]).sum(axes: nil) }
            return h
        }
    }
}
