import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import StagecraftLanguage
@testable import StagecraftSimulation
@testable import StagecraftOutput

/// `stagecraft status --format html`: the dashboard's structure, its risk colours and the
/// positions of its markers, computed by hand from a made-up result.
@Suite struct StatusDashboardTests {
    let day = 86_400.0
    func jan(_ d: Double) -> Double { Sim.instant(2026, 1, 1) + (d - 1) * day }

    func caseStatus(_ id: String, p50: Double, p85: Double, deadline: Double?, probability: Double?,
                    waitingOn: [String] = []) -> Status.CaseStatus {
        Status.CaseStatus(
            id: id, started: jan(1),
            nodes: [Status.NodeStatus(id: "a", state: .done, since: jan(2), owner: nil),
                    Status.NodeStatus(id: "b", state: waitingOn.isEmpty ? .running : .ready, since: jan(3),
                                      owner: waitingOn.first)],
            overdue: id == "late" ? [Status.Overdue(node: "b", overBySeconds: 2 * day)] : [],
            waitingOn: waitingOn, remainingP50: p50 - jan(7), remainingP85: p85 - jan(7),
            completionP50: p50, completionP85: p85, deadline: deadline, deadlineProbability: probability,
            expectedSlip: probability.map { $0 < 1 ? day : 0 }, unfinishedRuns: 0)
    }

    var result: Status.Result {
        Status.Result(
            asOf: jan(7),
            cases: [caseStatus("late", p50: jan(14), p85: jan(16.5), deadline: jan(11), probability: 0.2, waitingOn: ["security"]),
                    caseStatus("risky", p50: jan(9), p85: jan(12), deadline: jan(13), probability: 0.8, waitingOn: ["security"]),
                    caseStatus("fine", p50: jan(8), p85: jan(9), deadline: jan(13), probability: 1),
                    caseStatus("open <x>", p50: jan(8), p85: jan(8.5), deadline: nil, probability: nil)],
            owners: [Status.OwnerStatus(id: "security", waitingCases: 2, queueMean: 3 * day),
                     Status.OwnerStatus(id: "pm", waitingCases: 0, queueMean: 0.5 * day),
                     Status.OwnerStatus(id: "idle", waitingCases: 0, queueMean: 0)],
            summary: "1 of 3 cases is likely to miss its deadline; 2 wait on security, whose queue is 3 days.",
            calibrationCases: 9, runs: 100, seed: 1, warnings: [], calendar: .standard)
    }

    var html: String { StatusDashboard.render(result, title: "Launch", file: "l.flow", log: "h.csv") }

    @Test func runsThatNeedNoMoreWorkAreShownApartInEveryFormat() {
        var r = result
        r.cases[1].endedRuns = 32
        r.cases[2].endedRuns = 100
        let note = "may already be over (nothing left in 32 of 100 runs)"
        let all = "may already be over (nothing left in 100 of 100 runs)"
        for format in ["text", "markdown", "html"] {
            let out = StatusFormatter.render(r, file: "w.flow", log: "h.csv", title: "W", format: format)
            #expect(out.contains(note), "\(format)")
            #expect(out.contains(all), "\(format)")
            #expect(out.components(separatedBy: "may already be over").count == 3, "\(format): only the two cases")
        }
        let json = StatusFormatter.render(r, file: "w.flow", log: "h.csv", title: "W", format: "json")
        #expect(json.contains("\"ended_runs\": 32"))
        #expect(json.contains("\"ended_runs\": 100"))
    }

    @Test func pageIsSelfContainedAndItsChartsParse() {
        let h = html
        #expect(!h.contains("<script"))
        #expect(!h.contains("src=") && !h.contains("href=\"http") && !h.contains("url("))
        #expect(h.contains("<p class=\"summary\" id=\"summary\">1 of 3 cases is likely to miss its deadline; 2 wait on security, whose queue is 3 days.</p>"))
        var rest = h[...]
        var svgs = 0
        while let open = rest.range(of: "<svg"), let close = rest.range(of: "</svg>", range: open.upperBound..<rest.endIndex) {
            let svg = String(rest[open.lowerBound..<close.upperBound])
            #expect(parsesAsXML(svg))
            #expect(svg.contains("<title>"))
            svgs += 1
            rest = rest[close.upperBound...]
        }
        #expect(svgs == 2)
        #expect(h.contains("class=\"chart chart-status-gantt\""))
        #expect(h.contains("class=\"chart chart-owner-queue\""))
        #expect(h.contains("open &lt;x&gt;"))
        #expect(h.contains("@page { size: A4;"))
    }

    @Test func everyCaseHasItsRiskColour() {
        let rows = svgElements(html, "tr").compactMap { $0["class"] }.filter { $0.hasPrefix("risk-") }
        #expect(rows == ["risk-late", "risk-at-risk", "risk-on-track", "risk-none"])
        // The deadline shown is the deadline's day: the 11th at midnight is the end of the 10th.
        #expect(html.contains("<td class=\"date\">Sat Jan 10</td>"))
        #expect(html.contains("<td class=\"wrap\">b +2.0\u{00A0}d</td>"))
        #expect(StatusRisk(caseStatus("x", p50: 0, p85: 0, deadline: 1, probability: 0.85)) == .atRisk)
        #expect(StatusRisk(caseStatus("x", p50: 0, p85: 0, deadline: 1, probability: 0.86)) == .onTrack)
        #expect(StatusRisk(caseStatus("x", p50: 0, p85: 0, deadline: 1, probability: 0.5)) == .late)
    }

    @Test func ganttMarkersSitOnTheCalendar() {
        let svg = StatusDashboard.gantt(result)
        // From Jan 1 to the end of Jan 16 (the latest P85, the 16th at noon): 16 days over
        // 680 px, 42.5 px a day from x = 250.
        func at(_ days: [Double]) -> [Double] { days.map { 250 + $0 * 42.5 } }
        let p50 = svgElements(svg, "line", class: "marker-p50").map { num($0, "x1") }
        #expect(p50 == at([13, 8, 7, 7]))
        let p85 = svgElements(svg, "line", class: "marker-p85").map { num($0, "x1") }
        #expect(p85 == at([15.5, 11, 8, 7.5]))
        let asOf = svgElements(svg, "line", class: "as-of-line").map { num($0, "x1") }
        #expect(asOf == at([6]))
        let deadlines = svgElements(svg, "line", class: "case-deadline").map { num($0, "x1") }
        #expect(deadlines == at([10, 12, 12]))
        let bars = svgElements(svg, "rect", class: "remaining-p50")
        #expect(bars.map { num($0, "x") } == [505, 505, 505, 505])
        #expect(bars.map { $0["fill"] ?? "" } == ["#c8322f", "#e08a1e", "#2f8f5b", "#4f7fd6"])
        // Weekends of Jan 2026 shaded: Sat 3–Sun 4, 10–11.
        let shaded = svgElements(svg, "rect").filter { $0["fill-opacity"] == "0.9" }.map { num($0, "x") }
        #expect(shaded == at([2, 9]))
    }

    @Test func ownerChartRanksBusyOwners() {
        let svg = StatusDashboard.ownerQueues(result.owners.filter { $0.waitingCases > 0 || $0.queueMean > 0 })
        let rows = svgElements(svg, "g", class: "owner-queue").compactMap { $0["data-id"] }
        #expect(rows == ["security", "pm"])
        // Waiting: 0…2 over 220…520; queue: 0…3 days over 600…880.
        #expect(svgElements(svg, "rect", class: "bar-waiting-cases").map { num($0, "width") } == [300, 0])
        let queue = svgElements(svg, "rect", class: "bar-queue").map { num($0, "width") }
        #expect(queue == [280, 46.67])
    }

    @Test func dashboardGolden() {
        expectGolden(html, "status/dashboard.html")
    }

    @Test func completionOnANonWorkingDayMovesToTheNextWorkingDay() {
        var cal = BusinessCalendar.standard
        let saturday = Sim.instant(2026, 1, 10, hour: 11)
        #expect(Status.onWorkingDay(saturday, calendar: cal) == Sim.instant(2026, 1, 12))
        #expect(Status.onWorkingDay(Sim.instant(2026, 1, 9, hour: 23), calendar: cal) == Sim.instant(2026, 1, 9, hour: 23))
        cal.hours = WorkingHours(start: 9 * 60, end: 17 * 60)
        #expect(Status.onWorkingDay(saturday, calendar: cal) == Sim.instant(2026, 1, 12, hour: 9))
        #expect(Status.onWorkingDay(.infinity, calendar: cal) == .infinity)
    }

    @Test func commandPrintsTheDashboard() {
        let out = runCLI(["status", repositoryRoot + "/examples/portfolio/portfolio.flow", "--history",
                          repositoryRoot + "/examples/portfolio/history.csv", "--format", "html"])
        #expect(out.exitCode == 0)
        #expect(out.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(out.stdout.contains("<h1>Product launch</h1>"))
        let bad = runCLI(["status", repositoryRoot + "/examples/portfolio/portfolio.flow", "--history",
                          repositoryRoot + "/examples/portfolio/history.csv", "--format", "html", "--backtest"])
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("--backtest prints text, json or markdown, not html"))
    }
}
