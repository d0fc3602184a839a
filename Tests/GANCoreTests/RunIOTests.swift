import Foundation
import XCTest
@testable import GANCore
import GANTensor

final class RunIOTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("runio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func testCRC32CKnownVectors() {
        // RFC 3720 (iSCSI) check value and the 32-zero-bytes vector.
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
    }

    func testTensorBoardRecordsParseBack() throws {
        let writer = try TensorBoardWriter(directory: dir)
        try writer.scalar("loss_d", 0.5, step: 7)
        try writer.image("samples", png: [1, 2, 3], width: 4, height: 5, channels: 1, step: 7)
        try writer.flush()
        let bytes = [UInt8](try Data(contentsOf: writer.url))
        var records: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            let lengthBytes = Array(bytes[i..<i + 8])
            let length = Int(lengthBytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
            let lengthCRC = Array(bytes[i + 8..<i + 12]).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
            XCTAssertEqual(lengthCRC, CRC32C.masked(lengthBytes))
            let data = Array(bytes[i + 12..<i + 12 + length])
            let dataCRC = Array(bytes[i + 12 + length..<i + 16 + length]).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
            XCTAssertEqual(dataCRC, CRC32C.masked(data))
            records.append(data)
            i += 16 + length
        }
        XCTAssertEqual(records.count, 3)
        XCTAssertTrue(String(decoding: records[0], as: UTF8.self).contains("brain.Event:2"))
        // Event{step=7 (field 2, varint)} and the scalar's tag and float 0.5 (0x3F000000 little endian).
        XCTAssertTrue(records[1].contains(0x10) && records[1].contains(7))
        XCTAssertTrue(String(decoding: records[1], as: UTF8.self).contains("loss_d"))
        XCTAssertNotNil(records[1].firstRange(of: [0x15, 0x00, 0x00, 0x00, 0x3F]))
        XCTAssertNotNil(records[2].firstRange(of: [0x22, 0x03, 1, 2, 3]), "PNG bytes as encoded_image_string")
    }

    func testMetricsLogAppendsAndTruncatesOnResume() throws {
        let log = try MetricsLog(url: dir.appendingPathComponent("m.jsonl"))
        for s in [10, 20, 30] { try log.append(step: s, time: Double(s) / 10, values: ["loss": Float(s) / 100]) }
        try log.truncate(afterStep: 20)
        try log.append(step: 30, time: 3.5, values: ["loss": 0.25])
        let entries = try log.read()
        XCTAssertEqual(entries.map { $0["step"] }, [10, 20, 30])
        XCTAssertEqual(entries.last?["loss"], 0.25)
    }

    func testCheckpointRotationKeepsLastAndIgnoresIncomplete() throws {
        let rotation = CheckpointRotation(directory: dir, keep: 2)
        for step in [10, 20, 30] {
            try CheckpointRotation.writeAtomically(rotation.url(forStep: step)) { tmp in
                try Data("{}".utf8).write(to: tmp.appendingPathComponent("state.json"))
            }
            try rotation.keepLast()
        }
        // A kill mid-save leaves a .tmp folder and an incomplete folder without state.json.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("step-000000040.tmp"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("step-000000050"), withIntermediateDirectories: true)
        XCTAssertEqual(try rotation.all().map(\.step), [20, 30])
        XCTAssertEqual(try rotation.latest()?.step, 30)
        XCTAssertThrowsError(try CheckpointRotation.writeAtomically(rotation.url(forStep: 60)) { _ in throw TensorError.io(path: "x", reason: "disk full") })
        XCTAssertFalse(FileManager.default.fileExists(atPath: rotation.url(forStep: 60).path))
        XCTAssertEqual(try rotation.latest()?.step, 30)
    }

    func testProgressLinesWhenNotATerminal() {
        var lines: [String] = []
        var now = Date(timeIntervalSince1970: 0)
        let p = ProgressReporter(total: 100, start: 0, sink: { lines.append($0) }, isTerminal: false, plainEvery: 10, clock: { now })
        for step in 1...100 {
            now = Date(timeIntervalSince1970: Double(step))  // one step per second
            p.update(step: step, values: ["loss_d": 0.5])
        }
        // Step 1, then every 10 s (steps 11, 21, ..., 91), and always the last step.
        XCTAssertEqual(lines.count, 11)
        XCTAssertEqual(lines.first, "step 1/100 | 1.00 steps/s | ETA 1m39s | loss_d 0.5")
        XCTAssertTrue(lines.last!.hasPrefix("step 100/100"))
    }

    func testSignalWatcherTurnsSIGINTIntoAFlag() throws {
        let watcher = SignalWatcher()
        defer { watcher.restore() }
        XCTAssertFalse(watcher.stopRequested)
        kill(getpid(), SIGINT)
        let deadline = Date().addingTimeInterval(5)
        while !watcher.stopRequested && Date() < deadline { usleep(1000) }
        XCTAssertTrue(watcher.stopRequested)
    }

    func testHTMLReportChartsEveryMetricAndEscapes() throws {
        let log = try MetricsLog(url: dir.appendingPathComponent("metrics.jsonl"))
        try log.append(step: 1, time: 0.1, values: ["loss_d": 1, "loss_g": 2])
        try log.append(step: 2, time: 0.2, values: ["loss_d": 0.5, "loss_g": 3])
        let out = dir.appendingPathComponent("report.html")
        try HTMLReport.write(run: dir, metrics: log.url, samples: [dir.appendingPathComponent("samples/step-000000002.png")],
                             recipe: "description: <b>&</b>", to: out)
        let html = try String(contentsOf: out, encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "<polyline").count - 1, 2)
        XCTAssertTrue(html.contains("samples/step-000000002.png"))
        XCTAssertTrue(html.contains("&lt;b&gt;&amp;&lt;/b&gt;"))
        XCTAssertFalse(html.contains("<b>&</b>"))
    }
}
