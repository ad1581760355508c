import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftHistory
@testable import StagecraftAnalysis
@testable import StagecraftOutput
@testable import StagecraftCLI

@Suite struct ReportHistoryTests {
    let flow = """
    workflow "Two steps" {
      owner pm
      owner legal
      stage spec "Spec" {
        owner pm
        sla 2d
        estimate 1d..3d
      }
      gate review "Review" {
        after spec
        approvers legal
        sla 1d
      }
    }

    """
    /// Worked by hand: spec takes 1 d and 3 d (ready at the case's first start, so no
    /// waiting; 3 d breaks the 2d SLA); review waits 1 d and 0 d and takes 1 d each time
    /// (its 2 d sojourn in case 1 breaks the 1d SLA); lead times are 3 d and 4 d.
    let csv = """
    case_id,activity,start_time,end_time
    c1,spec,2024-01-01T00:00:00Z,2024-01-02T00:00:00Z
    c1,review,2024-01-03T00:00:00Z,2024-01-04T00:00:00Z
    c2,spec,2024-01-01T00:00:00Z,2024-01-04T00:00:00Z
    c2,review,2024-01-04T00:00:00Z,2024-01-05T00:00:00Z

    """

    func model() throws -> WorkflowModel {
        try #require(Checker.check(SourceFile(path: "t.flow", text: flow)).model)
    }

    func log() throws -> EventLog {
        try HistoryReader.read(bytes: Array(csv.utf8), name: "h.csv")
    }

    @Test func caseLeadTimesRunFromFirstStartToLastCompletion() throws {
        #expect(ReportBuilder.caseLeadTimes(try log()) == [3 * secondsPerDay, 4 * secondsPerDay])
    }

    @Test func historySectionMatchesTheHandWorkedFigures() throws {
        let model = try model(), log = try log()
        let history = ReportBuilder.historySection(replay: Replay.run(model: model, log: log), model: model, log: log)
        #expect(history.bottlenecks.map(\.id) == ["spec", "review"])
        #expect(history.bottlenecks.map(\.waiting) == [0, 0.5])
        #expect(history.bottlenecks.map(\.processing) == [2, 1])
        #expect(history.breaches == [BreachRate(id: "spec", label: "Spec", breaches: 1, count: 2),
                                     BreachRate(id: "review", label: "Review", breaches: 1, count: 2)])
        #expect(history.leadTimes.values == [3, 4])
        #expect(history.leadTimes.markers.map(\.label) == ["Median 3.5 d", "P85 3.9 d"])
        // Two cases: every figure that rests on them says so.
        #expect(history.facts.first == ReportFact("Cases", "2", detail: "4 events; a small sample"))
        #expect(history.facts[1] == ReportFact("Median lead time", "3.5 d", detail: "P85 3.9 d",
                                               sample: "2 recorded cases: a small sample"))
        #expect(history.facts[2].sample == "2 recorded cases: a small sample")
        // Durations carry their unit; a breach count shows what it rests on.
        #expect(history.table?.rows.first == ["Spec", "2", "0 min", "2.0 d", "2.7 d", "2d", "1 of 2 (50%)", "0"])
        #expect(history.table?.rows.last?[2] == "12.0 h")
        // Drawn: an axis of 0…2 days over 560 px.
        let svg = ReportCharts.bottlenecks(history.bottlenecks)
        #expect(svgElements(svg, "rect", class: "bar-processing").map { $0["width"] } == ["560", "280"])
        #expect(svgElements(svg, "rect", class: "bar-waiting").map { $0["width"] } == ["0", "140"])
        #expect(svgElements(svg, "rect", class: "bar-processing")[1]["x"] == "390")
        #expect(svg.contains("57% of lead time"))
    }

    @Test func reportWithHistoryHasEverySection() throws {
        let dir = NSTemporaryDirectory() + "stagecraft-report-history-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try csv.write(toFile: dir + "/h.csv", atomically: true, encoding: .utf8)
        try flow.write(toFile: dir + "/t.flow", atomically: true, encoding: .utf8)
        let args = ["report", dir + "/t.flow", "--history", dir + "/h.csv", "--runs", "500", "--seed", "3", "-o", dir + "/r.html"]
        let out = runCLI(args)
        #expect(out.exitCode == 0, "\(out.stderr)")
        let html = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        for id in ["process", "plan", "history", "forecast"] { #expect(html.contains("<section id=\"\(id)\">")) }
        for cls in ["chart-bottlenecks", "chart-sla", "chart-leadtime", "chart-forecast", "chart-cdf"] {
            #expect(html.contains(cls))
        }
        #expect(html.contains("Durations from recorded history: spec, review."))
        #expect(html.contains("500 runs with seed 3"))
        _ = runCLI(Array(args.dropLast()) + [dir + "/again.html"])
        #expect(try String(contentsOfFile: dir + "/again.html", encoding: .utf8) == html)
        // History options without --history are a usage error.
        #expect(runCLI(["report", dir + "/t.flow", "--delimiter", ";", "-o", dir + "/x.html"]).exitCode == 2)
        // --no-forecast leaves the forecast out.
        _ = runCLI(["report", dir + "/t.flow", "--history", dir + "/h.csv", "--no-forecast", "-o", dir + "/n.html"])
        let noForecast = try String(contentsOfFile: dir + "/n.html", encoding: .utf8)
        #expect(noForecast.contains("<section id=\"history\">") && !noForecast.contains("<section id=\"forecast\">"))
    }

    @Test func estimatesAloneGiveAForecastWithoutHistory() throws {
        let dir = NSTemporaryDirectory() + "stagecraft-report-forecast-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let out = runCLI(["report", "-", "--runs", "200", "-o", dir + "/r.html"], stdin: flow)
        #expect(out.exitCode == 0)
        let html = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        #expect(html.contains("<section id=\"forecast\">") && !html.contains("<section id=\"history\">"))
        #expect(html.contains("Durations from estimates: spec."))
        #expect(html.contains("<dt>Runs</dt><dd>200<span class=\"detail\">seed 1</span>"))
    }
}

@Suite struct ReportForecastConsistencyTests {
    /// The report's forecast is `simulate`'s: same seed, runs, start and history give the
    /// same P50/P85/P95 (in calendar days, the page's unit) and the same completion dates.
    @Test func forecastFactsMatchSimulate() throws {
        let flow = repositoryRoot + "/examples/launch/launch.flow"
        let history = repositoryRoot + "/examples/launch/history.csv"
        let common = ["--history", history, "--start", "2026-12-07", "--seed", "7", "--runs", "2000"]
        let sim = runCLI(["simulate", flow, "--format", "json"] + common)
        #expect(sim.exitCode == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(sim.stdout.utf8)) as? [String: Any])
        let lead = try #require(json["lead_time"] as? [String: Double])
        let completion = try #require(json["completion"] as? [String: String])
        let dir = try makeTemporaryDirectory("report-forecast")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(runCLI(["report", flow, "-o", dir + "/r.html"] + common).exitCode == 0)
        let html = String(decoding: try Files.read(dir + "/r.html"), as: UTF8.self)
        for p in ["p50", "p85", "p95"] {
            let value = try #require(lead[p + "_s"])
            let date = String(try #require(completion[p]).prefix(10))
            let fact = "<dt>\(p.uppercased()) lead time</dt><dd>\(NumberFormat.fixed(value / secondsPerDay, 1)) d"
                + "<span class=\"detail\">done by \(date)</span>"
            #expect(html.contains(fact), "\(fact)")
        }
        // The first screen leads with the P50 and P85 dates and the odds, with the sample
        // (12 recorded cases) beside them.
        let p50 = String(try #require(completion["p50"]).prefix(10))
        let p85 = String(try #require(completion["p85"]).prefix(10))
        let headline = try #require(html.components(separatedBy: "<dl class=\"facts headline\">").dropFirst().first)
        let cards = try #require(headline.components(separatedBy: "</dl>").first)
        #expect(cards.contains("<dt>Likely finish</dt><dd>\(p50)<span class=\"detail\">half the runs finish by then, "
            + "\(ReportText.duration(try #require(lead["p50_s"]))) after kickoff</span>"))
        #expect(cards.contains("<dt>85% sure by</dt><dd>\(p85)"))
        let chance = json["deadline_probability"] as? Double
        #expect(cards.contains("<dt>Chance of meeting the deadline</dt><dd>\(NumberFormat.percent(try #require(chance))) "
            + "<span class=\"sample\">(12 recorded cases: a small sample)</span><span class=\"detail\">deadline 25bd, by 2027-01-12</span>"))
        #expect(cards.contains("<dt>Top risk</dt><dd>Security review"))
        #expect(cards.contains("<dt>Holding work up</dt><dd>sec"))
        #expect(!cards.contains("<dt>Nodes</dt>"))
        // Nodes and owners move below, into the Process section; one unit on the page.
        #expect(html.contains("<dt>Nodes</dt><dd>6"))
        #expect(html.contains(ReportText.unitNote))
        #expect(!html.contains(" bd<") && !html.contains("business days"))
    }
}
