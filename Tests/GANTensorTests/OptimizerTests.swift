import Foundation
import XCTest
@testable import GANTensor

final class OptimizerTests: XCTestCase {
    typealias Make = ([(String, Tensor)]) throws -> Optimizer

    /// Hyperparameters of each case in OptimizerReference (see optimizer_reference.py).
    let referenceCases: [String: Make] = [
        "adamDefaults": { try Adam(params: $0, lr: 1e-3) },
        "adamGAN": { try Adam(params: $0, lr: 2e-4, betas: (0.5, 0.999)) },
        "adamWeightDecay": { try Adam(params: $0, lr: 0.01, betas: (0.8, 0.9), eps: 1e-6, weightDecay: 0.1) },
        "sgdPlain": { try SGD(params: $0, lr: 0.1) },
        "sgdMomentum": { try SGD(params: $0, lr: 0.1, momentum: 0.9, weightDecay: 0.01) },
        "sgdNesterov": { try SGD(params: $0, lr: 0.05, momentum: 0.9, nesterov: true) },
        "sgdDampening": { try SGD(params: $0, lr: 0.1, momentum: 0.5, dampening: 0.25) },
        "rmspropDefaults": { try RMSProp(params: $0, lr: 0.01) },
        "rmspropCenteredMomentum": { try RMSProp(params: $0, lr: 0.01, alpha: 0.9, momentum: 0.9, centered: true, weightDecay: 0.1) },
    ]

    func testMatchesPyTorch() throws {
        let grads: [[String: [Float]?]] = [
            ["a": [0.1, -0.2, 0.3], "b": nil],
            ["a": [-0.4, 0.05, 1e-3], "b": [2.0, -1.0, 0.0, 0.5]],
            ["a": [0.3, 0.3, -2.0], "b": [-0.1, 0.2, 0.7, -1e-4]],
        ]
        XCTAssertEqual(Set(referenceCases.keys), Set(OptimizerReference.afterStep.keys))
        var identical = 0, total = 0
        for (name, make) in referenceCases.sorted(by: { $0.key < $1.key }) {
            let a = try Tensor([0.5, -1.0, 2.0], shape: [3]).requiringGrad()
            let b = try Tensor([0.25, -0.75, 1.5, 3.0], shape: [2, 2]).requiringGrad()
            let opt = try make([("a", a), ("b", b)])
            for (k, step) in grads.enumerated() {
                a.grad = try Tensor(step["a"]!!, shape: [3])
                b.grad = try step["b"]!.map { try Tensor($0, shape: [2, 2]) }
                try opt.step()
                let expected = OptimizerReference.afterStep[name]![k]
                for (key, p) in [("a", a), ("b", b)] {
                    // Float32 hyperparameters and PyTorch's fused multiply-adds leave a few ulps of
                    // the terms (the result may be a small difference of larger ones); a wrong
                    // formula is off by the size of an update, 1e-4 or more here.
                    for (x, y) in zip(p.scalars, expected[key]!) {
                        XCTAssertEqual(x, y, accuracy: max(4 * y.ulp, 1e-7), "\(name) step \(k + 1) \(key)")
                        identical += x == y ? 1 : 0
                        total += 1
                    }
                }
            }
        }
        print("OptimizerTests: \(identical) of \(total) values bit-identical to PyTorch")
    }

    func testAdamTwoStepsByHand() throws {
        let p = try Tensor([1, -2], shape: [2]).requiringGrad()
        let adam = try Adam(params: [("p", p)], lr: 0.1, betas: (0.5, 0.75), eps: 0)
        p.grad = try Tensor([0.5, 2], shape: [2])
        try adam.step()
        // t = 1: m = g/2, v = g^2/4; the corrections make m^ = g, v^ = g^2: p -= 0.1 sign(g).
        XCTAssertEqualElements(p.scalars, [0.9, -2.1], accuracy: 1e-6)
        p.grad = try Tensor([-1, 2], shape: [2])
        try adam.step()
        // t = 2: m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g^2, corrections 0.75, 0.4375.
        let m: [Double] = [0.5 * 0.25 + 0.5 * -1, 0.5 * 1 + 0.5 * 2]
        let v: [Double] = [0.75 * 0.0625 + 0.25 * 1, 0.75 * 1 + 0.25 * 4]
        let previous: [Double] = [0.9, -2.1]
        var expected: [Float] = []
        for i in 0..<2 {
            let update: Double = 0.1 * (m[i] / 0.75) / (v[i] / 0.4375).squareRoot()
            expected.append(Float(previous[i] - update))
        }
        XCTAssertEqualElements(p.scalars, expected, accuracy: 1e-6)
    }

    func testSGDMomentumTwoStepsByHand() throws {
        let p = try Tensor([1], shape: [1]).requiringGrad()
        let sgd = try SGD(params: [("p", p)], lr: 0.5, momentum: 0.9, weightDecay: 0.1)
        p.grad = try Tensor([2], shape: [1])
        try sgd.step()  // g = 2 + 0.1 = 2.1, b = 2.1, p = 1 - 1.05
        XCTAssertEqual(p.item, -0.05, accuracy: 1e-6)
        p.grad = try Tensor([-1], shape: [1])
        try sgd.step()  // g = -1 - 0.005, b = 1.89 - 1.005 = 0.885, p = -0.05 - 0.4425
        XCTAssertEqual(p.item, -0.4925, accuracy: 1e-6)
    }

    func testRMSPropTwoStepsByHand() throws {
        let p = try Tensor([1], shape: [1]).requiringGrad()
        let rms = try RMSProp(params: [("p", p)], lr: 0.1, alpha: 0.5, eps: 0)
        p.grad = try Tensor([2], shape: [1])
        try rms.step()  // s = 0.5 * 4 = 2, p = 1 - 0.1 * 2 / sqrt(2)
        let p1 = 1 - 0.1 * 2 / 2.0.squareRoot()
        XCTAssertEqual(Double(p.item), p1, accuracy: 1e-6)
        p.grad = try Tensor([1], shape: [1])
        try rms.step()  // s = 1 + 0.5 = 1.5
        XCTAssertEqual(Double(p.item), p1 - 0.1 / 1.5.squareRoot(), accuracy: 1e-6)
    }

    /// Deterministic pseudo-gradients that depend on the current parameters, like real ones.
    func fakeGradients(_ params: [(String, Tensor)], step: Int) throws {
        for (i, (_, p)) in params.enumerated() {
            let noise = RandomGenerator(seed: UInt64(step), stream: UInt64(i)).normal(p.shape)
            p.grad = try withoutGrad { try p * 0.3 + noise }
        }
    }

    func makeParameters() -> [(String, Tensor)] {
        let rng = RandomGenerator(seed: 21)
        // One tensor large enough that updates run on several threads, cut across tensors.
        return [("w", rng.normal([40, 1000]).requiringGrad()), ("b", rng.normal([7]).requiringGrad()),
                ("v", rng.normal([3, 9000]).requiringGrad())]
    }

    /// Saving after k steps (through a safetensors file), restoring into fresh parameters and a
    /// fresh optimizer and continuing gives the same bits as never stopping.
    func testResumeIsBitExact() throws {
        let makers: [(String, Make)] = [
            ("Adam", { try Adam(params: $0, lr: 1e-2, betas: (0.5, 0.999), weightDecay: 1e-3) }),
            ("SGD", { try SGD(params: $0, lr: 1e-2, momentum: 0.9, nesterov: true) }),
            ("RMSProp", { try RMSProp(params: $0, lr: 1e-3, momentum: 0.5, centered: true) }),
        ]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("optim-resume-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, make) in makers {
            let straight = makeParameters()
            let opt = try make(straight)
            for s in 0..<5 { try fakeGradients(straight, step: s); try opt.step() }

            let first = makeParameters()
            let before = try make(first)
            for s in 0..<2 { try fakeGradients(first, step: s); try before.step() }
            let file = dir.appendingPathComponent("\(name).safetensors")
            try SafeTensors.write(first + before.stateTensors(), metadata: ["step": "\(before.stepCount)"], to: file)

            let loaded = try SafeTensors.read(from: file)
            let resumed = makeParameters()
            for (key, p) in resumed { try p.assign(try XCTUnwrap(loaded[key])) }
            let after = try make(resumed)
            var state = loaded.dictionary
            for (key, _) in resumed { state[key] = nil }
            try after.loadState(state, step: Int(loaded.metadata["step"]!)!)
            XCTAssertEqual(after.stepCount, 2)
            for s in 2..<5 { try fakeGradients(resumed, step: s); try after.step() }
            for ((key, a), (_, b)) in zip(straight, resumed) {
                XCTAssertBitIdentical(a.scalars, b.scalars, "\(name) \(key) after resuming")
            }
        }
    }

    /// Every element is updated exactly once whatever the chunking: compare with a scalar loop.
    func testParallelUpdateMatchesScalarLoop() throws {
        let params = makeParameters()
        let copies = params.map { $0.1.copy() }
        try fakeGradients(params, step: 0)
        let opt = try RMSProp(params: params, lr: 0.01)
        try opt.step()
        for ((_, p), c) in zip(params, copies) {
            let g = p.grad!.scalars
            let expected = zip(c.scalars, g).map { x, g -> Float in
                let s = 0 * Float(0.99) + Float(1 - Double(Float(0.99))) * g * g
                return x + Float(-0.01) * g / (s.squareRoot() + 1e-8)
            }
            XCTAssertBitIdentical(p.scalars, expected, "update")
        }
    }

    /// Adam updates eight elements at a time with a scalar tail; every element must get exactly the
    /// bits it gets as a one-element parameter (scalar path only), for both lerp branches (beta1
    /// 0.8 and 0.5) and with weight decay.
    func testAdamVectorLanesMatchScalarUpdates() throws {
        for (betas, decay) in [((Float(0.8), Float(0.999)), Float(0)), ((0.5, 0.9), 0.1)] {
            let start = RandomGenerator(seed: 5).normal([37])
            let whole = start.copy().requiringGrad()
            let singles = start.scalars.map { Tensor(repeating: $0, shape: [1]).requiringGrad() }
            let a = try Adam(params: [("w", whole)], lr: 0.01, betas: betas, weightDecay: decay)
            let b = try Adam(params: singles.enumerated().map { ("s\($0.offset)", $0.element) }, lr: 0.01, betas: betas, weightDecay: decay)
            for step in 0..<3 {
                let g = RandomGenerator(seed: UInt64(step)).normal([37])
                whole.grad = g
                for (i, p) in singles.enumerated() { p.grad = Tensor(repeating: g.scalars[i], shape: [1]) }
                try a.step()
                try b.step()
            }
            XCTAssertBitIdentical(whole.scalars, singles.map { $0.scalars[0] }, "Adam betas \(betas) decay \(decay)")
        }
    }

    /// Simultaneous updates: each player's gradient is taken before anyone moves. With losses
    /// d*g and -d*g and SGD at rate 1, d -> d - g and g -> g + d (old values on the right);
    /// alternating updates would give g -> g + (d - g) instead.
    func testSimultaneousStepUsesTheOldParametersForEveryPlayer() throws {
        let d = try Tensor([2], shape: [1]).requiringGrad(), g = try Tensor([5], shape: [1]).requiringGrad()
        let optD = try SGD(params: [("d", d)], lr: 1), optG = try SGD(params: [("g", g)], lr: 1)
        let product = try d * g
        try SimultaneousStep.minimize([(product, optD), (-product, optG)])
        XCTAssertEqual(d.scalars, [-3])
        XCTAssertEqual(g.scalars, [7])
        // Each optimizer saw only its own loss's gradient.
        XCTAssertEqual(d.grad?.scalars, [5])
        XCTAssertEqual(g.grad?.scalars, [-2])
    }

    func testSkipsParametersWithoutGradientAndZeroGradClears() throws {
        let a = try Tensor([1], shape: [1]).requiringGrad(), b = try Tensor([1], shape: [1]).requiringGrad()
        let opt = try Adam(params: [("a", a), ("b", b)], lr: 0.1)
        a.grad = try Tensor([1], shape: [1])
        try opt.step()
        XCTAssertNotEqual(a.item, 1)
        XCTAssertEqual(b.item, 1)
        XCTAssertEqual(opt.state.parameterSteps, [1, 0])
        opt.zeroGrad()
        XCTAssertNil(a.grad)
        try opt.step()  // nothing has a gradient: nothing moves
        XCTAssertEqual(opt.state.parameterSteps, [1, 0])
        XCTAssertEqual(opt.stepCount, 2)
    }

    /// minimize() backpropagates only into its own parameters: a generator step leaves the
    /// discriminator's gradients alone, and updates the generator exactly as a full backward would.
    func testMinimizeDifferentiatesOnlyItsOwnParameters() throws {
        let rng = RandomGenerator(seed: 7)
        func build() -> (g: Tensor, d: Tensor) {
            (rng.normal([3, 4]).requiringGrad(), rng.normal([4, 2]).requiringGrad())
        }
        let z = rng.normal([5, 3])
        let (g1, d1) = build()
        let (g2, d2) = (g1.copy().requiringGrad(), d1.copy().requiringGrad())
        let initialG = g1.scalars
        func loss(_ g: Tensor, _ d: Tensor) throws -> Tensor { try z.matmul(g).tanh().matmul(d).sum(axes: nil) }

        let staleD = try Tensor([Float](repeating: 5, count: 8), shape: [4, 2])
        d1.grad = staleD
        try Adam(params: [("g", g1)], lr: 0.1).minimize(loss(g1, d1))
        XCTAssertTrue(d1.grad === staleD, "the other network's gradient was touched")

        let full = try Adam(params: [("g", g2)], lr: 0.1)
        full.zeroGrad()
        try loss(g2, d2).backward()
        XCTAssertNotNil(d2.grad)
        try full.step()
        XCTAssertBitIdentical(g1.scalars, g2.scalars, "restricted and full backward update G alike")
        XCTAssertNotEqual(g1.scalars, initialG, "G moved")
    }

    func testStateKeysAndLoadErrors() throws {
        let w = Tensor(zeros: [2, 3]).requiringGrad(), b = Tensor(zeros: [3]).requiringGrad()
        let opt = try Adam(params: [("0.weight", w), ("0.bias", b)])
        XCTAssertEqual(opt.stateTensors().map(\.0), ["exp_avg.0.weight", "exp_avg_sq.0.weight", "step.0.weight",
                                                     "exp_avg.0.bias", "exp_avg_sq.0.bias", "step.0.bias"])
        XCTAssertEqual(try RMSProp(params: [("p", w)], momentum: 0.9, centered: true).stateTensors().map(\.0),
                       ["square_avg.p", "momentum_buffer.p", "grad_avg.p", "step.p"])
        XCTAssertEqual(try SGD(params: [("p", w)], lr: 1).stateTensors().map(\.0), ["step.p"])

        var state = Dictionary(uniqueKeysWithValues: opt.stateTensors())
        state["exp_avg.0.bias"] = nil
        state["exp_avg_sq.0.weight"] = Tensor(zeros: [3, 2])
        state["step.0.bias"] = Tensor(scalar: 1.5)
        state["extra"] = Tensor(zeros: [1])
        XCTAssertThrowsError(try opt.loadState(state, step: 3)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("missing key exp_avg.0.bias"), text)
            XCTAssertTrue(text.contains("exp_avg_sq.0.weight has shape [3, 2] but the parameter has [2, 3]"), text)
            XCTAssertTrue(text.contains("step.0.bias must hold one non-negative integer"), text)
            XCTAssertTrue(text.contains("unexpected keys: extra"), text)
        }
        XCTAssertEqual(opt.stepCount, 0, "a rejected state changes nothing")
    }

    func testConstructionAndStepErrors() throws {
        let p = Tensor(zeros: [2]).requiringGrad()
        XCTAssertThrowsError(try Adam(params: [("p", p)], lr: -1)) { XCTAssertEqual("\($0)", "Adam: invalid lr -1.0") }
        XCTAssertThrowsError(try Adam(params: [("p", p)], betas: (1, 0.9)))
        XCTAssertThrowsError(try SGD(params: [("p", p)], lr: 0.1, nesterov: true)) {
            XCTAssertEqual("\($0)", "SGD: Nesterov momentum needs momentum > 0 and dampening 0")
        }
        XCTAssertThrowsError(try RMSProp(params: [("p", p), ("p", p)])) { XCTAssertTrue("\($0)".contains("\"p\" appears twice")) }
        let sgd = try SGD(params: [("p", p)], lr: 0.1)
        p.grad = Tensor(zeros: [3])
        XCTAssertThrowsError(try sgd.step()) { XCTAssertTrue("\($0)".contains("gradient of p"), "\($0)") }
    }

    func testSchedules() {
        XCTAssertEqual(LRSchedule.constant.factor(at: 10_000), 1)
        let linear = LRSchedule.linearDecay(startStep: 10, totalSteps: 20)
        XCTAssertEqual([0, 10, 11, 15, 19, 20, 25].map(linear.factor), [1, 1, 0.9, 0.5, 0.1, 0, 0])
        // pix2pix's rule for n_epochs = 100, n_epochs_decay = 100, epochs counted from 0.
        let pix2pix = LRSchedule.linearDecay(startStep: 99, totalSteps: 200)
        for epoch in 0..<200 {
            let theirs = 1 - Float(max(0, epoch + 1 - 100)) / Float(100 + 1)
            XCTAssertEqual(pix2pix.factor(at: epoch), theirs, accuracy: 1e-6, "epoch \(epoch)")
        }
        let step = LRSchedule.step(every: 10, gamma: 0.5)
        XCTAssertEqual([0, 9, 10, 25, 30].map(step.factor), [1, 1, 0.5, 0.25, 0.125])
    }
}
