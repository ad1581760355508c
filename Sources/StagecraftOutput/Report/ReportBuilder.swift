import StagecraftSyntax
import StagecraftLanguage
import StagecraftSimulation

/// Adapters from the language model, the planned schedule, the simulator's result and the
/// history replay to the report's chart inputs.

/// Builds `ReportDocument`s.
public enum ReportBuilder {
    /// The kickoff `report` uses without `--start`: the simulator's default kickoff day,
    /// so the same file always gives the same page.
    public static let defaultStart = CivilDate(year: 2024, month: 1, day: 1)

    /// The page for a checked workflow without history or forecast: header facts, process
    /// graph and plan. `report` adds the other sections.
    public static func document(model: WorkflowModel, source: SourceFile, sourceName: String, values: [String: Value],
                                overrides: [String: Value], start: CivilDate, startGiven: Bool) -> ReportDocument {
        let schedule = Schedule(model: model, start: start, values: values, source: source)
        let skipped = model.skipped(values: values)
        var notes: [String] = []
        if !startGiven {
            notes.append("Planned from the default kickoff \(start); pass --start DATE to plan from another day.")
        }
        if !model.params.isEmpty {
            let shown = model.params.map { p -> String in
                let v = values[p.name.name].map(\.description) ?? "unset"
                return "\(p.name.name) = \(v)" + (overrides[p.name.name] != nil ? " (--set)" : "")
            }
            notes.append("Params: " + shown.joined(separator: ", ") + ".")
        }
        let critical = Set(schedule?.criticalPath ?? [])
        return ReportDocument(
            title: model.workflow.title?.value ?? "Workflow",
            description: model.workflow.descriptionText?.value,
            source: sourceName,
            facts: workflowFacts(model: model, schedule: schedule),
            details: structureFacts(model: model),
            notes: notes,
            graph: graphNodes(model: model, skipped: skipped, critical: critical),
            plan: schedule.map { planSection(model: model, schedule: $0) })
    }

    /// The process graph's nodes: owners (a stage's owner, a gate's approvers), SLA, rework
    /// edges with the declared reject share, skipped and critical flags.
    public static func graphNodes(model: WorkflowModel, skipped: [Bool], critical: Set<Int>) -> [ProcessGraphNode] {
        model.nodes.enumerated().map { i, decl in
            let owners = model.owners(ofNode: i).map { model.owners[$0].id.name }
            var reworkLabel: String?
            if let p = decl.reject?.value, p.isFinite, p > 0 { reworkLabel = formatNumber(p) + "%" }
            return ProcessGraphNode(
                id: decl.id.name, title: decl.title?.value ?? decl.id.name, isGate: decl.kind == .gate,
                owners: owners, sla: decl.sla.map { $0.value.description }, after: Array(model.graph.predecessors[i]),
                reworkTarget: decl.kind == .gate ? model.summaries[i].reworkTarget : nil, reworkLabel: reworkLabel,
                skipped: i < skipped.count && skipped[i], critical: critical.contains(i))
        }
    }

    /// The "Plan" section from the forward schedule (`Schedule`, as `checklist` plans it):
    /// the Gantt chart and a table in dependency order. Unscheduled nodes (no SLA and no
    /// estimate) are milestones on their ready day.
    public static func planSection(model: WorkflowModel, schedule: Schedule) -> ReportPlan {
        var rows: [GanttRow] = []
        var table: [[String]] = []
        var highlighted = Set<Int>()
        for i in schedule.order where i < schedule.entries.count && i < model.nodes.count {
            let decl = model.nodes[i]
            let entry = schedule.entries[i]
            let title = decl.title?.value ?? decl.id.name
            let due = entry.dueDate ?? CivilDate(dayNumber: entry.start - 1)
            rows.append(GanttRow(id: decl.id.name, title: title, start: entry.startDate, end: due,
                                 critical: entry.critical, skipped: entry.skipped,
                                 ready: entry.capacityWait > 0 ? CivilDate(dayNumber: entry.start - entry.capacityWait) : nil))
            let owners = model.owners(ofNode: i).map { model.owners[$0].id.name }
            var who = owners.joined(separator: ", ")
            if decl.kind == .gate && owners.count > 1 {
                who += " (\(model.quorum(ofNode: i)) of \(owners.count))"
            }
            var length = "—"
            if let d = entry.days {
                length = "\(d)\(entry.isBusiness ? "bd" : "d")" + (entry.basis == .estimate ? " (estimate)" : "")
            }
            if entry.skipped {
                table.append([title, decl.kind.rawValue, who, "skipped" + (entry.skipReason.map { ": when " + $0 } ?? ""), "", "", ""])
                continue
            }
            if entry.critical { highlighted.insert(table.count) }
            table.append([title, decl.kind.rawValue, who, entry.unscheduled ? "no SLA or estimate" : length,
                          entry.startDate.description, entry.dueDate?.description ?? "—",
                          entry.capacityWait > 0 ? "\(entry.capacityWait) d" : ""])
        }
        var notes: [String] = []
        let path = schedule.criticalPath.compactMap { $0 < model.nodes.count ? model.nodes[$0].id.name : nil }
        if !path.isEmpty { notes.append("Critical path: " + path.joined(separator: " → ") + ".") }
        if schedule.entries.contains(where: \.unscheduled) {
            notes.append("Nodes without an SLA or estimate are not scheduled: they are shown as milestones on the day they become ready.")
        }
        if schedule.entries.contains(where: { $0.capacityWait > 0 }) {
            notes.append("“Waits” is how long a node waits for its owner’s capacity after it could have started.")
        }
        var columns = ["Node", "Kind", "Owner / approvers", "SLA or estimate", "Start", "Due", "Waits"]
        if !schedule.entries.contains(where: { $0.capacityWait > 0 }) {
            columns.removeLast()
            table = table.map { Array($0.prefix(columns.count)) }
        }
        return ReportPlan(
            gantt: GanttInput(rows: rows, kickoff: CivilDate(dayNumber: schedule.kickoff),
                              deadline: schedule.deadline.map { CivilDate(dayNumber: $0) }, calendar: model.calendar),
            table: ReportTable(columns: columns, rows: table,
                               numericColumns: [6], highlightedRows: highlighted),
            notes: notes)
    }

    /// Seconds from `kickoff` to the end of the deadline day (`Schedule.deadlineInstant`,
    /// as `simulate` counts a run on time), or nil without a deadline.
    public static func deadlineSeconds(model: WorkflowModel, kickoff: Double) -> Double? {
        guard let d = model.deadline, d.amount.isFinite, d.amount > 0,
              let end = Schedule.deadlineInstant(d, kickoff: kickoff, calendar: model.calendar) else { return nil }
        return max(0, end - kickoff)
    }

    /// The "Forecast" section from a simulation, in calendar days (the page's one unit);
    /// `sample` (see `forecastSampleNote`) is shown beside the chance of meeting the deadline.
    public static func forecastSection(result: SimulationResult, model: WorkflowModel, values paramValues: [String: Value]? = nil,
                                       notes: [String] = [], sample: String? = nil) -> ReportForecast {
        let kickoff = result.kickoff
        let unit = "d"
        // The samples are sorted and the map is monotone, so percentiles commute with it.
        let values = result.leadTimeSamples.map { $0 / secondsPerDay }
        let p50 = SimulationStatistics.percentile(sorted: values, 0.5)
        let p85 = SimulationStatistics.percentile(sorted: values, 0.85)
        let p95 = SimulationStatistics.percentile(sorted: values, 0.95)
        func text(_ v: Double) -> String { ReportText.duration(v * secondsPerDay) }
        func date(_ instant: Double?) -> String? { instant.map { String(formatInstant($0).prefix(10)) } }
        var markers: [ChartMarker] = []
        if !values.isEmpty {
            markers = [ChartMarker(label: "P50 \(text(p50))", value: p50), ChartMarker(label: "P85 \(text(p85))", value: p85),
                       ChartMarker(label: "P95 \(text(p95))", value: p95)]
        }
        if let seconds = deadlineSeconds(model: model, kickoff: kickoff), let d = model.deadline {
            let v = seconds / secondsPerDay
            let label = d.isBusiness ? "Deadline \(d) (\(text(v)))" : "Deadline \(d)"
            markers.append(ChartMarker(label: label, value: v, kind: .deadline))
        }
        var facts: [ReportFact] = []
        if !values.isEmpty {
            facts.append(ReportFact("P50 lead time", text(p50), detail: date(result.completionP50).map { "done by \($0)" }))
            facts.append(ReportFact("P85 lead time", text(p85), detail: date(result.completionP85).map { "done by \($0)" }))
            facts.append(ReportFact("P95 lead time", text(p95), detail: date(result.completionP95).map { "done by \($0)" }))
        }
        if let p = result.deadlineProbability, let dl = model.deadline {
            facts.append(ReportFact("On time", NumberFormat.percent(p), detail: "chance of finishing within \(dl)", sample: sample))
        }
        facts.append(ReportFact("Runs", NumberFormat.grouped(result.runs), detail: "seed \(result.seed)"))
        var rows: [[String]] = []
        var highlighted = Set<Int>()
        for n in result.nodes {
            if n.criticality >= 0.5 { highlighted.insert(rows.count) }
            rows.append([n.title.isEmpty ? n.id : n.title, NumberFormat.percent(n.criticality),
                         NumberFormat.percent(n.slaBreachProbability), NumberFormat.fixed(n.executionsMean, 2),
                         ReportText.duration(n.waitingMean), ReportText.duration(n.capacityDelayMean),
                         ReportText.duration(n.processingMean), ReportText.duration(n.criticalWaitingMean)])
        }
        var allNotes = notes
        if result.unfinishedRuns > 0 {
            allNotes.append("\(result.unfinishedRuns) of \(result.runs) runs were abandoned after more than 20 rejections "
                + "and are left out of the lead times (they count as late).")
        }
        return ReportForecast(
            facts: facts,
            distribution: DistributionInput(values: values, markers: markers,
                                            axisTitle: "Lead time (calendar days from kickoff)",
                                            countName: "runs", unit: unit,
                                            clipAbove: DistributionInput.tailClip(values, markers: markers)),
            split: leadTimeSplit(result),
            table: ReportTable(columns: ["Node", "Critical", "Over SLA", "Times done per run",
                                         "Hand-off wait", "Wait for owner", "Processing", "Waiting on the critical path"],
                               rows: rows, numericColumns: [1, 2, 3, 4, 5, 6, 7], highlightedRows: highlighted),
            notes: allNotes)
    }

    /// The first screen's cards without a forecast: the planned finish against the
    /// deadline and the kickoff.
    public static func workflowFacts(model: WorkflowModel, schedule: Schedule?) -> [ReportFact] {
        var facts: [ReportFact] = []
        if let schedule, let finish = schedule.finish {
            var detail: String?
            if let deadline = schedule.deadline {
                // Calendar days, the page's unit, whatever unit the deadline is in.
                let slack = deadline - finish
                detail = slack >= 0 ? "\(slack) d before the deadline" : "\(-slack) d after the deadline"
            }
            facts.append(ReportFact("Planned finish", CivilDate(dayNumber: finish).description, detail: detail))
        }
        if let d = model.deadline {
            facts.append(ReportFact("Deadline", d.description,
                                    detail: schedule?.deadline.map { "by \(CivilDate(dayNumber: $0))" }))
        }
        if let schedule {
            facts.append(ReportFact("Kickoff", CivilDate(dayNumber: schedule.kickoff).description))
        }
        return facts
    }

    /// The shape of the process, shown under the first screen: nodes and owners.
    public static func structureFacts(model: WorkflowModel) -> [ReportFact] {
        let stages = model.nodes.filter { $0.kind == .stage }.count
        let gates = model.nodes.count - stages
        return [ReportFact("Nodes", String(model.nodes.count),
                           detail: "\(stages) stage\(stages == 1 ? "" : "s") · \(gates) gate\(gates == 1 ? "" : "s")"),
                ReportFact("Owners", String(model.owners.count))]
    }
}
