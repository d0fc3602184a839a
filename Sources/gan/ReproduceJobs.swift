import Foundation
import GANCore
import GANTensor

/// `gan reproduce --jobs N`: trains the claims' runs N at a time, each in a child `gan reproduce
/// ... --run ID` process, before the claims are evaluated (which then reuses them). Processes,
/// not threads: two trainings on threads of one process were measured to starve one another
/// (one ran about 7x slower than the other), and the 2-D models' steps are too small for one run
/// to keep two cores busy. A run's weights do not depend on this (kernels split work by shape only).
/// Runs stopped and resumed on purpose (`interruptAt`) are left to the evaluating process.
enum ReproduceJobs {
    static func train(_ specs: [RunSpec], childArguments: (RunSpec) -> [String], jobs: Int) throws {
        let queue = specs.filter { $0.interruptAt == nil }
        guard jobs > 1, queue.count > 1 else { return }
        let lock = NSLock()
        var next = 0, failures: [String] = []
        // Linux children inherit the spawning thread's nice value: a niced `gan reproduce` must not
        // start its trainings from libdispatch threads at nice 0.
        Parallel.perform(iterations: min(jobs, queue.count)) { _ in
            while true {
                lock.lock()
                let i = next
                next += 1
                lock.unlock()
                guard i < queue.count else { return }
                let child = Process()
                child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
                child.arguments = childArguments(queue[i])
                var failure: String?
                do {
                    try child.run()
                    child.waitUntilExit()
                    if child.terminationStatus != 0 { failure = "\(queue[i].id): exit status \(child.terminationStatus)" }
                } catch {
                    failure = "\(queue[i].id): \(error)"
                }
                if let failure {
                    lock.lock()
                    failures.append(failure)
                    lock.unlock()
                }
            }
        }
        if !failures.isEmpty { throw Failed(runs: failures) }
    }

    struct Failed: Error, CustomStringConvertible {
        let runs: [String]
        var description: String { "reproduce --jobs: training failed: " + runs.joined(separator: "; ") }
    }
}
