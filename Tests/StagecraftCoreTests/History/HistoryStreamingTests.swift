import Foundation
import Testing
@testable import StagecraftHistory
@testable import StagecraftSyntax

/// Logs read from files go through `InputWindow` in 1 MiB blocks; these logs are several
/// blocks long, so records, line endings, quotes and gzip members fall across block
/// boundaries, and each must read exactly as the same bytes read from memory.
@Suite struct HistoryStreamingTests {
    /// A CSV log of `rows` rows with CR LF endings, a BOM, blank lines, quoted fields with
    /// delimiters, doubled quotes and line breaks, and exact duplicate rows, of varied length.
    static func csv(rows: Int) -> String {
        var text = "\u{FEFF}case,activity,start,end,resource,note\r\n"
        for i in 0..<rows {
            let c = "case-\(i / 40)"
            let pad = String(repeating: "x", count: (i * 7919) % 90)
            let minute = (i % 40) * 3
            let time = String(format: "2024-03-%02d %02d:%02d:00", 1 + (i / 40) % 28, minute / 60, minute % 60)
            let end = String(format: "2024-03-%02d %02d:%02d:30", 1 + (i / 40) % 28, minute / 60, minute % 60)
            switch i % 13 {
            case 0: text += "\(c),\"Review, \"\"draft\"\"\",\(time),\(end),Ann,\"line one\r\nline two \(pad)\"\r\n"
            case 5: text += "\r\n\(c),Approve,\(time),\(end),Bob,\(pad)\r\n"
            case 9: text += "\(c),Ship,\(time),\(end),Eve,\(pad)\r\n\(c),Ship,\(time),\(end),Eve,\(pad)\r\n"
            default: text += "\(c),Step \(i % 11),\(time),\(end),U\(i % 17),\(pad)\r\n"
            }
        }
        return text
    }

    /// A JSON Lines log of `rows` lines, some with escapes and nested values, some blank.
    static func jsonl(rows: Int) -> String {
        var text = ""
        for i in 0..<rows {
            let pad = String(repeating: "y", count: (i * 104_729) % 70)
            let second = i % 60
            text += "{\"case\": \"c\(i / 30)\", \"activity\": \"A\\u00e9 \(i % 9)\", \"timestamp\": "
                + "\"2024-05-01T10:\(String(format: "%02d", (i / 60) % 60)):\(String(format: "%02d", second))Z\", "
                + "\"extra\": {\"p\": [\"\(pad)\", 1]}}\n"
            if i % 17 == 0 { text += "\n" }
        }
        return text
    }

    /// A temporary file holding `bytes`, removed by the returned closure.
    static func file(_ name: String, _ bytes: [UInt8]) throws -> (String, () -> Void) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("streaming-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, { try? FileManager.default.removeItem(at: dir) })
    }

    /// What two reads of one log must agree on.
    static func expectSame(_ a: EventLog, _ b: EventLog, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(a.cases == b.cases, sourceLocation: sourceLocation)
        #expect(a.activities == b.activities, sourceLocation: sourceLocation)
        #expect(a.resources == b.resources, sourceLocation: sourceLocation)
        #expect(a.eventCount == b.eventCount, sourceLocation: sourceLocation)
        #expect(a.duplicates == b.duplicates, sourceLocation: sourceLocation)
        #expect(a.identicalDuplicateRows == b.identicalDuplicateRows, sourceLocation: sourceLocation)
        #expect(a.skipped == b.skipped, sourceLocation: sourceLocation)
        #expect(a.detection.columns == b.detection.columns, sourceLocation: sourceLocation)
        #expect(a.detection.delimiter == b.detection.delimiter, sourceLocation: sourceLocation)
    }

    @Test func aCSVLogOfManyBlocksReadsAsFromMemory() throws {
        let bytes = Array(Self.csv(rows: 60_000).utf8)
        #expect(bytes.count > 3 * InputWindow.blockSize)
        let memory = try HistoryReader.read(bytes: bytes, name: "log.csv")
        // Every 13th row is the duplicated `Ship` pair: identical in every column.
        let pairs = (0..<60_000).filter { $0 % 13 == 9 }.count
        #expect(memory.eventCount == 60_000 + pairs)
        #expect(memory.duplicates.count == pairs)
        #expect(memory.identicalDuplicateRows == pairs)
        #expect(memory.cases[0].occurrences[0].line == 2)
        let (path, remove) = try Self.file("log.csv", bytes)
        defer { remove() }
        Self.expectSame(try HistoryReader.read(path: path), memory)
        let gz = try #require(Gzip.deflate(bytes))
        let (gzPath, removeGz) = try Self.file("log.csv.gz", gz)
        defer { removeGz() }
        let inflated = try HistoryReader.read(path: gzPath)
        #expect(inflated.detection.compressed)
        Self.expectSame(inflated, memory)
    }

    @Test func anErrorDeepInAStreamedCSVNamesItsLineAndColumnInCharacters() throws {
        var text = Self.csv(rows: 30_000)
        text += "case-x,Été,2024-03-01 10:00:00,2024-03-01 10:xx:00,Ann,n\r\n"
        let bytes = Array(text.utf8)
        var options = HistoryOptions()
        options.timestampFormat = try TimestampFormat("%Y-%m-%d %H:%M:%S")
        func message(_ read: () throws -> EventLog) -> String {
            do { _ = try read() } catch let e as HistoryError { return e.description } catch {}
            return "(read)"
        }
        let fromMemory = message { try HistoryReader.read(bytes: bytes, name: "log.csv", options: options) }
        // The 30,000 rows take 32,310 lines (a quoted line break in every 13th, a blank line
        // before another); "case-x,Été,2024-03-01 10:00:00,2024-03-01 10:" is 45 characters
        // (47 bytes): the minutes start at column 46.
        let line = 1 + 30_000 + (0..<30_000).filter { $0 % 13 == 0 || $0 % 13 == 5 || $0 % 13 == 9 }.count + 1
        #expect(fromMemory.hasPrefix("log.csv:\(line): column 'end': timestamp '2024-03-01 10:xx:00' does not fit "
            + "--timestamp-format '%Y-%m-%d %H:%M:%S' at column 46"), "\(fromMemory)")
        let (path, remove) = try Self.file("log.csv", bytes)
        defer { remove() }
        #expect(message { try HistoryReader.read(path: path, options: options) } == fromMemory.replacingOccurrences(of: "log.csv:", with: "\(path):"))
        options.skipBadRows = true
        let skipped = try HistoryReader.read(path: path, options: options)
        #expect(skipped.skipped.count == 1)
    }

    @Test func aJSONLinesLogOfManyBlocksReadsAsFromMemory() throws {
        let bytes = Array(Self.jsonl(rows: 30_000).utf8)
        #expect(bytes.count > 3 * InputWindow.blockSize)
        let memory = try HistoryReader.read(bytes: bytes, name: "log.jsonl")
        #expect(memory.eventCount == 30_000)
        let (path, remove) = try Self.file("log.jsonl", bytes)
        defer { remove() }
        Self.expectSame(try HistoryReader.read(path: path), memory)
        // Two gzip members, split inside a line.
        let half = bytes.count / 2 + 13
        let gz = try #require(Gzip.deflate(Array(bytes[..<half]))) + (try #require(Gzip.deflate(Array(bytes[half...]))))
        let (gzPath, removeGz) = try Self.file("log.jsonl.gz", gz)
        defer { removeGz() }
        Self.expectSame(try HistoryReader.read(path: gzPath), memory)
    }

    @Test func anXESLogFromAGzipFileReadsAsFromMemory() throws {
        var text = "<?xml version=\"1.0\"?>\n<log>\n"
        for c in 0..<4_000 {
            text += "<trace><string key=\"concept:name\" value=\"c\(c)\"/>\n"
            for e in 0..<5 {
                text += "  <event><string key=\"concept:name\" value=\"Act &amp; \(e)\"/>"
                    + "<date key=\"time:timestamp\" value=\"2024-01-0\(1 + e)T10:00:00Z\"/></event>\n"
            }
            text += "</trace>\n"
        }
        text += "</log>\n"
        let bytes = Array(text.utf8)
        #expect(bytes.count > InputWindow.blockSize)
        let memory = try HistoryReader.read(bytes: bytes, name: "log.xes")
        #expect(memory.eventCount == 20_000)
        let (path, remove) = try Self.file("log.xes.gz", try #require(Gzip.deflate(bytes)))
        defer { remove() }
        Self.expectSame(try HistoryReader.read(path: path), memory)
    }

    /// A pipe has no size: the reader reserves nothing up front and takes short reads.
    @Test func aLogFromAPipeReadsAsFromMemory() throws {
        let bytes = Array(Self.csv(rows: 20_000).utf8)
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let writer = fds[1]
        let thread = Thread {
            bytes.withUnsafeBytes { raw in
                var off = 0
                while off < raw.count {
                    let n = write(writer, raw.baseAddress! + off, min(65_536, raw.count - off))
                    if n <= 0 { break }
                    off += n
                }
            }
            close(writer)
        }
        thread.start()
        let input = try HistoryReader.open("/dev/fd/\(fds[0])")
        defer {
            input.close()
            close(fds[0])
        }
        #expect(input.regularSize == nil)
        let piped = try HistoryReader.read(input, name: "-")
        Self.expectSame(piped, try HistoryReader.read(bytes: bytes, name: "-"))
    }

    /// Tiny blocks put a block end at every byte of these logs: inside quotes, between CR and
    /// LF, inside a BOM, a gzip header or a multi-byte character.
    @Test func everyBlockBoundaryReadsTheSame() throws {
        let csv = "\u{FEFF}case;activity;timestamp;note\r\nc1;\"A;\"\"x\"\"\";2024-01-01 10:00;\"two\r\nlines\"\r"
            + "c1;Été;2024-01-01 11:00;\r\n\r\nc2;B;2024-01-02;n\nc2;B;2024-01-02;n\nc3;C;2024-01-03;"
        let jsonl = "\u{FEFF}{\"case\": \"c1\", \"activity\": \"A\\u00e9\", \"timestamp\": \"2024-01-01T10:00:00Z\"}\r\n\n"
            + "{\"case\": 7, \"activity\": \"B\", \"timestamp\": \"2024-01-02\", \"x\": [1, {\"y\": \"}\"}]}"
        let xes = "<log><trace><string key=\"concept:name\" value=\"t1\"/><event>"
            + "<string key=\"concept:name\" value=\"A &amp; B\"/><date key=\"time:timestamp\" value=\"2024-01-01T10:00:00Z\"/>"
            + "</event></trace></log>\n"
        for (name, text) in [("log.csv", csv), ("log.jsonl", jsonl), ("log.xes", xes)] {
            let bytes = Array(text.utf8)
            let memory = try HistoryReader.read(bytes: bytes, name: name)
            #expect(memory.eventCount > 0)
            let gz = try #require(Gzip.deflate(bytes))
            for blockSize in 1...40 {
                Self.expectSame(try HistoryReader.read(bytes: bytes, name: name, options: HistoryOptions(), blockSize: blockSize), memory)
                Self.expectSame(try HistoryReader.read(bytes: gz, name: name, options: HistoryOptions(), blockSize: blockSize), memory)
            }
            for (fileName, content) in [(name, bytes), (name + ".gz", gz)] {
                let (path, remove) = try Self.file(fileName, content)
                defer { remove() }
                for blockSize in [1, 2, 3, 5, 8, 13, 64, 4096] {
                    let input = try HistoryReader.open(path)
                    defer { input.close() }
                    let log = try HistoryReader.read(.file(input), name: name, options: HistoryOptions(), blockSize: blockSize)
                    Self.expectSame(log, memory)
                }
            }
        }
    }

    /// A log holds one of each per event: their size is the reader's memory.
    @Test func eventsAndOccurrencesStayCompact() {
        #expect(MemoryLayout<RawEvent>.stride == 40)
        #expect(MemoryLayout<Occurrence>.stride == 32)
        var o = Occurrence(activity: 3, resource: nil, start: nil, end: 5, line: 7)
        #expect(o.resource == nil && o.start == nil && o.activity == 3)
        o.resource = 0
        o.start = 1.5
        #expect(o.resource == 0 && o.start == 1.5)
        #expect(o == Occurrence(activity: 3, resource: 0, start: 1.5, end: 5, line: 7))
        #expect(Occurrence(activity: 1, resource: nil, start: nil, end: 2, line: 3)
            == Occurrence(activity: 1, resource: nil, start: nil, end: 2, line: 3))
        let e = RawEvent(caseIndex: 0, activity: 0, resource: -1, transition: -1, kind: .complete,
                         start: .nan, end: 0, line: 5_000_000_000)
        #expect(e.line == 5_000_000_000)
    }

    @Test func openingNamesWhatIsWrong() throws {
        func message(_ path: String) -> String {
            do { _ = try HistoryReader.read(path: path) } catch let e as HistoryError { return e.description } catch {}
            return "(read)"
        }
        #expect(message("/nonexistent/log.csv") == "/nonexistent/log.csv: cannot open file: No such file or directory")
        let dir = FileManager.default.temporaryDirectory.path
        #expect(message(dir) == "\(dir): cannot open file: is a directory")
    }
}
