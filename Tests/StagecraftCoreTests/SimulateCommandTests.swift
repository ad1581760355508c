import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftHistory
@testable import StagecraftSimulation
@testable import StagecraftCLI

/// `stagecraft simulate` end to end, in process.
@Suite struct SimulateCommandTests {
    static let launch = repositoryRoot + "/examples/launch/launch.flow"
    static let ga = repositoryRoot + "/workflows/ga-launch.flow"

    /// Runs the CLI and makes paths under the repository relative, for golden files.
    static func run(_ args: [String], stdin: String = "") -> CommandOutput {
        var out = runCLI(args, stdin: stdin)
        out.stdout = out.stdout.replacingOccurrences(of: repositoryRoot + "/", with: "")
        return out
    }

    static func json(_ out: CommandOutput) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
    }

    // Two stages of 5 days for one owner of capacity 1: 10 days in series, 5 with capacity 2.
    static let twoParallel = """
        workflow "Two" {
          deadline 7d
          owner eng
          stage a { owner eng; sla 5d; estimate 5d..5d }
          stage b { owner eng; sla 5d; estimate 5d..5d }
        }
        """

    // MARK: - Golden output

    @Test func goldenText() {
        let out = Self.run(["simulate", Self.launch, "--start", "2026-12-01", "--seed", "7", "--runs", "2000"])
        #expect(out.exitCode == 0)
        #expect(out.stderr == "")
        expectGolden(out.stdout, "simulate/launch.txt")
    }

    @Test func goldenJSON() {
        let out = Self.run(["simulate", Self.launch, "--start", "2026-12-01", "--seed", "7", "--runs", "2000", "--format", "json"])
        #expect(out.exitCode == 0)
        expectGolden(out.stdout, "simulate/launch.json")
    }

    @Test func goldenPortfolioText() {
        let out = Self.run(["simulate", Self.launch, "--seed", "7", "--runs", "50", "--cases", "12", "--arrival", "3bd"])
        #expect(out.exitCode == 0)
        expectGolden(out.stdout, "simulate/launch-portfolio.txt")
    }

    @Test func goldenCompareText() {
        let out = Self.run(["simulate", Self.ga, "--start", "2026-12-01", "--seed", "7", "--runs", "2000",
                            "--compare", "", "launch_tier=T1 handles_pii=true capacity:qa=2"])
        #expect(out.exitCode == 0)
        expectGolden(out.stdout, "simulate/ga-launch-compare.txt")
    }

    // MARK: - Determinism and the acceptance run

    @Test func acceptanceRunIsIdenticalTwice() {
        let args = ["simulate", Self.ga, "--start", "2026-12-01", "--seed", "7"]
        let first = Self.run(args), second = Self.run(args)
        #expect(first.exitCode == 0)
        #expect(first.stdout == second.stdout)
        #expect(first.stderr == second.stderr)
        let lines = first.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].hasPrefix("85% chance of finishing by 2027-"))
        #expect(lines[0].contains("; the deadline 2027-"))
        #expect(lines[0].contains("is on the critical path in "))
        #expect(first.stdout.contains("\nLead time\n"))
        #expect(first.stdout.contains("\n  P85 "))
        #expect(first.stdout.contains("\nCritical nodes (share of runs on the critical path)\n"))
        #expect(first.stderr == "stagecraft: warning: no estimate for design_review, go_no_go, announce, launch_complete: the SLA is used as a fixed duration, so the forecast has no spread for them\n")
    }

    @Test func jsonIsIdenticalTwiceAndDependsOnTheSeed() {
        let args = ["simulate", Self.launch, "--runs", "300", "--format", "json", "--cases", "4", "--arrival", "1w"]
        let a = Self.run(args), b = Self.run(args)
        #expect(a.stdout == b.stdout)
        let c = Self.run(args + ["--seed", "2"])
        #expect(c.stdout != a.stdout)
    }

    // MARK: - Hand-computed forecasts

    @Test func capacityFlagHalvesTheLeadTime() throws {
        let serial = try Self.json(Self.run(["simulate", "-", "--runs", "10", "--format", "json"], stdin: Self.twoParallel))
        let lead = try #require(serial["lead_time"] as? [String: Double])
        #expect(lead["p50_s"] == 864_000)
        #expect(lead["p95_s"] == 864_000)
        #expect(serial["deadline_probability"] as? Double == 0)
        let owners = try #require(serial["owners"] as? [[String: Any]])
        // Queue delays 0 (a) and 5d (b) in each run: mean 2.5d; P95 of ten 0s and ten 5ds is 5d.
        #expect(owners[0]["queue_delay_mean_s"] as? Double == 216_000)
        #expect(owners[0]["queue_delay_p95_s"] as? Double == 432_000)
        #expect(owners[0]["utilisation"] as? Double == 1)
        let nodes = try #require(serial["nodes"] as? [[String: Any]])
        #expect(nodes.map { $0["capacity_delay_mean_s"] as? Double } == [0, 432_000])

        let parallel = try Self.json(Self.run(["simulate", "-", "--runs", "10", "--format", "json", "--capacity", "eng=2"],
                                              stdin: Self.twoParallel))
        #expect((parallel["lead_time"] as? [String: Double])?["p50_s"] == 432_000)
        #expect(parallel["deadline_probability"] as? Double == 1)
    }

    @Test func startGivesCompletionDatesAndTheDeadlineDate() throws {
        // Kickoff Tue 2026-12-01 09:00; 10 elapsed days later is Fri 2026-12-11 09:00.
        let out = Self.run(["simulate", "-", "--runs", "5", "--start", "2026-12-01"], stdin: Self.twoParallel)
        // The 7d deadline counts the kickoff day as day 1 (as the checklist does): it ends
        // with Mon 2026-12-07.
        #expect(out.stdout.hasPrefix("85% chance of finishing by 2026-12-11; the deadline 2026-12-07 is met in 0% of runs; the critical path is the same in every run.\n"))
        let j = try Self.json(Self.run(["simulate", "-", "--runs", "5", "--start", "2026-12-01", "--format", "json"], stdin: Self.twoParallel))
        #expect(j["kickoff"] as? String == "2026-12-01T09:00:00Z")
        #expect(j["completion"] as? [String: String] == ["p50": "2026-12-11T09:00:00Z", "p85": "2026-12-11T09:00:00Z", "p95": "2026-12-11T09:00:00Z"])
        #expect((j["deadline"] as? [String: Any])?["date"] as? String == "2026-12-07T23:59:59Z")
    }

    @Test func withoutStartTheOutputSaysHowItKicksOff() throws {
        let out = Self.run(["simulate", "-", "--runs", "5"], stdin: Self.twoParallel)
        #expect(out.stdout.hasPrefix("85% chance of finishing within 10.0d; the 7d deadline is met in 0% of runs;"))
        #expect(out.stdout.contains("no --start given, so each run starts at 09:00 on a Monday with no holidays and no dates are forecast."))
        let j = try Self.json(Self.run(["simulate", "-", "--runs", "5", "--format", "json"], stdin: Self.twoParallel))
        #expect(j["kickoff"] as? String == "2024-01-01T09:00:00Z")
        #expect(j["kickoff_given"] as? Bool == false)
        #expect(j["completion"] as? [String: NSNull] != nil)
        #expect(j["deadline_probability"] as? Double == 0)
    }

    @Test func businessDayLeadTimesWhenTheDeadlineIsInBusinessDays() {
        // 5bd from Monday 09:00 is the next Monday 09:00: 7 elapsed days, 5 business days.
        let out = Self.run(["simulate", "-", "--runs", "3"], stdin: """
            workflow "B" {
              deadline 4bd
              owner o
              stage s { owner o; sla 5bd; estimate 5bd..5bd }
            }
            """)
        #expect(out.stdout.hasPrefix("85% chance of finishing within 5.0 business days; the 4bd deadline is met in 0% of runs;"))
        #expect(out.stdout.contains("\n  P50           5.0bd\n"))
    }

    @Test func compareReportsTheDifference() throws {
        let j = try Self.json(Self.run(["simulate", "-", "--runs", "10", "--format", "json", "--compare", "", "capacity:eng=2"],
                                       stdin: Self.twoParallel))
        #expect(j["mode"] as? String == "compare")
        let diff = try #require(j["difference"] as? [String: Double])
        #expect(diff["p50_s"] == -432_000)
        #expect(diff["p85_s"] == -432_000)
        #expect(diff["deadline_probability"] == 1)
        let scenarios = try #require(j["scenarios"] as? [[String: Any]])
        #expect(scenarios.map { $0["spec"] as? String } == ["", "capacity:eng=2"])
        let text = Self.run(["simulate", "-", "--runs", "10", "--compare", "", "capacity:eng=2"], stdin: Self.twoParallel)
        #expect(text.stdout.hasPrefix("Scenario B (capacity:eng=2) finishes 5.0d sooner than A (as given) at P85 and meets the deadline in 100% of runs instead of 0%.\n"))
        #expect(text.stdout.contains("  deadline met           0%            100%  +100 pts\n"))
    }

    // MARK: - Portfolio and the emitted log

    @Test func portfolioRunsAreReducedToTheCapAndSaySo() {
        #expect(SimulateCommand.portfolioRuns(requested: 10_000, cases: 200) == (10_000, nil))
        let (runs, note) = SimulateCommand.portfolioRuns(requested: 10_000, cases: 5_000)
        #expect(runs == 4_000)
        #expect(note == "5000 launches × 10000 runs exceeds 20000000 simulated launches: using 4000 runs")
        #expect(SimulateCommand.portfolioRuns(requested: 10, cases: 1_000_000).runs == 10)
        #expect(SimulateCommand.portfolioRuns(requested: 100, cases: 30_000_000).runs == 1)
    }

    @Test func portfolioSharesTheOwner() throws {
        // Two launches a day apart on the serial plan: the second waits for the first.
        let j = try Self.json(Self.run(["simulate", "-", "--runs", "4", "--format", "json", "--cases", "2", "--arrival", "1d"],
                                       stdin: Self.twoParallel))
        #expect(j["mode"] as? String == "portfolio")
        let instances = try #require(j["instances"] as? [[String: Any]])
        #expect(instances.map { $0["case"] as? String } == ["case-1", "case-2"])
        #expect(instances.map { $0["arrival"] as? String } == ["2024-01-01T09:00:00Z", "2024-01-02T09:00:00Z"])
        // Case 1: a 0–5d, b 5–10d. Case 2's a and b queue behind them: 10–15d, 15–20d,
        // so it finishes 19 days after its arrival.
        #expect(instances.map { $0["lead_time_mean_s"] as? Double } == [864_000, 19 * 86_400])
        #expect((j["makespan"] as? [String: Double])?["p50_s"] == 1_728_000.0)
    }

    @Test func emittedLogRoundTripsThroughTheHistoryReader() throws {
        let dir = NSTemporaryDirectory() + "stagecraft-simulate-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/sim.csv"
        let out = Self.run(["simulate", Self.launch, "--cases", "20", "--arrival", "2d", "--runs", "20", "--emit-log", path,
                            "--format", "json"])
        #expect(out.exitCode == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["sim.csv"])
        let j = try Self.json(out)
        let emitted = try #require(j["event_log"] as? [String: Any])
        #expect(emitted["cases"] as? Int == 20)
        let recorded = try #require(emitted["nodes"] as? [[String: Any]])

        // Read it back as history: processing means per node agree to the millisecond.
        let log = try HistoryReader.read(path: path)
        #expect(log.cases.count == 20)
        #expect(log.eventCount == emitted["rows"] as? Int)
        let result = Checker.check(SourceFile(path: Self.launch, bytes: try Files.read(Self.launch)))
        let model = try #require(result.model)
        let c = HistoryCalibration(log: log, model: model)
        for node in recorded {
            let id = try #require(node["id"] as? String)
            let i = try #require(model.nodeIndex[id])
            let times = c.processingTimes[i]
            #expect(times.count == node["rows"] as? Int)
            let mean = times.reduce(0, +) / Double(times.count)
            #expect(abs(mean - (node["processing_mean_s"] as? Double ?? -1)) < 0.001, "\(id)")
        }
        #expect(c.unmapped.isEmpty)

        // And calibrating from it makes every mapped node draw from history.
        let calibrated = try Self.json(Self.run(["simulate", Self.launch, "--runs", "50", "--history", path, "--format", "json"]))
        let sources = (calibrated["nodes"] as? [[String: Any]] ?? []).map { $0["duration_source"] as? String }
        #expect(sources == ["history", "history", "history", "history", "history", "history"])
        #expect((calibrated["history"] as? [String: Any])?["cases"] as? Int == 20)
    }

    @Test func emittedLogIsTheSameTwice() throws {
        let dir = NSTemporaryDirectory() + "stagecraft-simulate-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = Self.run(["simulate", Self.launch, "--runs", "5", "--emit-log", dir + "/a.csv"])
        _ = Self.run(["simulate", Self.launch, "--runs", "5", "--emit-log", dir + "/b.csv"])
        let a = try Files.read(dir + "/a.csv"), b = try Files.read(dir + "/b.csv")
        #expect(a == b)
        #expect(String(decoding: a, as: UTF8.self).hasPrefix("case_id,activity,resource,start_time,end_time\ncase-1,Write PRD,pm,2024-01-01T09:00:00Z,"))
    }

    // MARK: - Errors

    @Test(arguments: [
        (["--set", "nope=1"], "unknown param 'nope' in --set"),
        (["--set", "handles_pii=maybe"], "param 'handles_pii' is a bool, so --set handles_pii= takes true or false, not 'maybe'"),
        (["--capacity", "engg=2"], "unknown owner 'engg'"),
        (["--capacity", "eng=0"], "capacity of 'eng' must be a whole number from 1 to 1000000, not '0'"),
        (["--capacity", "eng"], "--capacity takes OWNER=N, not 'eng'"),
        (["--start", "2026-13-01"], "--start: 2026-13-01 is not a real date: there is no month 13"),
        (["--start", "tomorrow"], "--start takes a date as YYYY-MM-DD, not 'tomorrow'"),
        (["--start", "1899-12-31"], "--start takes a date from 1900-01-01 to 9999-12-31, not '1899-12-31'"),
        (["--cases", "3"], "--cases needs --arrival (or --history, whose case starts set it)"),
        (["--arrival", "2d"], "--arrival needs --cases"),
        (["--cases", "3", "--arrival", "2 days"], "--arrival takes history, exp(DURATION) or a duration such as 30m, 4h, 2d, 1w or 3bd, not '2 days'"),
        (["--cases", "0", "--arrival", "2d"], "--cases takes a whole number from 1 to 1000000, not '0'"),
        (["--runs", "0"], "--runs takes a whole number from 1 to 1000000, not '0'"),
        (["--seed", "-1"], "--seed takes a whole number from 0 to 18446744073709551615, not '-1'"),
        (["--format", "xml"], "unknown format 'xml'"),
        (["--compare", "x=1"], "--compare needs two scenarios"),
        (["--compare", "", "capacity:nobody=2"], "unknown owner 'nobody'"),
        (["--timezone", "Europe/Paris"], "--timezone applies to --history, which is not given"),
        (["--history", "/nonexistent/log.csv"], "/nonexistent/log.csv: cannot open file: No such file or directory"),
        (["--history", "x.csv", "--history-format", "xml"], "unknown history format 'xml'"),
        (["--history", "x.csv", "--delimiter", ";;"], "--delimiter takes one ASCII character or 'tab', not ';;'"),
        (["--compare", "", "x", "--cases", "2", "--arrival", "1d"], "--compare forecasts one launch per scenario; it cannot be combined with --cases"),
        (["extra.flow"], "simulate takes one FILE, not 2"),
    ])
    func usageErrorsExitTwo(extra: [String], message: String) {
        let out = Self.run(["simulate", Self.launch, "--runs", "10"] + extra)
        #expect(out.exitCode == 2)
        #expect(out.stdout == "")
        #expect(out.stderr.hasPrefix("stagecraft: error: \(message)\n"), "\(out.stderr)")
    }

    @Test func historyColumnFlagsAndBadRows() throws {
        let dir = NSTemporaryDirectory() + "stagecraft-simulate-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/h.csv"
        try Data("""
            ticket;step;began;finished
            t1;a;2026-01-05 09:00:00;2026-01-06 09:00:00
            t1;b;2026-01-06 09:00:00;not a time
            t2;a;2026-01-05 09:00:00;2026-01-05 21:00:00

            """.utf8).write(to: URL(fileURLWithPath: path))
        let base = ["simulate", "-", "--runs", "10", "--format", "json", "--history", path, "--case-column", "ticket",
                    "--activity-column", "step", "--start-column", "began", "--end-column", "finished"]
        let strict = Self.run(base, stdin: Self.twoParallel)
        #expect(strict.exitCode == 2)
        #expect(strict.stderr.hasPrefix("stagecraft: error: \(path):3: "))
        let lenient = Self.run(base + ["--skip-bad-rows"], stdin: Self.twoParallel)
        #expect(lenient.exitCode == 0)
        let j = try Self.json(lenient)
        let nodes = try #require(j["nodes"] as? [[String: Any]])
        // a: 1d and 12h recorded; b's only row was bad, so it keeps its estimate.
        #expect(nodes.map { $0["duration_source"] as? String } == ["history", "estimate"])
        #expect(nodes.map { $0["history_samples"] as? Int } == [2, 0])
        #expect((j["warnings"] as? [String])?.first == "history: skipped 1 malformed row of \(path)")
    }

    @Test func didYouMeanForParamsAndOwners() {
        #expect(Self.run(["simulate", Self.launch, "--set", "handles_pi=true"]).stderr.contains("help: did you mean 'handles_pii'?"))
        #expect(Self.run(["simulate", Self.launch, "--capacity", "enng=2"]).stderr.contains("help: did you mean 'eng'?"))
    }

    @Test func aFileWithErrorsPrintsDiagnosticsAndExitsOne() {
        let out = Self.run(["simulate", "-", "--runs", "10"], stdin: "workflow \"x\" {\n  stage a {\n    owner nobody\n  }\n}\n")
        #expect(out.exitCode == 1)
        #expect(out.stdout == "")
        #expect(out.stderr.contains("<stdin>:3:11: error: unknown owner 'nobody' [unknown-reference]"))
        #expect(out.stderr.hasSuffix("stagecraft: error: <stdin> has 1 error; fix it before simulating it\n"))
    }

    @Test func missingFileIsAnInputError() {
        let out = Self.run(["simulate", "/nonexistent.flow"])
        #expect(out.exitCode == 2)
        #expect(out.stderr == "stagecraft: error: /nonexistent.flow: no such file or directory\n")
    }

    @Test func setChangesTheForecast() throws {
        let off = try Self.json(Self.run(["simulate", Self.launch, "--runs", "100", "--format", "json", "--set", "handles_pii=false"]))
        let nodes = try #require(off["nodes"] as? [[String: Any]])
        let privacy = try #require(nodes.first { $0["id"] as? String == "privacy_review" })
        #expect(privacy["skipped"] as? Bool == true)
        #expect(privacy["duration_source"] as? String == "skipped")
        #expect(privacy["criticality"] as? Double == 0)
    }

    @Test func jsonHasTheDocumentedKeys() throws {
        let j = try Self.json(Self.run(["simulate", Self.launch, "--runs", "20", "--format", "json"]))
        #expect(j.keys.sorted() == ["completion", "deadline", "deadline_probability", "event_log", "file", "finished_runs",
                                    "format_version", "history", "kickoff", "kickoff_given", "lead_time",
                                    "lead_time_business_days", "lead_time_parts", "mode", "nodes", "owners", "runs", "seed",
                                    "unfinished_runs", "warnings", "workflow"])
        #expect(j["format_version"] as? Int == 1)
        #expect(j["seed"] as? Int == 1)
        #expect(j["runs"] as? Int == 20)
        let lead = try #require(j["lead_time"] as? [String: Double])
        #expect(Set(lead.keys) == ["mean_s", "stdev_s", "min_s", "p50_s", "p85_s", "p95_s", "max_s"])
        let node = try #require((j["nodes"] as? [[String: Any]])?.first)
        #expect(Set(node.keys) == ["id", "title", "kind", "skipped", "criticality", "capacity_delay_mean_s",
                                   "sla_breach_probability", "executions_mean", "duration_source", "history_samples",
                                   "reject_probability", "reject_source", "waiting_mean_s", "processing_mean_s",
                                   "critical_waiting_mean_s", "chance"])
        let owner = try #require((j["owners"] as? [[String: Any]])?.first)
        #expect(Set(owner.keys) == ["id", "capacity", "queue_delay_mean_s", "queue_delay_p95_s", "utilisation", "items_mean"])
    }
}
