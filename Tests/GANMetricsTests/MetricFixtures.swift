import Foundation
import GANTensor

/// Closed-form inputs rebuilt identically by Tests/Fixtures/scripts/metrics_reference.py, so the
/// reference numbers need no stored data.
enum MetricFixtures {
    static func images(_ n: Int, _ c: Int, _ h: Int, _ w: Int, variant: Int) -> Tensor {
        var v: [Float] = []
        for k in 0..<n {
            for ch in 0..<c {
                for i in 0..<h {
                    for j in 0..<w {
                        let (di, dj, dk, dc) = (Double(i), Double(j), Double(k), Double(ch))
                        let x = variant == 0
                            ? 0.7 * sin(0.37 * di + 0.91 * dj + 1.7 * dc + 2.3 * dk) + 0.25 * cos(1.3 * di - 0.6 * dj + 0.4 * dk)
                            : 0.7 * sin(0.41 * di + 0.88 * dj + 1.7 * dc + 2.3 * dk + 0.3)
                                + 0.25 * cos(1.1 * di - 0.6 * dj) + 0.05 * sin(5.1 * di + 3.7 * dj)
                        v.append(Float(x))
                    }
                }
            }
        }
        return try! Tensor(v, shape: [n, c, h, w])
    }

    static func features(_ n: Int, _ d: Int, variant: Int) -> Tensor {
        var v: [Float] = []
        for i in 0..<n {
            for j in 0..<d {
                let (di, dj) = (Double(i), Double(j))
                let x = variant == 0
                    ? sin(0.7 * di * (dj + 1) + 0.3 * dj) + 0.2 * dj * cos(0.11 * di)
                    : 0.5 + 0.8 * cos(0.53 * di * (dj + 2)) + 0.1 * di / Double(n)
                v.append(Float(x))
            }
        }
        return try! Tensor(v, shape: [n, d])
    }
}

