import Foundation

/// Whether ops record onto the tape. Thread-local, so a loader thread never sees the trainer's mode.
public enum GradMode {
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    /// True unless inside `withoutGrad` (or a backward pass without `createGraph`).
    public static var isEnabled: Bool {
        // The slot holds nil (default: enabled) or a non-nil marker (disabled).
        pthread_getspecific(key) == nil
    }

    static func set(_ enabled: Bool) {
        pthread_setspecific(key, enabled ? nil : UnsafeRawPointer(bitPattern: 1))
    }
}

/// Runs `body` without recording: inference, optimizer updates, metric computation.
@discardableResult
public func withoutGrad<T>(_ body: () throws -> T) rethrows -> T {
    try withGradMode(false, body)
}

@discardableResult
public func withGradMode<T>(_ enabled: Bool, _ body: () throws -> T) rethrows -> T {
    let before = GradMode.isEnabled
    GradMode.set(enabled)
    defer { GradMode.set(before) }
    return try body()
}
