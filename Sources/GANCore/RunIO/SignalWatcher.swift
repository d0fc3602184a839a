import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a flag the training loop checks between steps, so Ctrl-C writes a
/// checkpoint and exits cleanly instead of killing the process mid-write.
public final class SignalWatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var sources: [DispatchSourceSignal] = []
    private let signals: [Int32] = [SIGINT, SIGTERM]

    public init() {
        for sig in signals {
            signal(sig, SIG_IGN)  // let the dispatch source receive it instead of the default action
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.lock()
                self.requested = true
                self.lock.unlock()
            }
            source.resume()
            sources.append(source)
        }
    }

    public var stopRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }

    /// Puts the default handlers back.
    public func restore() {
        for s in sources { s.cancel() }
        sources = []
        for sig in signals { signal(sig, SIG_DFL) }
    }
}
