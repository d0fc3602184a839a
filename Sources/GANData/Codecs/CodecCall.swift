import CImageCodecs

/// Glue between the C shims' (status, message, malloc'ed buffer) convention and Swift errors.
enum CodecCall {
    static let messageCapacity = 256

    /// Runs `body` with a message buffer; a nonzero status becomes a DataError naming `path`.
    static func run(path: String, what: String, _ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws {
        var message = [CChar](repeating: 0, count: messageCapacity)
        let status = message.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
        guard status != GK_OK else { return }
        let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let reason = "\(what): \(text.isEmpty ? "error \(status)" : text)"
        switch status {
        case GK_ERR_CORRUPT: throw DataError.corrupt(path: path, reason: reason)
        case GK_ERR_TOO_LARGE, GK_ERR_UNSUPPORTED, GK_ERR_ARGUMENT:
            throw DataError.invalid(path: path, reason: reason)
        default: throw DataError.unreadable(path: path, reason: reason)
        }
    }

    /// Copies a C-allocated buffer into an array and frees it.
    static func take(_ pointer: UnsafeMutablePointer<UInt8>?, count: Int) -> [UInt8] {
        guard let pointer else { return [] }
        defer { gk_free(pointer) }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}
