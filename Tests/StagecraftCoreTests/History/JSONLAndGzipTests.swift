import Foundation
import Testing
@testable import StagecraftHistory

@Suite struct JSONLAndGzipTests {
    static let jsonl = """
        {"case": "c1", "activity": "Review \\"draft\\"", "start": "2020-01-01T10:00:00Z", "end": "2020-01-01T11:00:00Z", "resource": "Ann"}
        {"case": 42, "activity": "Approve", "timestamp": "2020-01-02 09:00:00", "resource": null, "extra": {"a": [1, 2, "}"]}}

        {"resource": "B\\u00f6b", "activity": "Approve", "case": 42, "lifecycle": "start", "timestamp": "2020-01-02T08:00:00"}
        {"case": "c1", "activity": "Caf\\u00e9 \\ud83d\\ude00", "end": "2020-01-01T12:00:00.250+01:00"}
        """

    @Test func readsJSONLines() throws {
        let log = try readLog(Self.jsonl, name: "events.jsonl")
        #expect(log.detection.format == .jsonl)
        #expect(log.eventCount == 4)
        #expect(log.cases.map(\.id) == ["c1", "42"])
        let c1 = log.cases[0]
        #expect(activityNames(log, c1) == ["Review \"draft\"", "Café 😀"])
        #expect(c1.occurrences[0].start == utc(2020, 1, 1, 10))
        #expect(c1.occurrences[1].start == nil)
        #expect(c1.occurrences[1].end == utc(2020, 1, 1, 11, ms: 250))
        let c42 = log.cases[1]
        #expect(activityNames(log, c42) == ["Approve"])
        #expect(c42.occurrences[0].start == utc(2020, 1, 2, 8))
        #expect(c42.occurrences[0].end == utc(2020, 1, 2, 9))
        #expect(c42.occurrences[0].resource.map { log.resources[$0] } == "Böb")
        #expect(c42.occurrences[0].line == 4)
    }

    @Test func jsonlErrorsNameTheLine() {
        do {
            _ = try readLog("{\"case\": \"1\", \"activity\": \"a\", \"timestamp\": \"2020-01-01\"}\n{\"case\": \"1\",", name: "e.ndjson")
            Issue.record("expected an error")
        } catch let e as HistoryError {
            #expect(e.line == 2)
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: HistoryError.self) {
            try readLog("{\"case\": \"1\", \"activity\": \"a\", \"timestamp\": 5}\n", name: "e.jsonl")
        }
        #expect(throws: HistoryError.self) { try readLog("{\"x\": 1}\n", name: "e.jsonl") }
        let skipped = try? readLog(
            "{\"case\": \"1\", \"activity\": \"a\", \"timestamp\": \"2020-01-01\"}\nnot json\n", name: "e.jsonl",
            HistoryOptions(skipBadRows: true))
        #expect(skipped?.skipped.firstLines == [2])
    }

    @Test func gzipRoundTripForEveryFormat() throws {
        let csv = "case,activity,timestamp\n1,a,2020-01-01\n1,b,2020-01-02\n"
        for (text, name) in [(csv, "x.csv.gz"), (XESReaderTests.sample, "x.xes.gz"), (Self.jsonl, "x.jsonl.gz")] {
            let plain = try readLog(text, name: String(name.dropLast(3)))
            let gz = try #require(Gzip.deflate(Array(text.utf8)))
            #expect(gz.count > 10 && gz[0] == 0x1f && gz[1] == 0x8b)
            let log = try HistoryReader.read(bytes: gz, name: name)
            #expect(log.detection.compressed)
            #expect(log.eventCount == plain.eventCount)
            #expect(log.cases == plain.cases)
        }
    }

    @Test func concatenatedGzipMembers() throws {
        let a = try #require(Gzip.deflate(Array("case,activity,timestamp\n1,a,2020-01-01\n".utf8)))
        let b = try #require(Gzip.deflate(Array("2,b,2020-01-02\n".utf8)))
        let log = try HistoryReader.read(bytes: a + b, name: "two.csv.gz")
        #expect(log.cases.map(\.id) == ["1", "2"])
        // Truncated and corrupt data are errors, not crashes.
        #expect(throws: HistoryError.self) { try HistoryReader.read(bytes: Array(a.prefix(a.count / 2)), name: "t.csv.gz") }
        var bad = a
        bad[12] ^= 0xff
        bad[13] ^= 0xff
        #expect(throws: HistoryError.self) { try HistoryReader.read(bytes: bad, name: "t.csv.gz") }
    }

    @Test func formatFromNameOrContent() throws {
        #expect(HistoryReader.formatFromName("a.CSV.gz") == .csv)
        #expect(HistoryReader.formatFromName("a.xes") == .xes)
        #expect(HistoryReader.formatFromName("a.ndjson") == .jsonl)
        #expect(HistoryReader.formatFromName("-") == nil)
        #expect(try readLog(XESReaderTests.sample, name: "-").detection.format == .xes)
        #expect(try readLog(Self.jsonl, name: "-").detection.format == .jsonl)
        #expect(try readLog("case,activity,timestamp\n1,a,2020-01-01\n", name: "data.txt").detection.format == .csv)
        let forced = try readLog("case,activity,timestamp\n1,a,2020-01-01\n", name: "a.xes", HistoryOptions(format: .csv))
        #expect(forced.eventCount == 1)
    }

    @Test func readsFilesFromDisk() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("log.csv.gz").path
        let gz = try #require(Gzip.deflate(Array("case,activity,timestamp\n1,a,2020-01-01\n".utf8)))
        try Data(gz).write(to: URL(fileURLWithPath: path))
        let log = try HistoryReader.read(path: path)
        #expect(log.eventCount == 1)
        #expect(log.source == path)
        #expect(throws: HistoryError.self) { try HistoryReader.read(path: dir.appendingPathComponent("none.csv").path) }
    }
}
