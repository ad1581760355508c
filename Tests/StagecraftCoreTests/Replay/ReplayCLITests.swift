import Foundation
import Testing
@testable import StagecraftHistory
@testable import StagecraftCLI

/// `stagecraft replay` and `stagecraft history` through the command line.
@Suite struct ReplayCLITests {
    let flow = replayFixtures + "/metrics.flow"
    let csv = replayFixtures + "/metrics.csv"

    /// Output with the fixture folder removed from paths, as if run inside it.
    func relative(_ s: String) -> String {
        s.replacingOccurrences(of: replayFixtures + "/", with: "")
    }

    @Test(arguments: [("text", "metrics.golden.txt"), ("json", "metrics.golden.json"), ("markdown", "metrics.golden.md")])
    func goldenOutputs(format: String, golden: String) throws {
        let out = runCLI(["replay", flow, "--history", csv, "--format", format])
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(out.stderr.isEmpty)
        let expected = try replayFixture(golden)
        #expect(relative(out.stdout) == expected)
    }

    @Test func jsonParsesAndCarriesTheSpecKeys() throws {
        let out = runCLI(["replay", flow, "--history", csv, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(object["format_version"] as? Int == 1)
        let history = try #require(object["history"] as? [String: Any])
        #expect(history["cases"] as? Int == 4 && history["events"] as? Int == 11)
        let stages = try #require(object["stages"] as? [[String: Any]])
        for key in ["id", "count", "processing", "waiting", "sojourn", "sla_s", "sla_breaches", "rework_cases"] {
            #expect(stages[0][key] != nil, "stages[].\(key)")
        }
        let cases = try #require(object["cases"] as? [String: Any])
        #expect(cases["conforming"] as? Int == 2 && cases["lead_time"] is [String: Any])
        for key in ["violations", "owners", "bottlenecks"] { #expect(object[key] is [Any], "\(key)") }
    }

    @Test func nullStatisticsWhenNothingWasMeasured() throws {
        // A node that never occurs: every statistic is null, counts are 0. (`s` answers to
        // the log's activity A: a log in which nothing matches is an error of its own.)
        let text = "workflow \"W\" {\n  owner o\n  stage s \"A\" { owner o }\n  stage t { after s; owner o }\n}\n"
        let out = runCLI(["replay", "-", "--history", csv, "--format", "json"], stdin: text)
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(out.stdout.contains("\"id\": \"t\",\n      \"kind\": \"stage\",\n      \"activities\": [],\n      \"count\": 0"))
        #expect(out.stdout.contains("\"processing\": null,\n      \"waiting\": null,\n      \"sojourn\": null"))
    }

    @Test func definitionWithErrorsExitsOne() {
        let text = "workflow \"W\" {\n  stage s { owner nobody }\n}\n"
        let out = runCLI(["replay", "-", "--history", csv], stdin: text)
        #expect(out.exitCode == 1)
        #expect(out.stderr.contains("[unknown-reference]"))
        #expect(out.stdout.isEmpty)
    }

    @Test func malformedRowGivesItsLineAndExitTwo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stagecraft-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("bad.csv").path
        try "case_id,activity,start_time,end_time\nc1,A,2024-01-02T09:00:00,2024-01-02T10:00:00\nc1,B,soon,2024-01-02T11:00:00\n"
            .write(toFile: log, atomically: true, encoding: .utf8)
        let out = runCLI(["replay", flow, "--history", log])
        #expect(out.exitCode == 2)
        #expect(out.stderr == "stagecraft: error: \(log):3: column 'start_time': malformed timestamp 'soon' (tried YYYY-MM-DD and YYYY/MM/DD, alone or with THH:MM[:SS[.fff]] or ' HH:MM[:SS[.fff]]', and a zone Z, +HH:MM, +HHMM or +HH); give its layout with --timestamp-format, e.g. '%d/%m/%Y %H:%M'\n")
        // With --skip-bad-rows the row is counted and the rest replayed.
        let skipped = runCLI(["replay", flow, "--history", log, "--skip-bad-rows", "--format", "json"])
        #expect(skipped.exitCode == 0)
        #expect(skipped.stdout.contains("\"skipped_rows\": 1,"))
        #expect(skipped.stdout.contains("\"unobserved_stages\": [\n      \"b\"\n    ]"))
    }

    @Test(arguments: [
        (["replay", "x.flow"], "replay needs --history LOG"),
        (["replay", "--history", "x.csv"], "replay needs a FILE"),
        (["replay", "a.flow", "b.flow", "--history", "x.csv"], "replay takes one FILE, not 2"),
        (["replay", "x.flow", "--history", "x.csv", "--format", "html"], "unknown format 'html'"),
        (["replay", "x.flow", "--history", "x.csv", "--history-format", "parquet"], "unknown history format 'parquet'"),
        (["replay", "x.flow", "--history", "x.csv", "--timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
        (["replay", "x.flow", "--history", "x.csv", "--delimiter", ";;"], "--delimiter takes one ASCII character or 'tab', not ';;'"),
        (["replay", "x.flow", "--history", "x.csv", "--end-column", "a", "--timestamp-column", "b"],
         "--end-column 'a' and --timestamp-column 'b' name different columns"),
        (["replay", "x.flow", "--history", "x.csv", "--case-colum", "id"], "unknown option '--case-colum'"),
        (["replay", "-", "--history", "-"], "FILE and --history cannot both be standard input"),
        (["history"], "history needs an action: inspect or draft"),
        (["history", "inspekt", "x.csv"], "unknown history action 'inspekt'"),
        (["history", "inspect"], "history inspect needs a LOG"),
        (["history", "inspect", "x.csv", "-o", "y.flow"], "unknown option '-o'"),
    ])
    func usageErrors(args: [String], message: String) {
        let out = runCLI(args)
        #expect(out.exitCode == 2)
        #expect(out.stderr.hasPrefix("stagecraft: error: \(message)\n"), "\(out.stderr)")
    }

    @Test func missingFilesExitTwo() {
        let noFlow = runCLI(["replay", "/nonexistent/x.flow", "--history", csv])
        #expect(noFlow.exitCode == 2 && noFlow.stderr.contains("/nonexistent/x.flow: no such file or directory"))
        let noLog = runCLI(["replay", flow, "--history", "/nonexistent/x.csv"])
        #expect(noLog.exitCode == 2 && noLog.stderr.hasPrefix("stagecraft: error: /nonexistent/x.csv: cannot open file"))
    }

    @Test func historyOptionsReachTheReader() throws {
        // Semicolons, odd column names, naive times in Amsterdam (UTC+1 in January).
        let log = "id;what;from;to;who\n1;A;2024-01-02 10:00:00;2024-01-02 11:00:00;alice\n"
        let out = runCLI(["replay", flow, "--history", "-", "--format", "json", "--delimiter", ";",
                          "--case-column", "id", "--activity-column", "what", "--start-column", "from",
                          "--timestamp-column", "to", "--resource-column", "who", "--timezone", "Europe/Amsterdam",
                          "--history-format", "csv"], stdin: log)
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(out.stdout.contains("\"first\": \"2024-01-02T09:00:00Z\""))
        #expect(out.stdout.contains("\"resource\": \"alice\",\n      \"owner\": \"eng\""))
    }

    @Test func optionsFromParsedArguments() throws {
        let args = try ParsedArguments.parse(
            ["--history-format", "XES", "--end-column", "done", "--lifecycle-column", "lc", "--delimiter", "tab",
             "--skip-bad-rows", "--dedupe"],
            spec: HistoryCLIOptions.group.options)
        let o = try HistoryCLIOptions.options(from: args)
        #expect(o.format == .xes && o.delimiter == 9 && o.skipBadRows && o.dedupe && o.timeZone == nil)
        #expect(o.columns == [.end: "done", .lifecycle: "lc"])
        let none = try HistoryCLIOptions.options(from: ParsedArguments())
        #expect(none == HistoryOptions())
    }

    @Test func historyInspectPrintsTheInspection() {
        let out = runCLI(["history", "inspect", csv])
        #expect(out.exitCode == 0)
        #expect(out.stdout.contains("cases: 4\nevents: 11\n"))
        #expect(out.stdout.hasSuffix("activities: 3\n  5  A\n  5  B\n  1  X\n"))
    }

    @Test func helpTexts() {
        #expect(runCLI(["help", "replay"]).stdout.contains("--timestamp-column"))
        #expect(runCLI(["history", "--help"]).stdout.contains("stagecraft history draft LOG [-o FILE]"))
    }
}
