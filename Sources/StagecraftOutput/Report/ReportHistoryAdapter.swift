import Foundation
import StagecraftSyntax
import StagecraftLanguage
import StagecraftHistory
import StagecraftAnalysis
import StagecraftSimulation

/// Adapters from recorded history (`EventLog`, `Replay`) and the simulator's plan builder to
/// the report's History and Forecast sections.

extension ReportBuilder {
    /// Each case's lead time in seconds, in case order: its last completion minus its first
    /// start (the completion of an occurrence without a recorded start), as `Replay`
    /// defines it. Cases without occurrences are left out.
    public static func caseLeadTimes(_ log: EventLog) -> [Double] {
        log.cases.compactMap { c -> Double? in
            guard let first = c.occurrences.map({ $0.start ?? $0.end }).min(),
                  let last = c.occurrences.map(\.end).max() else { return nil }
            let t = last - first
            return t.isFinite ? max(0, t) : nil
        }
    }

    /// The "History" section: bottleneck bars (mean waiting and processing per stage, in the
    /// order of the replay's bottleneck ranking), SLA breach rates (stages with an SLA that
    /// occur in the log), the case lead-time histogram with median and P85, and a per-stage
    /// table.
    public static func historySection(replay: ReplayResult, model: WorkflowModel, log: EventLog) -> ReportHistory {
        func days(_ s: Double?) -> Double { (s ?? 0) / secondsPerDay }
        func text(_ s: Double?) -> String { s.map(ReportText.duration) ?? "—" }
        let byNode = Dictionary(replay.stages.map { ($0.node, $0) }, uniquingKeysWith: { a, _ in a })
        func title(_ node: Int) -> String {
            guard node >= 0, node < model.nodes.count else { return "?" }
            return model.nodes[node].title?.value ?? model.nodes[node].id.name
        }

        // Bottleneck order first, then any other observed stage in declaration order.
        var order: [Int] = []
        var seen = Set<Int>()
        for b in replay.bottlenecks where byNode[b.node] != nil && seen.insert(b.node).inserted { order.append(b.node) }
        for s in replay.stages where s.count > 0 && seen.insert(s.node).inserted { order.append(s.node) }
        let shares = Dictionary(replay.bottlenecks.map { ($0.node, $0.share) }, uniquingKeysWith: { a, _ in a })
        var bars: [BottleneckBar] = []
        var splitMissing: [String] = []
        for node in order {
            guard let s = byNode[node], s.count > 0 else { continue }
            let note = shares[node].map { NumberFormat.percent($0) + " of lead time" }
            if s.processing == nil && s.waiting == nil {
                // No start times recorded: only ready → done is known.
                splitMissing.append(s.id)
                bars.append(BottleneckBar(id: s.id, label: title(node), waiting: 0, processing: days(s.sojourn?.mean), note: note))
            } else {
                bars.append(BottleneckBar(id: s.id, label: title(node), waiting: days(s.waiting?.mean),
                                          processing: days(s.processing?.mean), note: note))
            }
        }
        let breaches = replay.stages.filter { $0.sla != nil && $0.count > 0 }
            .map { BreachRate(id: $0.id, label: title($0.node), breaches: $0.slaBreaches, count: $0.count) }

        let leadDays = caseLeadTimes(log).map { $0 / secondsPerDay }.sorted()
        var markers: [ChartMarker] = []
        if !leadDays.isEmpty {
            let median = SimulationStatistics.percentile(sorted: leadDays, 0.5)
            let p85 = SimulationStatistics.percentile(sorted: leadDays, 0.85)
            markers = [ChartMarker(label: "Median \(ReportText.duration(median * secondsPerDay))", value: median),
                       ChartMarker(label: "P85 \(ReportText.duration(p85 * secondsPerDay))", value: p85)]
        }

        let small = ReportText.sampleNote(replay.caseCount)
        var facts = [ReportFact("Cases", String(replay.caseCount),
                                detail: "\(replay.eventCount) events" + (small != nil ? "; a small sample" : ""))]
        if let lt = replay.leadTime {
            facts.append(ReportFact("Median lead time", text(lt.median), detail: "P85 " + text(lt.p85), sample: small))
        }
        if replay.caseCount > 0 {
            facts.append(ReportFact("Conforming", NumberFormat.percent(replay.conformingShare),
                                    detail: "\(replay.conformingCases) of \(replay.caseCount) cases follow the process", sample: small))
        }
        if let top = replay.bottlenecks.first {
            facts.append(ReportFact("Top bottleneck", title(top.node), detail: NumberFormat.percent(top.share) + " of lead time"))
        }

        var rows: [[String]] = []
        for s in replay.stages where s.count > 0 {
            rows.append([title(s.node), String(s.count), text(s.waiting?.mean), text(s.processing?.mean),
                         text(s.sojourn?.p85), s.sla?.description ?? "—",
                         s.breachRate != nil ? ReportText.rate(s.slaBreaches, of: s.count) : "—",
                         String(s.reworkCases)])
        }

        var notes: [String] = []
        for b in replay.bottlenecks.prefix(3) {
            guard let stage = byNode[b.node] else { continue }
            notes.append(bottleneckSentence(stage, share: b.share, title: title(b.node), replay: replay, model: model))
        }
        if !splitMissing.isEmpty {
            notes.append("No start times for \(splitMissing.joined(separator: ", ")): the bar shows ready → done as one span.")
        }
        let unobserved = replay.unobservedNodes.filter { $0 >= 0 && $0 < model.nodes.count }.map { model.nodes[$0].id.name }
        if !unobserved.isEmpty { notes.append("Not in the history: \(unobserved.joined(separator: ", ")).") }
        if !replay.unmappedActivities.isEmpty {
            let names = replay.unmappedActivities.prefix(5)
                .map { "“\($0.activity)” (\($0.events) event\($0.events == 1 ? "" : "s"))" }.joined(separator: ", ")
            notes.append("Activities that match no node: \(names)\(replay.unmappedActivities.count > 5 ? ", …" : "").")
        }
        for v in replay.violations where v.count > 0 {
            notes.append(ReportText.violationSentence(v.kind, cases: v.count))
        }
        let thin = replay.stages.filter { $0.count > 0 && $0.count < ReportText.smallSample }.map { title($0.node) }
        if !thin.isEmpty && small == nil {
            notes.append("Fewer than \(ReportText.smallSample) recorded occurrences (a small sample): "
                + thin.joined(separator: ", ") + ".")
        }
        return ReportHistory(
            facts: facts, bottlenecks: bars, bottleneckStatistic: "Mean", breaches: breaches,
            leadTimes: DistributionInput(values: leadDays, markers: markers, axisTitle: "Lead time (calendar days)",
                                         countName: "cases", clipAbove: DistributionInput.tailClip(leadDays, markers: markers)),
            table: ReportTable(columns: ["Stage", "Occurrences", "Waiting (mean)", "Processing (mean)",
                                        "Ready to done (P85)", "SLA", "SLA breaches", "Rework cases"],
                               rows: rows, numericColumns: [1, 2, 3, 4, 6, 7]),
            notes: notes)
    }

    /// Why a stage is a bottleneck, as one English sentence: its share of the lead time,
    /// the median wait before it starts, its SLA breaches with their count, and an owner
    /// that ran over capacity.
    static func bottleneckSentence(_ s: StageReplay, share: Double, title: String, replay: ReplayResult,
                                   model: WorkflowModel) -> String {
        var sentence = "\(title) takes \(NumberFormat.percent(share)) of the lead time"
        var clauses: [String] = []
        if let w = s.waiting {
            clauses.append(w.median > 0 ? "waits \(ReportText.durationWords(w.median)) (median) before it starts"
                                        : "usually starts as soon as it is ready")
        }
        if let sla = s.sla, s.slaBreaches > 0 {
            clauses.append("takes longer than its SLA of \(sla) in \(ReportText.rate(s.slaBreaches, of: s.count)) occurrences")
        }
        if !clauses.isEmpty { sentence += "; it " + clauses.joined(separator: " and ") }
        func load(_ o: OwnerReplay) -> Double { Double(o.peakConcurrency) / Double(max(1, o.capacity)) }
        let owners: [OwnerReplay] = model.owners(ofNode: s.node).filter { $0 < replay.owners.count }.map { replay.owners[$0] }
        let overloaded = owners.filter { $0.peakConcurrency > $0.capacity }.max { load($0) < load($1) }
        if let o = overloaded {
            sentence += "; \(o.id) had \(o.peakConcurrency) items open at once against a capacity of \(o.capacity)"
        }
        return sentence + "."
    }

    /// Where the forecast's durations come from, in one sentence per source.
    public static func provenanceNotes(_ built: BuiltPlan) -> [String] {
        var bySource: [(DurationSource, String)] = [(.history, "recorded history"), (.estimate, "estimates"),
                                                     (.sla, "the SLA (no spread)"), (.none, "nothing (no time)")]
        bySource = bySource.filter { source in built.provenance.contains { $0.duration == source.0 } }
        var notes: [String] = []
        for (source, name) in bySource {
            let ids = built.provenance.filter { $0.duration == source }.map(\.id)
            notes.append("Durations from \(name): \(ids.joined(separator: ", ")).")
        }
        return notes + built.warnings.map { $0.prefix(1).uppercased() + $0.dropFirst() + "." }
    }
}
