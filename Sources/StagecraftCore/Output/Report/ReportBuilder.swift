/// Adapters from the language model, the planned schedule, the simulator's result and the
/// history replay to the report's chart inputs.

/// The planned schedule in dates, as the report draws it.
public struct PlannedDates: Hashable, Sendable {
    /// The first business day on or after the requested start.
    public var kickoff: CivilDate
    /// Per node, in declaration order: first planned day and due date (inclusive); a node
    /// that takes no time has `due` one day before `start`.
    public var start: [CivilDate]
    public var due: [CivilDate]
    public var skipped: [Bool]
    /// Nodes on the longest path of SLAs.
    public var critical: Set<Int>
    /// The last due date, when any node takes time.
    public var finish: CivilDate?
    /// The length of the plan in business days.
    public var businessDays: Double
    /// The last day the workflow's `deadline` allows, when it declares one.
    public var deadline: CivilDate?
}

/// Builds `ReportDocument`s.
public enum ReportBuilder {
    /// The kickoff `report` uses without `--start`: the simulator's default kickoff day,
    /// so the same file always gives the same page.
    public static let defaultStart = CivilDate(year: 2024, month: 1, day: 1)

    /// The process graph's nodes: owners (a stage's owner, a gate's approvers), SLA, rework
    /// edges with the declared reject share, skipped and critical flags.
    public static func graphNodes(model: WorkflowModel, skipped: [Bool], critical: Set<Int>) -> [ProcessGraphNode] {
        model.nodes.enumerated().map { i, decl in
            let owners = model.owners(ofNode: i).map { model.owners[$0].id.name }
            var reworkLabel: String?
            if let p = decl.reject?.value, p.isFinite, p > 0 { reworkLabel = formatNumber(p) + "%" }
            return ProcessGraphNode(
                id: decl.id.name, title: decl.title?.value ?? decl.id.name, isGate: decl.kind == .gate,
                owners: owners, sla: decl.sla.map { $0.value.description }, after: model.graph.predecessors[i],
                reworkTarget: decl.kind == .gate ? model.reworkTarget(ofNode: i) : nil, reworkLabel: reworkLabel,
                skipped: i < skipped.count && skipped[i], critical: critical.contains(i))
        }
    }

    /// The SLA plan in dates: every node starts when its `after` nodes are due and takes its
    /// SLA in business days on the workflow calendar (`SLASchedule`), from the first
    /// business day on or after `start`. Nil when the graph has a cycle.
    public static func plannedDates(model: WorkflowModel, values: [String: Value], start: CivilDate) -> PlannedDates? {
        guard let schedule = SLASchedule(model: model, values: values) else { return nil }
        let calendar = model.calendar
        let kickoffDay = calendar.nextBusinessDay(onOrAfter: start.dayNumber)
        // Business-day offsets from kickoff are whole or fractional; a node occupies every
        // business day it touches. Offsets are capped so a huge SLA cannot stall the loop.
        func day(_ offset: Double) -> Int {
            let n = offset.isFinite ? Int(min(max(offset, 0), 100_000)) : 0
            return calendar.addBusinessDays(n, to: kickoffDay)
        }
        var starts: [CivilDate] = [], dues: [CivilDate] = []
        var finish: Int?
        for i in model.nodes.indices {
            let s = schedule.start[i], e = schedule.end[i]
            let first = day(s.rounded(.down))
            starts.append(CivilDate(dayNumber: first))
            if e > s {
                let last = max(first, day(e.rounded(.up) - 1))
                dues.append(CivilDate(dayNumber: last))
                finish = max(finish ?? last, last)
            } else {
                dues.append(CivilDate(dayNumber: first - 1))
            }
        }
        var deadline: CivilDate?
        if let d = model.deadline, d.amount.isFinite, d.amount > 0 {
            if d.isBusiness {
                deadline = CivilDate(dayNumber: day(d.amount.rounded(.up) - 1))
            } else {
                let seconds = min(d.seconds, 100_000 * secondsPerDay)
                deadline = CivilDate(dayNumber: kickoffDay + Int(((seconds - 1) / secondsPerDay).rounded(.down)))
            }
        }
        return PlannedDates(kickoff: CivilDate(dayNumber: kickoffDay), start: starts, due: dues, skipped: schedule.skipped,
                            critical: Set(schedule.criticalPath), finish: finish.map { CivilDate(dayNumber: $0) },
                            businessDays: schedule.length, deadline: deadline)
    }

    /// The "Plan" section from planned dates: the Gantt chart and a table in dependency order.
    public static func planSection(model: WorkflowModel, source: SourceFile?, dates: PlannedDates) -> ReportPlan {
        let order = model.graph.topologicalOrder ?? Array(model.nodes.indices)
        var rows: [GanttRow] = []
        var table: [[String]] = []
        var highlighted = Set<Int>()
        for i in order {
            let decl = model.nodes[i]
            let title = decl.title?.value ?? decl.id.name
            let critical = dates.critical.contains(i)
            rows.append(GanttRow(id: decl.id.name, title: title, start: dates.start[i], end: dates.due[i],
                                 critical: critical, skipped: dates.skipped[i]))
            let owners = model.owners(ofNode: i).map { model.owners[$0].id.name }
            var who = owners.joined(separator: ", ")
            if decl.kind == .gate && owners.count > 1 {
                who += " (\(model.quorum(ofNode: i)) of \(owners.count))"
            }
            let sla = decl.sla.map { $0.value.description } ?? "—"
            if dates.skipped[i] {
                var reason = "skipped"
                if let cond = decl.condition, let source {
                    reason += ": when " + source.text(of: cond.range).split(whereSeparator: \.isWhitespace).joined(separator: " ")
                }
                table.append([title, decl.kind.rawValue, who, sla, reason, ""])
            } else {
                let takesTime = dates.due[i] >= dates.start[i]
                if critical { highlighted.insert(table.count) }
                table.append([title, decl.kind.rawValue, who, sla, dates.start[i].description,
                              takesTime ? dates.due[i].description : dates.start[i].description + " (no SLA)"])
            }
        }
        var notes: [String] = []
        let path = model.nodes.indices.filter { dates.critical.contains($0) }
            .sorted { (dates.start[$0], $0) < (dates.start[$1], $1) }
            .map { model.nodes[$0].id.name }
        if !path.isEmpty { notes.append("Critical path: " + path.joined(separator: " → ") + ".") }
        if model.nodes.contains(where: { $0.sla == nil }) {
            notes.append("Nodes without an SLA take no time in the plan.")
        }
        return ReportPlan(
            gantt: GanttInput(rows: rows, kickoff: dates.kickoff, deadline: dates.deadline, calendar: model.calendar),
            table: ReportTable(columns: ["Node", "Kind", "Owner / approvers", "SLA", "Start", "Due"], rows: table,
                               highlightedRows: highlighted),
            notes: notes)
    }

    /// Seconds from `kickoff` to the workflow's deadline (business time on the calendar for
    /// `bd`), or nil without a deadline.
    public static func deadlineSeconds(model: WorkflowModel, kickoff: Double) -> Double? {
        guard let d = model.deadline, d.amount.isFinite, d.amount > 0 else { return nil }
        let seconds = min(d.seconds, 100_000 * secondsPerDay)
        return d.isBusiness ? model.calendar.advance(kickoff, byBusinessSeconds: seconds) - kickoff : seconds
    }

    /// The "Forecast" section from a simulation: lead-time histogram and CDF in calendar
    /// days from kickoff with P50/P85/P95 and deadline markers, headline facts and a
    /// per-node table (criticality, SLA breach probability, executions).
    public static func forecastSection(result: SimulationResult, model: WorkflowModel, notes: [String] = []) -> ReportForecast {
        let days = result.leadTimeSamples.map { $0 / secondsPerDay }
        let s = result.leadTime
        func d(_ seconds: Double) -> String { NumberFormat.fixed(seconds / secondsPerDay, 1) + " d" }
        func date(_ instant: Double?) -> String? { instant.map { String(formatInstant($0).prefix(10)) } }
        var markers = [ChartMarker(label: "P50 \(d(s.p50))", value: s.p50 / secondsPerDay),
                       ChartMarker(label: "P85 \(d(s.p85))", value: s.p85 / secondsPerDay),
                       ChartMarker(label: "P95 \(d(s.p95))", value: s.p95 / secondsPerDay)]
        let deadline = deadlineSeconds(model: model, kickoff: result.kickoff)
        if let deadline, let d = model.deadline {
            markers.append(ChartMarker(label: "Deadline \(d) (\(NumberFormat.fixed(deadline / secondsPerDay, 1)) d)",
                                       value: deadline / secondsPerDay, kind: .deadline))
        }
        var facts: [ReportFact] = []
        if s.count > 0 {
            facts.append(ReportFact("P50 lead time", d(s.p50), detail: date(result.completionP50).map { "done by \($0)" }))
            facts.append(ReportFact("P85 lead time", d(s.p85), detail: date(result.completionP85).map { "done by \($0)" }))
            facts.append(ReportFact("P95 lead time", d(s.p95), detail: date(result.completionP95).map { "done by \($0)" }))
        }
        if let p = result.deadlineProbability, let dl = model.deadline {
            facts.append(ReportFact("On time", NumberFormat.percent(p), detail: "chance of finishing within \(dl)"))
        }
        facts.append(ReportFact("Runs", String(result.runs), detail: "seed \(result.seed)"))
        var rows: [[String]] = []
        var highlighted = Set<Int>()
        for n in result.nodes {
            if n.criticality >= 0.5 { highlighted.insert(rows.count) }
            rows.append([n.title.isEmpty ? n.id : n.title, NumberFormat.percent(n.criticality),
                         NumberFormat.percent(n.slaBreachProbability), NumberFormat.fixed(n.executionsMean, 2),
                         NumberFormat.fixed(n.capacityDelayMean / secondsPerDay, 1)])
        }
        var allNotes = notes
        if result.unfinishedRuns > 0 {
            allNotes.append("\(result.unfinishedRuns) of \(result.runs) runs were abandoned after more than 20 rejections "
                + "and are left out of the lead times (they count as late).")
        }
        return ReportForecast(
            facts: facts,
            distribution: DistributionInput(values: days, markers: markers,
                                            axisTitle: "Lead time (calendar days from kickoff)", countName: "runs"),
            table: ReportTable(columns: ["Node", "On critical path", "SLA breached", "Executions per run",
                                         "Wait for owner (d)"],
                               rows: rows, numericColumns: [1, 2, 3, 4], highlightedRows: highlighted),
            notes: allNotes)
    }

    /// Headline facts about the workflow and its plan.
    public static func workflowFacts(model: WorkflowModel, dates: PlannedDates?) -> [ReportFact] {
        let stages = model.nodes.filter { $0.kind == .stage }.count
        let gates = model.nodes.count - stages
        var facts = [ReportFact("Nodes", String(model.nodes.count),
                                detail: "\(stages) stage\(stages == 1 ? "" : "s") · \(gates) gate\(gates == 1 ? "" : "s")"),
                     ReportFact("Owners", String(model.owners.count))]
        if let dates {
            facts.append(ReportFact("Kickoff", dates.kickoff.description))
        }
        if let d = model.deadline {
            facts.append(ReportFact("Deadline", d.description, detail: dates?.deadline.map { "by \($0)" }))
        }
        if let dates, let finish = dates.finish {
            var detail = "\(formatNumber((dates.businessDays * 10).rounded() / 10)) business days on SLAs"
            if let deadline = dates.deadline {
                detail += finish <= deadline ? " · on time" : " · after the deadline"
            }
            facts.append(ReportFact("Planned finish", finish.description, detail: detail))
        }
        return facts
    }
}
