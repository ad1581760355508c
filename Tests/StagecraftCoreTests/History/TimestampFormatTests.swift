import Foundation
import Testing
@testable import StagecraftHistory
@testable import StagecraftSimulation

/// `--timestamp-format`: strftime-style layouts, their errors, and the hint the auto-detection
/// gives when it cannot read a timestamp.
@Suite struct TimestampFormatTests {
    func parse(_ text: String, _ pattern: String, zone: String? = nil) throws -> Double? {
        var p = TimestampParser(timeZone: zone.flatMap { TimeZone(identifier: $0) }, format: try TimestampFormat(pattern))
        return p.parse(text)
    }

    @Test func directivesReadWhatTheyName() throws {
        #expect(try parse("14/12/2026 10:00", "%d/%m/%Y %H:%M") == utc(2026, 12, 14, 10))
        #expect(try parse("3/7/26 9:05", "%m/%d/%y %H:%M") == utc(2026, 3, 7, 9, 5))
        #expect(try parse("1/1/69", "%m/%d/%y") == utc(1969, 1, 1))
        #expect(try parse("Dec 14, 2026 12:30:15 AM", "%b %d, %Y %I:%M:%S %p") == utc(2026, 12, 14, 0, 30, 15))
        #expect(try parse("december  7 2026 01:00 pm", "%B %e %Y %I:%M %p") == utc(2026, 12, 7, 13))
        #expect(try parse("2026-12-14 10:00:00.25", "%F %T.%f") == utc(2026, 12, 14, 10, 0, 0, ms: 250))
        #expect(try parse("2026.348 23:59", "%Y.%j %H:%M") == utc(2026, 12, 14, 23, 59))
        #expect(try parse("2024.366", "%Y.%j") == utc(2024, 12, 31))
        #expect(try parse("14/Dec/2026:10:00:00 +0100", "%d/%b/%Y:%H:%M:%S %z") == utc(2026, 12, 14, 9))
        #expect(try parse("2026-12-14 10:00 -05:30", "%Y-%m-%d %H:%M %z") == utc(2026, 12, 14, 15, 30))
        #expect(try parse("2026-12-14 10:00 Z", "%Y-%m-%d %H:%M %z") == utc(2026, 12, 14, 10))
        #expect(try parse("Mon, 14 Dec 2026 10:00:00 GMT", "%a, %d %b %Y %H:%M:%S %Z") == utc(2026, 12, 14, 10))
        #expect(try parse("2026-07-01 10:00 Europe/Amsterdam", "%Y-%m-%d %H:%M %Z") == utc(2026, 7, 1, 8))
        #expect(try parse("1798768800", "%s") == utc(2027, 1, 1, 2))
        #expect(try parse("100% 2026-12-14", "100%% %F") == utc(2026, 12, 14))
        // Naive times are in --timezone (Amsterdam is UTC+1 in December).
        #expect(try parse("14/12/2026 10:00", "%d/%m/%Y %H:%M", zone: "Europe/Amsterdam") == utc(2026, 12, 14, 9))
    }

    @Test func mismatchesSayWhereAndWhy() throws {
        var p = TimestampParser(timeZone: nil, format: try TimestampFormat("%d/%m/%Y %H:%M"))
        let cases: [(String, String)] = [
            ("2026-12-14 10:00", "at character 3: expected '/'"),
            ("14/13/2026 10:00", "at character 4: month 13 does not exist (%m)"),
            ("30/02/2026 10:00", "at character 1: 2026-02-30 does not exist"),
            ("14/12/26 10:00", "at character 7: expected a 4-digit year (%Y)"),
            ("14/12/2026 10:00:00", "at character 17: unexpected text after the timestamp"),
            ("14/12/2026 24:00", "at character 12: hour 24 does not exist (%H)"),
        ]
        for (text, reason) in cases {
            #expect(p.parse(text) == nil)
            #expect(p.malformed(text) == "timestamp '\(text)' does not fit --timestamp-format '%d/%m/%Y %H:%M' \(reason)")
        }
    }

    @Test func patternsWithoutADateOrWithUnknownDirectivesAreRefused() {
        let cases: [(String, String)] = [
            ("%H:%M", "--timestamp-format '%H:%M' does not give a full date"),
            ("%d/%m %H:%M", "--timestamp-format '%d/%m %H:%M' does not give a full date"),
            ("%Y-%m-%d %Q", "--timestamp-format '%Y-%m-%d %Q' has an unknown directive '%Q'"),
            ("%Y-%m-%d %", "--timestamp-format '%Y-%m-%d %' ends with a lone '%'"),
            ("%m/%d/%Y %I:%M", "--timestamp-format '%m/%d/%Y %I:%M' uses %I (12-hour clock) without %p"),
        ]
        for (pattern, message) in cases {
            #expect(throws: TimestampFormat.PatternError.self) { try TimestampFormat(pattern) }
            do {
                _ = try TimestampFormat(pattern)
            } catch {
                #expect(error.message == message)
            }
        }
    }

    @Test func autoDetectionNamesTheLayoutThatWouldReadIt() {
        let tried = "(tried YYYY-MM-DD and YYYY/MM/DD, alone or with THH:MM[:SS[.fff]] or ' HH:MM[:SS[.fff]]', "
            + "and a zone Z, +HH:MM, +HHMM or +HH)"
        #expect(TimestampParser.malformed("14/12/2026 10:00")
            == "malformed timestamp '14/12/2026 10:00' \(tried); it reads with --timestamp-format '%d/%m/%Y %H:%M'")
        // Day and month both read 01/02: both orders are named.
        #expect(TimestampParser.malformed("01/02/2026 10:00")
            == "malformed timestamp '01/02/2026 10:00' \(tried); it reads with --timestamp-format '%d/%m/%Y %H:%M' (or '%m/%d/%Y %H:%M')")
        #expect(TimestampParser.malformed("12/31/2026 5:00 PM")
            == "malformed timestamp '12/31/2026 5:00 PM' \(tried); it reads with --timestamp-format '%m/%d/%Y %I:%M %p'")
        #expect(TimestampParser.malformed("soon")
            == "malformed timestamp 'soon' \(tried); give its layout with --timestamp-format, e.g. '%d/%m/%Y %H:%M'")
        #expect(TimestampParser.malformed("2026-02-30 10:00")
            == "impossible date in timestamp '2026-02-30 10:00': 2026-02-30 does not exist")
    }

    @Test func csvJsonlAndXesReportTheColumnInCharactersOfTheLine() throws {
        let options = HistoryOptions(timestampFormat: try TimestampFormat("%d/%m/%Y %H:%M"))
        let csv = "case,activity,end_time\nc1,A,14/12/2026 10:00\nc1,Bé,2026-12-15 11:30\n"
        #expect(throws: HistoryError(file: "j.csv", line: 3, column: "end_time", message:
            "timestamp '2026-12-15 11:30' does not fit --timestamp-format '%d/%m/%Y %H:%M' at column 9: expected '/'")) {
            try readLog(csv, name: "j.csv", options)
        }
        let jsonl = "{\"case\":\"c1\",\"activity\":\"Bé\",\"timestamp\":\"14/12/2026 1:00pm\"}\n"
        #expect(throws: HistoryError(file: "j.jsonl", line: 1, column: "timestamp", message:
            "timestamp '14/12/2026 1:00pm' does not fit --timestamp-format '%d/%m/%Y %H:%M' at column 58: unexpected text after the timestamp")) {
            try readLog(jsonl, name: "j.jsonl", options)
        }
        let xes = """
        <log><trace><string key="concept:name" value="c1"/>
        <event><string key="concept:name" value="A"/><date key="time:timestamp" value="14-12-2026 10:00"/></event>
        </trace></log>
        """
        #expect(throws: HistoryError(file: "j.xes", line: 2, column: "time:timestamp", message:
            "timestamp '14-12-2026 10:00' does not fit --timestamp-format '%d/%m/%Y %H:%M' at column 82: expected '/'")) {
            try readLog(xes, name: "j.xes", options)
        }
        // With the format, the Jira-style log reads and inspect names the layout.
        let log = try readLog("case,activity,end_time\nc1,A,14/12/2026 10:00\nc1,B,15/12/2026 11:30\n", name: "j.csv", options)
        #expect(log.cases[0].occurrences.map(\.end) == [utc(2026, 12, 14, 10), utc(2026, 12, 15, 11, 30)])
        #expect(log.detection.timestampFormats.map(\.format) == ["%d/%m/%Y %H:%M"])
    }

    /// Hostile layouts and values: every pattern either compiles or is refused, and every value
    /// either reads or says where it stops fitting, within the value.
    @Test func randomPatternsAndValuesNeverCrash() {
        var rng = SeededGenerator(seed: 16)
        let alphabet = Array("%YymdeHIMSjpbBafzZsTFRD%% :/.-,T+Z0123456789AMPamDecxé\u{0}\u{FFFD}")
        let tokens = ["%Y", "%y", "%m", "%d", "%e", "%H", "%I", "%M", "%S", "%j", "%p", "%b", "%a", "%f", "%z", "%Z",
                      "%s", "%T", "%F", "%R", "%D", "%%", " ", ":", "/", "-", ".", "%Q", "%", "é"]
        var compiled = 0
        for _ in 0..<3000 {
            let pattern = (0..<Int.random(in: 0...8, using: &rng)).map { _ in tokens.randomElement(using: &rng)! }.joined()
            let value = String((0..<Int.random(in: 0...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            guard let format = try? TimestampFormat(pattern) else { continue }
            compiled += 1
            var p = TimestampParser(timeZone: TimeZone(identifier: "Europe/Amsterdam"), format: format)
            if p.parse(value) == nil {
                let m = p.mismatch
                #expect(m != nil && m!.offset >= 0 && m!.offset <= value.utf8.count, "\(pattern) \(value)")
                _ = p.malformed(value, column: 3)
            }
            _ = TimestampParser.malformed(value)
        }
        #expect(compiled > 50)
    }

    @Test func everyLogReadingCommandTakesTheOption() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stagecraft-tsf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("jira.csv").path
        try "case,activity,end_time\nc1,A,14/12/2026 10:00\nc1,B,15/12/2026 11:30\n"
            .write(toFile: log, atomically: true, encoding: .utf8)
        let flow = dir.appendingPathComponent("w.flow").path
        try "workflow \"W\" {\n  owner o\n  stage a \"A\" { owner o }\n  stage b \"B\" { after a; owner o }\n}\n"
            .write(toFile: flow, atomically: true, encoding: .utf8)
        let without = runCLI(["replay", flow, "--history", log])
        #expect(without.exitCode == 2)
        #expect(without.stderr.hasSuffix("it reads with --timestamp-format '%d/%m/%Y %H:%M'\n"))
        let format = ["--timestamp-format", "%d/%m/%Y %H:%M"]
        for args in [["replay", flow, "--history", log], ["history", "inspect", log], ["history", "draft", log],
                     ["simulate", flow, "--history", log, "--runs", "2"], ["backtest", flow, "--history", log, "--runs", "2"],
                     ["status", flow, "--history", log, "--runs", "2"], ["report", flow, "--history", log, "-o", "-"]] {
            let out = runCLI(args + format)
            #expect(!out.stderr.contains("timestamp"), "\(args[0]): \(out.stderr)")
            #expect(!out.stderr.contains("unknown option"), "\(args[0]): \(out.stderr)")
        }
        let bad = runCLI(["history", "inspect", log, "--timestamp-format", "%H:%M"])
        #expect(bad.exitCode == 2)
        #expect(bad.stderr == "stagecraft: error: --timestamp-format '%H:%M' does not give a full date\n"
            + "help: use %Y or %y with %m (or %b) and %d, or %j; or %s for seconds since the epoch\n")
    }
}
