import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftHistory
@testable import StagecraftAnalysis
@testable import StagecraftOutput
@testable import StagecraftCLI

/// Issue 16's findings, each as it was reported: bounded work on hostile input, honest
/// outcomes and messages that say what is wrong without echoing the input raw.
@Suite struct HostileInputTests {
    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "stagecraft-hostile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static let flow = """
    workflow "w" {
      owner pm
      stage review { owner pm; sla 1bd }
      stage publish { after review; owner pm; sla 1bd }
    }

    """

    // MARK: gzip

    /// A gigabyte of zeros in a megabyte was inflated whole (85 s, 4.2 GB) and its
    /// "header" printed; 64 MiB of zeros is refused once 16 MiB came out.
    @Test func aGzipBombIsRefusedEarly() throws {
        let zeros = [UInt8](repeating: 0x30, count: 64 << 20)
        let bomb = try #require(Gzip.deflate(zeros, level: 9))
        #expect(bomb.count < 200_000)
        var message = ""
        do {
            _ = try HistoryReader.read(bytes: bomb, name: "bomb.csv.gz")
        } catch let e as HistoryError {
            message = e.description
        }
        #expect(message.hasPrefix("bomb.csv.gz: the gzip data inflates more than 200 times ("), "\(message)")
        #expect(message.hasSuffix("refusing what looks like a decompression bomb; decompress it yourself if it really is a log"))
        #expect(message.count < 300)
    }

    @Test func gzipWithinTheCapsInflatesAndTheSizeCapHolds() throws {
        // 1 MiB of one byte: a ratio of about 1000, but below the 16 MiB floor.
        let ones = [UInt8](repeating: 0x31, count: 1 << 20)
        let packed = try #require(Gzip.deflate(ones))
        #expect(try Gzip.inflate(packed, name: "x.gz") == ones)
        var message = ""
        do { _ = try Gzip.inflate(packed, name: "x.gz", maxOutput: 1000) } catch let e as HistoryError { message = e.description }
        #expect(message == "x.gz: the gzip data inflates to more than 1000 bytes; decompress it and read the file uncompressed if it really is an event log")
    }

    // MARK: binary inputs and long lines

    @Test func binaryInputsAreNamed() throws {
        func message(_ bytes: [UInt8], _ name: String) -> String {
            do { _ = try HistoryReader.read(bytes: bytes, name: name) } catch let e as HistoryError { return e.description } catch {}
            return "(read)"
        }
        // The first bytes of an XLSX file: a zip whose first entry is below xl/.
        let xlsx: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 26) + Array("xl/workbook.xml".utf8)
        #expect(message(xlsx, "log.xlsx") == "log.xlsx: this looks like an XLSX workbook, not an event log; export it as CSV")
        #expect(message([0x50, 0x4B, 0x03, 0x04, 1, 2], "a.csv") == "a.csv: this looks like a ZIP archive, not an event log; extract the log from it")
        #expect(message(Array("BZh91AY&SY".utf8), "a.csv.bz2") == "a.csv.bz2: this looks like bzip2-compressed data, not an event log; decompress it (bunzip2) or recompress it with gzip")
        #expect(message([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0, 4], "a.xz") == "a.xz: this looks like xz-compressed data, not an event log; decompress it (unxz) or recompress it with gzip")
        #expect(message([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], "old.xls") == "old.xls: this looks like an Excel 97-2003 workbook (XLS), not an event log; export it as CSV")
        #expect(message(Array("case_id,activity\u{0}x\n".utf8), "n.csv") == "n.csv: this looks like a binary file (it holds NUL bytes), not an event log")
        // An xlsx inside gzip is still named.
        let wrapped = try #require(Gzip.deflate(xlsx))
        #expect(message(wrapped, "log.xlsx.gz") == "log.xlsx.gz: this looks like an XLSX workbook, not an event log; export it as CSV")
    }

    @Test func aHugeHeaderIsQuotedShortAndEscaped() throws {
        let long = String(repeating: "x", count: 100_000)
        let text = "\u{1B}[31mred,\(long),other\nc1,a,b\n"
        var message = ""
        do { _ = try readLog(text) } catch let e as HistoryError { message = e.description }
        #expect(message.hasPrefix("test.csv:1: no recognisable case, activity, timestamp column; columns found: '\\x1b[31mred', 'xxxxxxxx"), "\(message.prefix(200))")
        #expect(message.contains("… (100000 characters)', 'other'"))
        #expect(!message.contains("\u{1B}"))
        #expect(message.count < 300)
        // More than 20 columns: the rest are counted.
        let many = (0..<50).map { "c\($0)" }.joined(separator: ",") + "\n"
        do { _ = try readLog(many) } catch let e as HistoryError { message = e.description }
        #expect(message.hasSuffix("'c19' and 30 more"))
    }

    // MARK: honest outcomes

    @Test func skippedRowsLeaveNoPhantomCase() throws {
        let text = "case_id,activity,end_time\nc1,review,2024-01-01T10:00:00\nc2,ghost,not a time\n"
        let log = try readLog(text, HistoryOptions(skipBadRows: true))
        #expect(log.cases.map(\.id) == ["c1"])
        #expect(log.eventCount == 1)
        #expect(log.skipped.count == 1)
        #expect(inspect(log).activities.map(\.name) == ["review"])

        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Files.write(Array(text.utf8), to: dir + "/log.csv")
        try Files.write(Array(Self.flow.utf8), to: dir + "/w.flow")
        let out = runCLI(["replay", dir + "/w.flow", "--history", dir + "/log.csv", "--skip-bad-rows", "--format", "json"])
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(out.stdout.contains("\"cases\" : 1,") || out.stdout.contains("\"cases\": 1,"), "\(out.stdout.prefix(400))")
    }

    @Test func aLogThatMatchesNothingIsAnError() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Files.write(Array(Self.flow.utf8), to: dir + "/w.flow")
        let log = "case_id,activity,end_time\nc1,Reviw,2024-01-01T10:00:00\nc1,Publsh,2024-01-02T10:00:00\nc2,Reviw,2024-01-02T10:00:00\nc2,Other,2024-01-03T10:00:00\n"
        try Files.write(Array(log.utf8), to: dir + "/l.csv")
        let expected = """
        stagecraft: error: no activity in \(dir)/l.csv matches a stage or gate of \(dir)/w.flow: nothing to count
          most frequent activities in the log:
            'Reviw' (2 events): did you mean review?
            'Other' (1 event)
            'Publsh' (1 event): did you mean publish?
          stages and gates of the process: review, publish
        help: name the log's activities in each node's 'matches' (matches "Reviw"), or pick other columns with --activity-column

        """
        let replay = runCLI(["replay", dir + "/w.flow", "--history", dir + "/l.csv"])
        #expect(replay.exitCode == 1)
        #expect(replay.stdout == "")
        #expect(replay.stderr == expected)
        let simulate = runCLI(["simulate", dir + "/w.flow", "--history", dir + "/l.csv", "--runs", "10"])
        #expect(simulate.exitCode == 1)
        #expect(simulate.stderr == expected)
        // backtest and status calibrated on nothing and printed a perfect score / a forecast.
        for command in ["backtest", "status"] {
            let out = runCLI([command, dir + "/w.flow", "--history", dir + "/l.csv", "--runs", "10"])
            #expect(out.exitCode == 1, "\(command)")
            #expect(out.stdout == "", "\(command)")
            #expect(out.stderr == expected, "\(command)")
        }
        // One matching event is enough to go on.
        try Files.write(Array((log + "c3,review,2024-01-04T10:00:00\n").utf8), to: dir + "/l.csv")
        #expect(runCLI(["replay", dir + "/w.flow", "--history", dir + "/l.csv"]).exitCode == 0)
    }

    /// Names whose bytes differ only in invalid UTF-8 read as the same text: history counted
    /// two activities, the matcher one, and the draft made a stage of each.
    @Test func namesDifferingOnlyInInvalidBytesAreOneActivity() throws {
        var bytes = Array("case_id,activity,end_time\nc1,Open,2024-01-01T09:00:00\nc1,Rev".utf8) + [0xFF]
        bytes += Array("iew,2024-01-01T10:00:00\nc2,Open,2024-01-02T09:00:00\nc2,Rev".utf8) + [0xFE]
        bytes += Array("iew,2024-01-02T10:00:00\n".utf8)
        let log = try HistoryReader.read(bytes: bytes, name: "bad.csv")
        #expect(log.activities == ["Open", "Rev\u{FFFD}iew"])
        #expect(log.activityEventCounts == [2, 2])
        #expect(log.cases.map { $0.occurrences.map(\.activity) } == [[0, 1], [0, 1]])
        #expect(inspect(log).activities.map(\.count) == [2, 2])
        let draft = HistoryDraft.draft(log: log, name: "bad.csv")
        #expect(draft.components(separatedBy: "  stage ").count == 3, "\(draft)")
    }

    @Test func duplicateMatchFlagsTheDraftCollision() {
        // What `history draft` wrote for a log with "review" and "Review": two stages the
        // matcher cannot tell apart.
        let text = """
        workflow "w" {
          owner pm
          stage review { owner pm; sla 1bd; matches "review" }
          stage review_2 { after review; owner pm; sla 1bd; matches "Review" }
        }
        """
        #expect(diagnosticKeys(text) == ["duplicate-match 4:61"])
        let result = Checker.check(SourceFile(path: "d.flow", text: text))
        #expect(result.diagnostics.first?.message == "'Review' names the same activity as 'review' of 'review'; its events count only as 'review'")
    }

    // MARK: simulate bound

    @Test func aSimulationTooBigForMemoryIsRefusedUpFront() throws {
        let out = runCLI(["simulate", "-", "--cases", "1000000", "--arrival", "1d", "--runs", "100"], stdin: Self.flow)
        #expect(out.exitCode == 2)
        #expect(out.stderr == """
        stagecraft: error: 20 runs × 1000000 launches × 2 stages and gates = 40000000 node simulations (about 1.6 GB), beyond the 25000000 that simulate keeps in memory
        help: simulate fewer launches (--cases) or fewer portfolios (--runs)

        """)
        var chain = "workflow \"big\" {\n  owner pm\n  stage n0 { owner pm; sla 1bd }\n"
        for i in 1..<3000 { chain += "  stage n\(i) { after n\(i - 1); owner pm; sla 1bd }\n" }
        let plain = runCLI(["simulate", "-", "--runs", "10000"], stdin: chain + "}\n")
        #expect(plain.exitCode == 2)
        #expect(plain.stderr == "stagecraft: error: 10000 runs × 3000 stages and gates = 30000000 node simulations (about 1.2 GB), beyond the 25000000 that simulate keeps in memory\nhelp: use fewer --runs\n")
        #expect(throws: UsageError.self) { try SimulateCommand.checkSize(runs: Int.max, cases: 3, nodes: 5) }
        #expect(throws: UsageError.self) { try SimulateCommand.checkSize(runs: 10_000, cases: 1, nodes: 200_000) }
        #expect(throws: Never.self) { try SimulateCommand.checkSize(runs: 10_000, cases: 1, nodes: 2_500) }
    }

    // MARK: messages

    @Test func controlBytesAreShownEscapedInExcerpts() {
        let text = "workflow \"w\" {\n  owner pm\n  stage a { owner \u{1B}[2J pm; sla 1bd }\n}\n"
        let result = Checker.check(SourceFile(path: "esc.flow", text: text))
        let out = DiagnosticFormatter.text([result], color: false)
        #expect(!out.contains("\u{1B}"))
        #expect(out.contains("  stage a { owner \\x1b[2J pm; sla 1bd }\n"), "\(out)")
        #expect(Excerpt.escaped("a\u{7}b\u{202E}c\td") == "a\\x07b\\u{202e}c\td")
        #expect(Excerpt.quoted(String(repeating: "é", count: 70), limit: 3) == "ééé… (70 characters)")
    }

    @Test func jsonlColumnsCountCharactersOfTheLine() {
        let text = "{\"case\":\"c1\",\"activity\":\"a\",\"end_time\":\"2024-01-01T10:00:00Z\"}\n{\"case\":\"c1\",\"activity\":\"béé\", , \"end_time\":\"x\"}\n"
        var message = ""
        do { _ = try readLog(text, name: "l.jsonl") } catch let e as HistoryError { message = e.description } catch {}
        #expect(message == "l.jsonl:2: expected a key string at column 32")
    }

    @Test func impossibleDatesAreCalledImpossible() {
        let out = runCLI(["checklist", "-", "--start", "2026-02-30"], stdin: Self.flow)
        #expect(out.exitCode == 2)
        #expect(out.stderr.hasPrefix("stagecraft: error: --start: 2026-02-30 is not a real date: February 2026 has 28 days\n"))
        #expect(ParsedArguments.impossibleDate("2024-02-29") == nil)
        #expect(ParsedArguments.impossibleDate("2023-02-29") == "February 2023 has 28 days")
        #expect(ParsedArguments.impossibleDate("2026-13-01") == "there is no month 13")
        #expect(ParsedArguments.impossibleDate("26-1-1") == nil)
        let shape = runCLI(["checklist", "-", "--start", "next monday"], stdin: Self.flow)
        #expect(shape.stderr.hasPrefix("stagecraft: error: --start takes a date as YYYY-MM-DD, not 'next monday'\n"))
    }

    @Test func numbersAreEchoedAsWritten() {
        let text = "workflow \"w\" {\n  owner pm { capacity 99999999999999999999 }\n  stage a { owner pm; sla 1bd }\n}\n"
        let result = Checker.check(SourceFile(path: "n.flow", text: text))
        #expect(result.diagnostics.map(\.message) == ["capacity must be a whole number from 1 up, but is 99999999999999999999"])
    }

    @Test func singleEqualsInAConditionIsOneError() {
        let text = "workflow \"w\" {\n  param region: string = \"EU\"\n  owner pm\n  stage a { owner pm; sla 1bd; when region = \"EU\" }\n}\n"
        let result = Checker.check(SourceFile(path: "eq.flow", text: text))
        #expect(diagnosticKeys(text) == ["syntax 4:44"])
        #expect(result.diagnostics.first?.message == "'=' does not compare values; a condition tests equality with '=='")
        #expect(result.diagnostics.first?.help == "write region == \"EU\"")
    }

    @Test func aStatementThatFailedToParseHasNoKnockOns() {
        let text = "workflow \"w\" {\n  param p: bool = true\n  owner pm\n  owner qa\n  stage a { owner pm; sla 1 bd }\n  stage b { after a; owner qa; sla 1bd; when p and }\n}\n"
        #expect(diagnosticKeys(text) == ["syntax 5:27", "syntax 6:52"])
        // Without the syntax errors, the same rules still report.
        let clean = "workflow \"w\" {\n  param p: bool = true\n  owner pm\n  owner qa\n  stage a { owner pm }\n}\n"
        #expect(diagnosticKeys(clean) == ["unused-param 2:9", "unused-owner 4:9", "missing-sla 5:9"])
    }
}
