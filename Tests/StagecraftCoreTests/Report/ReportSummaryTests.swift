import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftAnalysis
@testable import StagecraftSimulation
@testable import StagecraftOutput

@Suite struct ReportSummaryTests {
    @Test func durationsBelowADayAreInHoursOrMinutes() {
        #expect(ReportText.duration(0) == "0 min")
        #expect(ReportText.duration(90) == "2 min")
        #expect(ReportText.duration(59 * 60) == "59 min")
        #expect(ReportText.duration(5.2 * 3600) == "5.2 h")
        #expect(ReportText.duration(22 * 3600) == "22.0 h")
        #expect(ReportText.duration(3.6 * secondsPerDay) == "3.6 d")
        #expect(ReportText.duration(150 * secondsPerDay) == "150 d")
        #expect(ReportText.duration(.nan) == "—")
        #expect(ReportText.durationWords(3.6 * secondsPerDay) == "3.6 days")
        #expect(ReportText.durationWords(secondsPerDay) == "1.0 day")
        #expect(ReportText.durationWords(60) == "1 minute")
        #expect(ReportText.durationWords(2.5 * 3600) == "2.5 hours")
    }

    @Test func smallSamplesAreNamed() {
        #expect(ReportText.sampleNote(12) == "12 recorded cases: a small sample")
        #expect(ReportText.sampleNote(1) == "1 recorded case: a small sample")
        #expect(ReportText.sampleNote(19) != nil)
        #expect(ReportText.sampleNote(20) == nil)
        #expect(ReportText.rate(2, of: 12) == "2 of 12 (17%)")
        #expect(ReportText.rate(0, of: 0) == "—")
    }

    @Test func violationsReadAsSentences() {
        #expect(ReportText.violationSentence(.reworkOutsideRoute, cases: 250)
            == "In 250 cases, a stage ran again although no on-reject route leads back to it.")
        #expect(ReportText.violationSentence(.missingRequired, cases: 1) == "1 case finished without a required stage.")
        #expect(ReportText.violationSentence(.outOfOrder, cases: 3)
            == "In 3 cases, a stage started before a stage it comes after had finished.")
        for kind in ViolationKind.allCases {
            let s = ReportText.violationSentence(kind, cases: 2)
            #expect(s.hasSuffix(".") && !s.contains("`"), "\(s)")
        }
    }

    let flow = """
    workflow "W" {
      deadline 10d
      owner pm
      owner sec
      stage spec "Spec" { owner pm; sla 2d }
      gate review "Security review" { after spec; approvers sec; sla 1d }
    }
    """

    /// A forecast built by hand: the review waits 3.6 d on the critical path and 0.4 d for
    /// sec's capacity; the mean lead time of 8 d is 3.6 d waiting, 0.4 d queueing and 4 d
    /// processing.
    func result() -> SimulationResult {
        let day = secondsPerDay
        let kickoff = Double(CivilDate(year: 2024, month: 1, day: 1).dayNumber) * day + 9 * 3600
        return SimulationResult(
            runs: 1000, seed: 1, finishedRuns: 1000, unfinishedRuns: 0, kickoff: kickoff, startGiven: true,
            leadTime: LeadTimeSummary(count: 1000, mean: 8 * day, stdev: day, min: 5 * day, max: 12 * day,
                                      p50: 8 * day, p85: 9.5 * day, p95: 11 * day),
            completionP50: kickoff + 8 * day, completionP85: kickoff + 9.5 * day, completionP95: kickoff + 11 * day,
            deadline: nil, deadlineProbability: 0.99,
            leadTimeParts: LeadTimeParts(waiting: 3.6 * day, queueing: 0.4 * day, processing: 4 * day),
            nodes: [NodeForecast(id: "spec", title: "Spec", criticality: 1, capacityDelayMean: 0, slaBreachProbability: 0.1,
                                 executionsMean: 1, waitingMean: 0, processingMean: 2 * day, criticalWaitingMean: 0),
                    NodeForecast(id: "review", title: "Security review", criticality: 0.8, capacityDelayMean: 0.4 * day,
                                 slaBreachProbability: 0.3, executionsMean: 1, waitingMean: 3.6 * day,
                                 processingMean: 2 * day, criticalWaitingMean: 3.6 * day)],
            owners: [OwnerForecast(id: "pm", capacity: 1, queueDelayMean: 0, queueDelayP95: 0, utilisation: 0.2, itemsMean: 1),
                     OwnerForecast(id: "sec", capacity: 1, queueDelayMean: 0.4 * day, queueDelayP95: day,
                                   utilisation: 0.7, itemsMean: 1)],
            leadTimeSamples: [8 * day])
    }

    @Test func headlineAnswersWhenHowSureWhatAndWho() throws {
        let model = try #require(Checker.check(SourceFile(path: "w.flow", text: flow)).model)
        let facts = ReportBuilder.headlineFacts(result: result(), model: model, built: nil, recordedCases: 12,
                                                deadlineDate: CivilDate(year: 2024, month: 1, day: 10))
        #expect(facts.map(\.label) == ["Likely finish", "85% sure by", "Chance of meeting the deadline",
                                       "Time spent waiting", "Top risk", "Holding work up"])
        // Kickoff 2024-01-01 09:00: 8 d later is 2024-01-09, 9.5 d later 2024-01-10 21:00, 11 d 2024-01-12.
        #expect(facts[0] == ReportFact("Likely finish", "2024-01-09", detail: "half the runs finish by then, 8.0 d after kickoff"))
        #expect(facts[1] == ReportFact("85% sure by", "2024-01-10", detail: "9.5 d after kickoff; 95% by 2024-01-12"))
        #expect(facts[2] == ReportFact("Chance of meeting the deadline", "99%", detail: "deadline 10d, by 2024-01-10",
                                       sample: "12 recorded cases: a small sample"))
        // 3.6 + 0.4 = 4 d of the 8 d are waiting.
        #expect(facts[3] == ReportFact("Time spent waiting", "50%", detail: "4.0 d of the mean lead time 8.0 d; 4.0 d is work"))
        #expect(facts[4] == ReportFact("Top risk", "Security review",
                                       detail: "waits 3.6 days on the critical path on average; critical in 80% of runs"))
        // sec's review waits 3.6 d for the hand-off and 0.4 d for its capacity, once a run.
        #expect(facts[5] == ReportFact("Holding work up", "sec",
                                       detail: "work waits 4.0 days per run for this owner, most at Security review; 70% busy"))
        // From 20 recorded cases on, no sample note.
        let enough = ReportBuilder.headlineFacts(result: result(), model: model, built: nil, recordedCases: 20)
        #expect(enough[2].sample == nil && enough[2].detail == "deadline 10d")
    }

    @Test func theSplitBarShowsWaitingAndProcessing() {
        let parts = ReportBuilder.leadTimeSplit(result())
        #expect(parts.map(\.seconds) == [3.6 * secondsPerDay, 0.4 * secondsPerDay, 4 * secondsPerDay])
        let html = HTMLReport.split(parts)
        #expect(html.contains("<span class=\"share-waiting\" style=\"width: 45%\"></span>"))
        #expect(html.contains("<span class=\"share-queueing\" style=\"width: 5%\"></span>"))
        #expect(html.contains("<span class=\"share-processing\" style=\"width: 50%\"></span>"))
        #expect(html.contains("Waiting for hand-offs: <strong>3.6 d</strong> (45%)"))
        #expect(html.contains("mean simulated lead time (8.0 d)"))
        #expect(HTMLReport.split([]).isEmpty)
    }

    @Test func manyNodesGetNumbersAndAKeyTable() {
        let nodes = (0..<21).map { ProcessGraphNode(id: "s\($0)", title: "Step number \($0) of the purchasing process",
                                                   owners: ["team"], after: $0 == 0 ? [] : [$0 - 1]) }
        #expect(ReportCharts.graphNeedsKey(nodes))
        #expect(!ReportCharts.graphNeedsKey([ProcessGraphNode(id: "a", title: "A", owners: ["pm"], sla: "2d")]))
        // One long title is enough.
        #expect(ReportCharts.graphNeedsKey([ProcessGraphNode(id: "a", title: String(repeating: "Long title ", count: 6))]))
        let svg = ReportCharts.processGraph(nodes, numbered: true)
        #expect(svg.contains(">21. Step number 20"))
        let key = HTMLReport.graphKey(nodes)
        #expect(key.rows.count == 21)
        #expect(key.rows[20] == ["21", "Step number 20 of the purchasing process (s20)", "stage", "team", "—"])
    }
}
