import Foundation
import Testing
@testable import StagecraftCore

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
        #expect(history.facts.first == ReportFact("Cases", "2", detail: "4 events"))
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
    /// same P50/P85/P95 in business days and the same completion dates.
    @Test func forecastFactsMatchSimulate() throws {
        let flow = repositoryRoot + "/examples/launch/launch.flow"
        let history = repositoryRoot + "/examples/launch/history.csv"
        let common = ["--history", history, "--start", "2026-12-07", "--seed", "7", "--runs", "2000"]
        let sim = runCLI(["simulate", flow, "--format", "json"] + common)
        #expect(sim.exitCode == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(sim.stdout.utf8)) as? [String: Any])
        let bd = try #require(json["lead_time_business_days"] as? [String: Double])
        let completion = try #require(json["completion"] as? [String: String])
        let dir = try makeTemporaryDirectory("report-forecast")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(runCLI(["report", flow, "-o", dir + "/r.html"] + common).exitCode == 0)
        let html = String(decoding: try Files.read(dir + "/r.html"), as: UTF8.self)
        for p in ["p50", "p85", "p95"] {
            let value = try #require(bd[p])
            let date = String(try #require(completion[p]).prefix(10))
            let fact = "<dt>\(p.uppercased()) lead time</dt><dd>\(NumberFormat.fixed(value, 1)) bd"
                + "<span class=\"detail\">done by \(date)</span>"
            #expect(html.contains(fact), "\(fact)")
        }
    }
}
