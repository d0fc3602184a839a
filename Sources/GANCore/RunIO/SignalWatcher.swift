import Foundation

/// Set from the signal handler; only an aligned word store happens there (async-signal-safe).
private nonisolated(unsafe) var signalStopFlag: sig_atomic_t = 0

/// Turns SIGINT and SIGTERM into a flag the training loop checks between steps, so Ctrl-C writes a
/// checkpoint and exits cleanly instead of killing the process mid-write.
public final class SignalWatcher: @unchecked Sendable {
    private let signals: [Int32] = [SIGINT, SIGTERM]

    public init() {
        signalStopFlag = 0
        for sig in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in signalStopFlag = 1 }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
        }
    }

    public var stopRequested: Bool { signalStopFlag != 0 }

    /// Puts the default handlers back.
    public func restore() {
        for sig in signals { signal(sig, SIG_DFL) }
    }
}
