import XCTest
@testable import GANTensor

final class OpProfilerTests: XCTestCase {
    let rng = RandomGenerator(seed: 7)

    private func entry(_ rows: [(op: String, pass: String, entry: OpProfiler.Entry)], _ op: String, _ pass: String) -> OpProfiler.Entry? {
        rows.first { $0.op == op && $0.pass == pass }?.entry
    }

    /// Matmul FLOPs are 2*m*n*k per call; its backward runs two products of the same size.
    func testMatmulCallsAndFlopsForwardAndBackward() throws {
        let a = rng.uniform([3, 4, 5], low: -1, high: 1).requiringGrad()
        let b = rng.uniform([5, 6], low: -1, high: 1).requiringGrad()
        OpProfiler.start()
        var loss: Tensor? = nil
        for _ in 0..<3 { loss = try a.matmul(b).sum() }
        try loss!.backward()
        let rows = OpProfiler.stop()
        let fwd = try XCTUnwrap(entry(rows, "matmul", "forward"))
        // 3, not 5: the two products run inside matmul's backward are charged to the backward.
        XCTAssertEqual(fwd.calls, 3)
        XCTAssertEqual(fwd.flops, 3 * 2 * Double(3 * 4 * 6 * 5))
        XCTAssertGreaterThan(fwd.seconds, 0)
        let bwd = try XCTUnwrap(entry(rows, "matmul", "backward"))
        XCTAssertEqual(bwd.calls, 1)
        XCTAssertEqual(bwd.flops, 2 * 2 * Double(3 * 4 * 6 * 5))
        XCTAssertEqual(entry(rows, "sum", "forward")?.calls, 3)
        XCTAssertNotNil(entry(rows, "sum", "backward"))
        XCTAssertEqual(rows.map(\.entry.seconds), rows.map(\.entry.seconds).sorted(by: >))
    }

    /// conv2d: 2 * |output| * Ci*kh*kw; transposed: 2 * |input| * Co*kh*kw.
    func testConvFlops() throws {
        let x = rng.uniform([2, 3, 8, 8], low: -1, high: 1)
        let w = rng.uniform([4, 3, 3, 3], low: -1, high: 1)
        let wt = rng.uniform([3, 5, 4, 4], low: -1, high: 1)
        OpProfiler.start()
        let y = try x.conv2d(w, stride: 1, padding: 1)
        let z = try x.convTranspose2d(wt, stride: 2, padding: 1)
        let rows = OpProfiler.stop()
        XCTAssertEqual(y.shape, [2, 4, 8, 8])
        XCTAssertEqual(entry(rows, "conv2d", "forward")?.flops, 2 * Double(y.count) * 27)
        XCTAssertEqual(z.shape, [2, 5, 16, 16])
        XCTAssertEqual(entry(rows, "convTranspose2d", "forward")?.flops, 2 * Double(x.count) * 80)
    }

    /// Off means off: nothing is recorded outside start/stop, and results are bit-identical either way.
    func testOffRecordsNothingAndResultsMatch() throws {
        let a = rng.uniform([4, 4], low: -1, high: 1).requiringGrad()
        func gradient() throws -> [Float] {
            a.grad = nil
            try a.matmul(a).tanh().sum().backward()
            return a.grad!.scalars
        }
        let off = try gradient()
        XCTAssertFalse(OpProfiler.isEnabled)
        OpProfiler.start()
        let on = try gradient()
        XCTAssertFalse(OpProfiler.stop().isEmpty)
        XCTAssertEqual(on, off)
        _ = try gradient()
        OpProfiler.start()
        XCTAssertTrue(OpProfiler.stop().isEmpty)
    }

    /// Only the thread that started the profiler is recorded.
    func testOtherThreadsAreNotProfiled() throws {
        let a = rng.uniform([8, 8], low: -1, high: 1)
        OpProfiler.start()
        let done = DispatchSemaphore(value: 0)
        Thread { _ = try? a.matmul(a); done.signal() }.start()
        done.wait()
        _ = try a.relu()
        let rows = OpProfiler.stop()
        XCTAssertNil(entry(rows, "matmul", "forward"))
        XCTAssertEqual(entry(rows, "relu", "forward")?.calls, 1)
    }
}
