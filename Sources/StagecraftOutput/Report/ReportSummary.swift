import StagecraftSyntax
import StagecraftLanguage
import StagecraftAnalysis
import StagecraftSimulation

/// The report's first screen for leadership (when, how sure, what could make it slip, who
/// holds it up) and the wording rules every section shares: one unit of time per page
/// (calendar days, with dates), durations under a day in hours or minutes, and a note on
/// every figure that rests on fewer than `smallSample` cases.

/// One part of a whole, drawn as a segment of a stacked bar (e.g. waiting vs processing).
public struct ReportShare: Hashable, Sendable {
    public var label: String
    /// Seconds.
    public var seconds: Double
    /// A CSS class for the segment's colour: `share-waiting`, `share-queueing`, `share-processing`.
    public var kind: String
}

/// Wording shared by the report's sections.
public enum ReportText {
    /// Below this many cases a figure gets a small-sample note.
    public static let smallSample = 20

    /// The page's unit: every duration on the page is in calendar days (`d`), hours or
    /// minutes, so history and forecast read alike; business-day deadlines are converted
    /// on the workflow calendar and shown with their dates.
    public static let unitNote = "Durations are in calendar days (d), or hours and minutes below a day; "
        + "dates are calendar dates."

    /// A duration for a table or card: `3.6 d`, `5.2 h`, `12 min`, `0 min`; never `0.0 d`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "—" }
        if seconds < 0 { return "−" + duration(-seconds) }
        if seconds >= 99.95 * secondsPerDay { return NumberFormat.fixed(seconds / secondsPerDay, 0) + " d" }
        if seconds >= 0.95 * secondsPerDay { return NumberFormat.fixed(seconds / secondsPerDay, 1) + " d" }
        if seconds >= 3570 { return NumberFormat.fixed(seconds / 3600, 1) + " h" }
        return NumberFormat.fixed(seconds / 60, 0) + " min"
    }

    /// A duration in a sentence: `3.6 days`, `1 day`, `5.2 hours`, `12 minutes`.
    public static func durationWords(_ seconds: Double) -> String {
        let short = duration(seconds)
        for (unit, singular, plural) in [(" d", " day", " days"), (" h", " hour", " hours"), (" min", " minute", " minutes")]
            where short.hasSuffix(unit) {
            let number = String(short.dropLast(unit.count))
            return number + (number == "1" || number == "1.0" ? singular : plural)
        }
        return short
    }

    /// `12 recorded cases: a small sample` below `smallSample` cases, else nil.
    public static func sampleNote(_ count: Int, noun: String = "recorded case") -> String? {
        guard count < smallSample else { return nil }
        return "\(count) \(noun)\(count == 1 ? "" : "s"): a small sample"
    }

    /// A conformance violation as a sentence, e.g. "In 250 cases a stage ran again
    /// although no `on reject` route leads back to it."
    public static func violationSentence(_ kind: ViolationKind, cases: Int) -> String {
        let n = cases == 1 ? "1 case" : "\(cases) cases"
        switch kind {
        case .outOfOrder: return "In \(n), a stage started before a stage it comes after had finished."
        case .missingRequired: return "\(n.prefix(1).uppercased() + n.dropFirst()) finished without a required stage."
        case .gateWithoutApprovals: return "In \(n), a gate passed with fewer approvers than its quorum."
        case .reworkOutsideRoute: return "In \(n), a stage ran again although no on-reject route leads back to it."
        }
    }

    /// "2 of 12 (17%)": a rate with the count it rests on.
    public static func rate(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "—" }
        return "\(part) of \(whole) (\(NumberFormat.percent(Double(part) / Double(whole))))"
    }
}

extension ReportBuilder {
    /// The first screen's cards with a forecast: when, how sure, what could make it slip and
    /// who holds it up. `deadlineDate` is the plan's last day within the deadline.
    public static func headlineFacts(result: SimulationResult, model: WorkflowModel, built: BuiltPlan?,
                                     recordedCases: Int?, deadlineDate: CivilDate? = nil) -> [ReportFact] {
        func date(_ instant: Double?) -> String? { instant.map { String(formatInstant($0).prefix(10)) } }
        func title(_ id: String, _ fallback: String) -> String { fallback.isEmpty ? id : fallback }
        var facts: [ReportFact] = []
        let sample = forecastSampleNote(built: built, recordedCases: recordedCases, model: model)
        let lead = result.leadTime
        if result.finishedRuns > 0 {
            var detail = "half the runs finish by then, \(ReportText.duration(lead.p50)) after kickoff"
            if result.unfinishedRuns > 0 {
                detail += "; \(NumberFormat.grouped(result.unfinishedRuns)) of \(NumberFormat.grouped(result.runs)) runs never finish "
                    + "(over 20 rejections) and are left out"
            }
            facts.append(ReportFact("Likely finish", date(result.completionP50) ?? ReportText.duration(lead.p50), detail: detail))
            facts.append(ReportFact("85% sure by", date(result.completionP85) ?? ReportText.duration(lead.p85),
                                    detail: "\(ReportText.duration(lead.p85)) after kickoff; 95% by "
                                        + (date(result.completionP95) ?? ReportText.duration(lead.p95))))
        } else {
            facts.append(ReportFact("Likely finish", "never", detail: "no simulated run finished"))
        }
        if let p = result.deadlineProbability, let dl = model.deadline {
            let detail = "deadline \(dl)" + (deadlineDate.map { ", by \($0)" } ?? "")
            facts.append(ReportFact("Chance of meeting the deadline", NumberFormat.percent(p), detail: detail, sample: sample))
        } else {
            facts.append(ReportFact("Chance of meeting the deadline", "no deadline",
                                    detail: "add a deadline to the workflow to get the odds" + (sample.map { "; \($0)" } ?? "")))
        }
        let parts = result.leadTimeParts
        let total = parts.waiting + parts.queueing + parts.processing
        if total > 0 {
            let waiting = parts.waiting + parts.queueing
            facts.append(ReportFact("Time spent waiting", NumberFormat.percent(waiting / total),
                                    detail: "\(ReportText.duration(waiting)) of the mean lead time \(ReportText.duration(total)); "
                                        + "\(ReportText.duration(parts.processing)) is work"))
        }
        // Top risk: the node whose waits add the most to the critical path; without any
        // wait, the node on the critical path most often (ties: the longer one).
        let finished = result.nodes.filter { $0.executionsMean > 0 }
        if let risk = finished.max(by: { ($0.criticalWaitingMean, $0.criticality) < ($1.criticalWaitingMean, $1.criticality) }),
           risk.criticalWaitingMean >= 60 {
            let name = title(risk.id, risk.title)
            facts.append(ReportFact("Top risk", name,
                                    detail: "waits \(ReportText.durationWords(risk.criticalWaitingMean)) on the critical path on average; "
                                        + "critical in \(NumberFormat.percent(risk.criticality)) of runs"))
        } else if let risk = finished.max(by: {
            ($0.criticality, $0.processingMean * $0.executionsMean) < ($1.criticality, $1.processingMean * $1.executionsMean)
        }) {
            let name = title(risk.id, risk.title)
            var detail = "on the critical path in \(NumberFormat.percent(risk.criticality)) of runs; "
                + "takes \(ReportText.durationWords(risk.processingMean)) on average"
            if risk.executionsMean >= 1.05 { detail += ", done \(NumberFormat.fixed(risk.executionsMean, 1)) times per run" }
            facts.append(ReportFact("Top risk", name, detail: detail))
        }
        // Who holds work up: the owner whose nodes wait longest per run (hand-off waits and
        // waits for their capacity or hours), with the node that waits most.
        var waits: [(owner: String, seconds: Double, node: String)] = []
        for (o, owner) in model.owners.enumerated() {
            var total = 0.0
            var worst: (Double, String)?
            for (i, decl) in model.nodes.enumerated() where model.owners(ofNode: i).contains(o) {
                guard let n = result.nodes.first(where: { $0.id == decl.id.name }) else { continue }
                let wait = (n.waitingMean + n.capacityDelayMean) * n.executionsMean
                total += wait
                if wait > (worst?.0 ?? 0) { worst = (wait, title(n.id, n.title)) }
            }
            if let worst { waits.append((owner.id.name, total, worst.1)) }
        }
        if let top = waits.max(by: { $0.seconds < $1.seconds }), top.seconds >= 60 {
            let stats = result.owners.first { $0.id == top.owner }
            var detail = "work waits \(ReportText.durationWords(top.seconds)) per run for this owner, most at \(top.node)"
            if let stats, stats.utilisation >= 0.5 { detail += "; \(NumberFormat.percent(stats.utilisation)) busy" }
            facts.append(ReportFact("Holding work up", top.owner, detail: detail))
        } else {
            facts.append(ReportFact("Holding work up", "nobody", detail: "no work waits for an owner in the forecast"))
        }
        return facts
    }

    /// What a history-based forecast rests on when that is thin: fewer than
    /// `ReportText.smallSample` recorded cases, or a node drawn from fewer recorded
    /// durations; nil otherwise.
    public static func forecastSampleNote(built: BuiltPlan?, recordedCases: Int?, model: WorkflowModel) -> String? {
        if let cases = recordedCases, cases < ReportText.smallSample { return ReportText.sampleNote(cases) }
        guard let built else { return nil }
        let drawn = built.provenance.filter { $0.duration == .history && $0.samples > 0 }
        guard let fewest = drawn.min(by: { $0.samples < $1.samples }), fewest.samples < ReportText.smallSample else { return nil }
        let name = model.nodes.first { $0.id.name == fewest.id }?.title?.value ?? fewest.id
        return "\(name) rests on \(fewest.samples) recorded time\(fewest.samples == 1 ? "" : "s"): a small sample"
    }

    /// The mean forecast lead time split along the critical path, for a stacked bar.
    public static func leadTimeSplit(_ result: SimulationResult) -> [ReportShare] {
        let p = result.leadTimeParts
        guard p.waiting + p.queueing + p.processing > 0 else { return [] }
        return [ReportShare(label: "Waiting for hand-offs", seconds: p.waiting, kind: "share-waiting"),
                ReportShare(label: "Waiting for an owner’s capacity or working hours", seconds: p.queueing, kind: "share-queueing"),
                ReportShare(label: "Processing", seconds: p.processing, kind: "share-processing")]
    }
}
