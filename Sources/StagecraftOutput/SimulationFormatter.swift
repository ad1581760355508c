import StagecraftSyntax
import StagecraftLanguage
import StagecraftSimulation

/// Text and JSON output of `stagecraft simulate`.
///
/// Text leads with one sentence a lead can paste into a status update, then tables.
/// JSON (`format_version` 1) uses seconds for durations and ISO 8601 for instants. Both are
/// pure functions of the results, so the same inputs and seed give the same bytes.

/// What a forecast was made from, for the headers of both formats (a tuple, so that the CLI
/// builds it without an initializer written out here).
package typealias ForecastContext = (file: String, workflowTitle: String, runs: Int, seed: UInt64, kickoff: Double,
                                     startGiven: Bool, warnings: [String], history: String?, calibration: HistoryCalibration?)

/// One side of `--compare`: its settings as written, its plan and its forecast.
package typealias Scenario = (spec: String, built: BuiltPlan, result: SimulationResult)

/// The simulated event log written by `--emit-log`; `nodes` are those with rows, in plan order,
/// with the activity name written and the mean processing seconds.
package typealias EmittedLog = (path: String, rows: Int, cases: Int, nodes: [(id: String, activity: String, rows: Int, mean: Double)])

extension SimulationFormatter {
    /// `log` as simulated (activities are node IDs); `activities` are the names written per node.
    /// Processing means come from the instants as written (milliseconds), as `replay` reads them.
    package static func emittedLog(path: String, log: SimulatedEventLog, plan: SimulationPlan, activities: [String],
                                   cases: Int) -> EmittedLog {
        var index: [String: Int] = [:]
        for (i, n) in plan.nodes.enumerated() where index[n.id] == nil { index[n.id] = i }
        var count = [Int](repeating: 0, count: plan.nodes.count)
        var sum = [Double](repeating: 0, count: plan.nodes.count)
        for r in log.rows {
            guard let i = index[r.activity] else { continue }
            count[i] += 1
            // Milliseconds, as `formatInstant` writes them.
            sum[i] += ((r.end * 1000).rounded() - (r.start * 1000).rounded()) / 1000
        }
        let nodes = plan.nodes.indices.filter { count[$0] > 0 }.map {
            (plan.nodes[$0].id, $0 < activities.count ? activities[$0] : plan.nodes[$0].id, count[$0], sum[$0] / Double(count[$0]))
        }
        return (path, log.rows.count, cases, nodes)
    }
}

/// Lead times as business days on the calendar the simulation used (holidays dropped
/// without a start), when the deadline (or, without one, the plan) is in `bd`.
struct LeadScale {
    let business: Bool
    let calendar: BusinessCalendar
    let kickoff: Double

    init(plan: SimulationPlan, context: ForecastContext) {
        if let d = plan.deadline {
            business = d.isBusiness
        } else {
            business = plan.nodes.contains { !$0.skipped && ($0.duration.isBusiness || $0.sla?.isBusiness == true) }
        }
        var cal = plan.calendar
        if !context.startGiven { cal.holidays = [:] }
        calendar = cal
        kickoff = context.kickoff
    }

    /// Business days from kickoff to kickoff + `lead`.
    func businessDays(_ lead: Double) -> Double {
        calendar.businessDuration(from: kickoff, to: kickoff + lead) / secondsPerDay
    }

    /// Mean and P50/P85/P95 in business days of elapsed lead times sorted ascending.
    func businessSummary(_ sorted: [Double]) -> (mean: Double, p50: Double, p85: Double, p95: Double) {
        let bd = sorted.map(businessDays)
        return (SimulationStatistics.mean(bd), SimulationStatistics.percentile(sorted: bd, 0.5),
                SimulationStatistics.percentile(sorted: bd, 0.85), SimulationStatistics.percentile(sorted: bd, 0.95))
    }

    /// The last instant of the deadline day (`Schedule.deadlineInstant`, less a second so
    /// that its date is the deadline day), from kickoff.
    func deadlineInstant(_ d: Duration) -> Double {
        (Schedule.deadlineInstant(d, kickoff: kickoff, calendar: calendar) ?? kickoff) - 1
    }
}

package enum SimulationFormatter {
    // MARK: - Units

    /// `45m`, `5h12m`, `3.2d`: elapsed seconds in human units.
    package static func human(_ s: Double) -> String {
        guard s.isFinite else { return "0m" }
        if s < 0 { return "-" + human(-s) }
        let minutes = Int((s / 60).rounded())
        if minutes < 24 * 60 {
            let h = minutes / 60, m = minutes % 60
            if h == 0 { return "\(m)m" }
            return m == 0 ? "\(h)h" : "\(h)h\(m)m"
        }
        return oneDecimal(s / secondsPerDay) + "d"
    }

    /// `23.5bd`.
    static func bd(_ days: Double) -> String { oneDecimal(days) + "bd" }

    static func oneDecimal(_ x: Double) -> String {
        guard x.isFinite else { return "0.0" }
        let t = Int((abs(x) * 10).rounded())
        return (x < 0 && t > 0 ? "-" : "") + "\(t / 10).\(t % 10)"
    }

    /// `78%`; `>99%` and `<1%` where rounding would hide that it is not certain.
    static func percent(_ p: Double) -> String {
        guard p.isFinite, p > 0 else { return "0%" }
        if p >= 1 { return "100%" }
        let r = Int((p * 100).rounded())
        if r >= 100 { return ">99%" }
        if r <= 0 { return "<1%" }
        return "\(r)%"
    }

    static func date(_ t: Double) -> String {
        CivilDate(dayNumber: Int((t / secondsPerDay).rounded(.down))).description
    }

    /// `Tue 2026-12-01 09:00 UTC`.
    static func dateTime(_ t: Double) -> String {
        let day = Int((t / secondsPerDay).rounded(.down))
        let iso = formatInstant(t)
        let hm = iso.dropFirst(11).prefix(5)
        return "\(CivilDate.weekdayAbbreviations[CivilDate.weekday(ofDay: day)]) \(CivilDate(dayNumber: day)) \(hm) UTC"
    }

    static func name(_ node: SimNode) -> String { node.title.isEmpty ? node.id : node.title }

    // MARK: - One launch

    /// The node the status sentence names: the most critical node that is not on the
    /// critical path in every run (a parallel branch that drives the date); nil when every
    /// node is always or never critical.
    static func contender(_ r: SimulationResult, plan: SimulationPlan) -> Int? {
        var best: Int?
        for (i, n) in r.nodes.enumerated() where !plan.nodes[i].skipped && n.criticality > 0 && n.criticality < 1 {
            if best == nil || n.criticality > r.nodes[best!].criticality { best = i }
        }
        return best
    }

    static func sentence(_ r: SimulationResult, plan: SimulationPlan, scale: LeadScale, context: ForecastContext) -> String {
        guard r.finishedRuns > 0 else {
            return "No run finished: in every run a gate rejected more than 20 times, so there is no forecast."
        }
        var parts: [String] = []
        if context.startGiven, let c = r.completionP85 {
            parts.append("85% chance of finishing by \(date(c))")
        } else if scale.business {
            parts.append("85% chance of finishing within \(oneDecimal(scale.businessDays(r.leadTime.p85))) business days")
        } else {
            parts.append("85% chance of finishing within \(human(r.leadTime.p85))")
        }
        if let d = plan.deadline, let p = r.deadlineProbability {
            if context.startGiven {
                parts.append("the deadline \(date(scale.deadlineInstant(d))) is met in \(percent(p)) of runs")
            } else {
                parts.append("the \(d) deadline is met in \(percent(p)) of runs")
            }
        }
        if let c = contender(r, plan: plan) {
            parts.append("\(name(plan.nodes[c])) is on the critical path in \(percent(r.nodes[c].criticality)) of runs")
        } else {
            parts.append("the critical path is the same in every run")
        }
        return parts.joined(separator: "; ") + "."
    }

    static func header(_ context: ForecastContext, runs: Int) -> String {
        let title = context.workflowTitle.isEmpty ? context.file : "\(context.workflowTitle) (\(context.file))"
        var s = "\(title): \(runs) run\(runs == 1 ? "" : "s"), seed \(context.seed), "
        if context.startGiven {
            s += "kickoff \(dateTime(context.kickoff)).\n"
        } else {
            s += "no --start given, so each run starts at 09:00 on a Monday with no holidays and no dates are forecast.\n"
        }
        if let h = context.history, let c = context.calibration {
            let withTimes = c.processingTimes.filter { !$0.isEmpty }.count
            let gates = c.rejectShares.compactMap { $0 }.count
            s += "Calibrated from \(h): \(c.cases) case\(c.cases == 1 ? "" : "s"); recorded processing times for \(withTimes) of \(c.processingTimes.count) nodes, recorded rework for \(gates) gate\(gates == 1 ? "" : "s").\n"
        }
        return s
    }

    package static func text(_ r: SimulationResult, built: BuiltPlan, context: ForecastContext, emitted: EmittedLog?) -> String {
        let plan = built.plan
        let scale = LeadScale(plan: plan, context: context)
        var out = sentence(r, plan: plan, scale: scale, context: context) + "\n\n"
        out += header(context, runs: r.runs) + "\n"

        // Percentiles.
        let b = scale.businessSummary(r.leadTimeSamples)
        func lead(_ elapsed: Double, _ business: Double) -> String { scale.business ? bd(business) : human(elapsed) }
        var rows: [[String]] = []
        let dated = context.startGiven
        if r.finishedRuns > 0 {
            rows.append(["mean", lead(r.leadTime.mean, b.mean)] + (dated ? [""] : []))
            for (label, e, bv, c) in [("P50", r.leadTime.p50, b.p50, r.completionP50), ("P85", r.leadTime.p85, b.p85, r.completionP85),
                                      ("P95", r.leadTime.p95, b.p95, r.completionP95)] {
                rows.append([label, lead(e, bv)] + (dated ? [c.map(date) ?? ""] : []))
            }
        }
        if let d = plan.deadline, let p = r.deadlineProbability {
            rows.append(["deadline", d.description] + (dated ? [date(scale.deadlineInstant(d))] : []) + ["met in \(percent(p)) of runs"])
        }
        out += "Lead time\n"
        out += Table.text(["", "lead time"] + (dated ? ["completion"] : []) + (plan.deadline != nil ? [""] : []), rows, right: [1])
        if let parts = partsSentence(r) { out += parts + "\n" }
        out += "\n"

        // Nodes by criticality.
        let order = plan.nodes.indices.filter { !plan.nodes[$0].skipped }.sorted {
            let a = r.nodes[$0].criticality, c = r.nodes[$1].criticality
            return a != c ? a > c : $0 < $1
        }
        var nodeRows: [[String]] = []
        let waits = r.nodes.contains { $0.waitingMean > 0 }
        for i in order {
            let n = r.nodes[i]
            let source = built.provenance[i].duration.rawValue
            let samples = built.provenance[i].samples
            let thin = built.provenance[i].duration == .history && samples < 10 ? " (\(samples) samples)" : ""
            nodeRows.append([n.id, percent(n.criticality)] + (waits ? [human(n.waitingMean)] : []) + [human(n.capacityDelayMean),
                             plan.nodes[i].sla == nil ? "-" : percent(n.slaBreachProbability), source + thin, n.title])
        }
        out += "Critical nodes (share of runs on the critical path)\n"
        out += Table.text(["node", "critical"] + (waits ? ["hand-off wait"] : []) + ["owner wait", "SLA breach", "duration from", "title"],
                     nodeRows, right: waits ? [1, 2, 3, 4] : [1, 2, 3])
        let skipped = plan.nodes.filter(\.skipped).map(\.id)
        if !skipped.isEmpty {
            out += "  skipped (their 'when' is false): \(skipped.joined(separator: ", "))\n"
        }
        out += "\n"
        out += ownersText(r.owners)
        out += "\nUnfinished runs: \(r.unfinishedRuns) of \(r.runs)"
        out += r.unfinishedRuns > 0 ? " (a gate rejected more than 20 times); they count as missing the deadline.\n" : ".\n"
        if let e = emitted { out += emittedText(e) }
        return out
    }

    /// "Of the mean lead time of 23.1d, 15.0d is hand-off waiting, …; security waits 3.6d
    /// on average." Nil when nothing waits, so forecasts without waiting read as before.
    static func partsSentence(_ r: SimulationResult) -> String? {
        let p = r.leadTimeParts
        guard r.finishedRuns > 0, p.waiting > 0 || r.nodes.contains(where: { $0.waitingMean > 0 }) else { return nil }
        var s = "Of the mean lead time of \(human(r.leadTime.mean)), \(human(p.waiting)) is waiting for hand-offs, "
        s += "\(human(p.queueing)) waiting for owners or working hours and \(human(p.processing)) processing (along the critical path)"
        if let i = r.nodes.indices.max(by: { r.nodes[$0].criticalWaitingMean < r.nodes[$1].criticalWaitingMean || (r.nodes[$0].criticalWaitingMean == r.nodes[$1].criticalWaitingMean && $0 > $1) }),
           r.nodes[i].criticalWaitingMean > 0 {
            s += "; \(r.nodes[i].id) adds the most waiting: \(human(r.nodes[i].criticalWaitingMean)) per launch, \(human(r.nodes[i].waitingMean)) on average per review or task"
        }
        return s + "."
    }

    static func ownersText(_ owners: [OwnerForecast]) -> String {
        var rows: [[String]] = []
        for o in owners {
            rows.append([o.id, String(o.capacity), human(o.queueDelayMean), human(o.queueDelayP95), percent(o.utilisation)])
        }
        return "Owners (queueing for capacity)\n"
            + Table.text(["owner", "capacity", "queue mean", "queue P95", "utilisation"], rows, right: [1, 2, 3, 4])
    }

    static func emittedText(_ e: EmittedLog) -> String {
        var out = "\nEvent log of run 1 (\(e.cases) case\(e.cases == 1 ? "" : "s"), \(e.rows) row\(e.rows == 1 ? "" : "s")) written to \(e.path)\n"
        out += Table.text(["node", "activity", "rows", "mean processing"], e.nodes.map { [$0.id, $0.activity, String($0.rows), human($0.mean)] },
                     right: [2, 3])
        return out
    }

    // MARK: - JSON pieces

    static func seedJSON(_ s: UInt64) -> JSON { s <= UInt64(Int.max) ? .int(Int(s)) : .number(Double(s)) }

    static func summaryJSON(_ l: LeadTimeSummary) -> JSON {
        .object([("mean_s", .number(l.mean)), ("stdev_s", .number(l.stdev)), ("min_s", .number(l.min)),
                 ("p50_s", .number(l.p50)), ("p85_s", .number(l.p85)), ("p95_s", .number(l.p95)), ("max_s", .number(l.max))])
    }

    /// The P50/P85/P95 completion instants, null without a start.
    static func completionJSON(_ r: SimulationResult) -> JSON {
        .object([("p50", .optional(r.completionP50.map(formatInstant))), ("p85", .optional(r.completionP85.map(formatInstant))),
                 ("p95", .optional(r.completionP95.map(formatInstant)))])
    }

    static func ownersJSON(_ owners: [OwnerForecast]) -> JSON {
        .array(owners.map { o in
            .object([("id", .string(o.id)), ("capacity", .int(o.capacity)), ("queue_delay_mean_s", .number(o.queueDelayMean)),
                     ("queue_delay_p95_s", .number(o.queueDelayP95)), ("utilisation", .number(o.utilisation)),
                     ("items_mean", .number(o.itemsMean))])
        })
    }

    static func historyJSON(_ context: ForecastContext) -> JSON {
        guard let path = context.history, let c = context.calibration else { return .null }
        return .object([
            ("path", .string(path)), ("cases", .int(c.cases)),
            ("nodes_with_history", .int(c.processingTimes.filter { !$0.isEmpty }.count)),
            ("unmapped_activities", .array(c.unmapped.map { .object([("activity", .string($0.activity)), ("occurrences", .int($0.occurrences))]) })),
        ])
    }

    static func emittedJSON(_ e: EmittedLog?) -> JSON {
        guard let e else { return .null }
        return .object([
            ("path", .string(e.path)), ("run", .int(1)), ("cases", .int(e.cases)), ("rows", .int(e.rows)),
            ("nodes", .array(e.nodes.map { .object([("id", .string($0.id)), ("activity", .string($0.activity)), ("rows", .int($0.rows)),
                                          ("processing_mean_s", .number($0.mean))]) })),
        ])
    }

    static func deadlineJSON(_ plan: SimulationPlan, scale: LeadScale, context: ForecastContext) -> JSON {
        guard let d = plan.deadline else { return .null }
        return .object([("duration", .string(d.description)), ("seconds", .number(d.seconds)), ("business", .bool(d.isBusiness)),
                        ("date", context.startGiven ? .string(formatInstant(scale.deadlineInstant(d))) : .null)])
    }

    /// A JSON output of `mode`: the shared header fields, then `body`, then the warnings.
    static func document(_ mode: String, context: ForecastContext, runs: Int, _ body: [(String, JSON)]) -> String {
        let head: [(String, JSON)] = [("format_version", .int(1)), ("mode", .string(mode)), ("file", .string(context.file)),
            ("workflow", .string(context.workflowTitle)), ("runs", .int(runs)), ("seed", seedJSON(context.seed)),
            ("kickoff", .string(formatInstant(context.kickoff))), ("kickoff_given", .bool(context.startGiven))]
        let warnings: (String, JSON) = ("warnings", .array(context.warnings.map { .string($0) }))
        return JSON.object(head + body + [warnings]).serialized(pretty: true) + "\n"
    }

    package static func json(_ r: SimulationResult, built: BuiltPlan, context: ForecastContext, emitted: EmittedLog?) -> String {
        let plan = built.plan
        let scale = LeadScale(plan: plan, context: context)
        let b = scale.businessSummary(r.leadTimeSamples)
        let finished = r.finishedRuns > 0
        var nodes: [JSON] = []
        for (i, n) in r.nodes.enumerated() {
            let p = built.provenance[i]
            let node = plan.nodes[i]
            nodes.append(.object([
                ("id", .string(n.id)), ("title", .string(n.title)), ("kind", .string(node.isGate ? "gate" : "stage")),
                ("skipped", .bool(node.skipped)), ("criticality", .number(n.criticality)),
                ("capacity_delay_mean_s", .number(n.capacityDelayMean)),
                ("sla_breach_probability", node.sla == nil ? .null : .number(n.slaBreachProbability)),
                ("executions_mean", .number(n.executionsMean)),
                ("waiting_mean_s", .number(n.waitingMean)), ("processing_mean_s", .number(n.processingMean)),
                ("critical_waiting_mean_s", .number(n.criticalWaitingMean)),
                ("chance", .number(node.chance)),
                ("duration_source", .string(p.duration.rawValue)),
                ("history_samples", .int(p.samples)),
                ("reject_probability", node.isGate ? .number(node.rejectProbability) : .null),
                ("reject_source", node.isGate ? .string(p.reject.rawValue) : .null),
            ]))
        }
        return document("single", context: context, runs: r.runs, [
            ("finished_runs", .int(r.finishedRuns)), ("unfinished_runs", .int(r.unfinishedRuns)),
            ("lead_time", summaryJSON(r.leadTime)),
            ("lead_time_parts", .object([("waiting_s", .number(r.leadTimeParts.waiting)),
                                         ("queueing_s", .number(r.leadTimeParts.queueing)),
                                         ("processing_s", .number(r.leadTimeParts.processing))])),
            ("lead_time_business_days", finished ? .object([("mean", .number(b.mean)), ("p50", .number(b.p50)),
                                                            ("p85", .number(b.p85)), ("p95", .number(b.p95))]) : .null),
            ("completion", completionJSON(r)),
            ("deadline", deadlineJSON(plan, scale: scale, context: context)),
            ("deadline_probability", .optional(r.deadlineProbability)),
            ("nodes", .array(nodes)), ("owners", ownersJSON(r.owners)),
            ("history", historyJSON(context)), ("event_log", emittedJSON(emitted)),
        ])
    }

    // MARK: - Portfolio

    static func caseID(_ c: Int, of cases: Int) -> String {
        let width = String(cases).count
        let s = String(c + 1)
        return "case-" + String(repeating: "0", count: width - s.count) + s
    }

    package static func text(_ r: PortfolioResult, built: BuiltPlan, context: ForecastContext, requestedRuns: Int,
                     emitted: EmittedLog?) -> String {
        var out = ""
        if r.finishedCases == 0 {
            out += "No launch finished: in every run each launch had a gate reject more than 20 times.\n\n"
        } else {
            var s = "With \(arrivalPhrase(r.arrivals)), 85% of launches finish within \(human(r.leadTime.p85)) of their start (P50 \(human(r.leadTime.p50)))"
            if let o = r.owners.indices.max(by: { r.owners[$0].queueDelayMean < r.owners[$1].queueDelayMean || (r.owners[$0].queueDelayMean == r.owners[$1].queueDelayMean && $0 > $1) }),
               r.owners[o].queueDelayMean > 0 {
                s += "; work waits longest for \(r.owners[o].id): \(human(r.owners[o].queueDelayMean)) on average, at \(percent(r.owners[o].utilisation)) utilisation"
            } else {
                s += "; no work waits for an owner"
            }
            out += s + ".\n\n"
        }
        out += "Portfolio of \(r.cases) launch\(r.cases == 1 ? "" : "es"), \(arrivalClause(r.arrivals)), sharing owners. "
        out += header(context, runs: r.runs)
        if r.runs < requestedRuns {
            out += "Runs reduced from \(requestedRuns) to \(r.runs) to keep runs × launches within \(Simulator.maxPortfolioCaseRuns).\n"
        }
        out += "\nLead time per launch (start to done, over all launches of all runs)\n"
        out += Table.text(["", "lead time"], [["mean", human(r.leadTime.mean)], ["P50", human(r.leadTime.p50)],
                                         ["P85", human(r.leadTime.p85)], ["P95", human(r.leadTime.p95)]], right: [1])
        out += "Last launch done, from kickoff: P50 \(human(r.makespan.p50)), P85 \(human(r.makespan.p85)), P95 \(human(r.makespan.p95))\n\n"

        var picks = Array(0..<r.cases)
        if r.cases > 10 { picks = Array(0..<5) + [-1] + Array((r.cases - 5)..<r.cases) }
        var rows: [[String]] = []
        for c in picks {
            if c < 0 {
                rows.append(["…", "", "", ""])
                continue
            }
            let starts = context.startGiven ? String(formatInstant(r.caseArrivals[c]).prefix(16)).replacingOccurrences(of: "T", with: " ")
                                            : "+" + human(r.caseArrivals[c] - r.kickoff)
            rows.append([caseID(c, of: r.cases), starts, r.caseFinishedRuns[c] > 0 ? human(r.caseLeadTimeMean[c]) : "-",
                         percent(Double(r.caseFinishedRuns[c]) / Double(max(r.runs, 1)))])
        }
        out += "Launches (mean over runs)\n"
        out += Table.text(["launch", "starts", "mean lead time", "finished"], rows, right: [2, 3])
        out += "\n" + ownersText(r.owners)
        out += "\nUnfinished launches: \(r.unfinishedCases) of \(r.cases * r.runs) launch-runs"
        out += r.unfinishedCases > 0 ? " (a gate rejected more than 20 times).\n" : ".\n"
        if let e = emitted { out += emittedText(e) }
        return out
    }

    /// "a launch every 2d", "launches arriving every 2d on average", …
    static func arrivalPhrase(_ a: ArrivalModel) -> String {
        switch a {
        case .every(let d): return "a launch every \(d)"
        case .exponential(let d): return "launches arriving every \(d) on average"
        case .resampled: return "launches arriving as often as in the history"
        case .instants: return "launches arriving at their recorded starts"
        }
    }

    static func arrivalClause(_ a: ArrivalModel) -> String {
        switch a {
        case .every(let d): return "one every \(d)"
        case .exponential(let d): return "arriving every \(d) on average (exponential)"
        case .resampled: return "arriving at intervals drawn from the history"
        case .instants: return "arriving at their recorded starts"
        }
    }

    /// The mean interval between arrivals in seconds, or null when it is not one figure.
    static func arrivalSeconds(_ a: ArrivalModel) -> JSON {
        switch a {
        case .every(let d), .exponential(let d): return .number(d.seconds)
        case .resampled(let xs): return .number(SimulationStatistics.mean(xs))
        case .instants: return .null
        }
    }

    package static func json(_ r: PortfolioResult, built: BuiltPlan, context: ForecastContext, requestedRuns: Int,
                     emitted: EmittedLog?) -> String {
        var instances: [JSON] = []
        instances.reserveCapacity(r.cases)
        for c in 0..<r.cases {
            instances.append(.object([
                ("case", .string(caseID(c, of: r.cases))), ("arrival", .string(formatInstant(r.caseArrivals[c]))),
                ("lead_time_mean_s", r.caseFinishedRuns[c] > 0 ? .number(r.caseLeadTimeMean[c]) : .null),
                ("finished_runs", .int(r.caseFinishedRuns[c])),
            ]))
        }
        return document("portfolio", context: context, runs: r.runs, [
            ("runs_requested", .int(requestedRuns)), ("cases", .int(r.cases)),
            ("arrival", .string(r.arrivals.description)), ("arrival_s", arrivalSeconds(r.arrivals)),
            ("finished_cases", .int(r.finishedCases)), ("unfinished_cases", .int(r.unfinishedCases)),
            ("lead_time", summaryJSON(r.leadTime)), ("makespan", summaryJSON(r.makespan)),
            ("instances", .array(instances)), ("owners", ownersJSON(r.owners)),
            ("history", historyJSON(context)), ("event_log", emittedJSON(emitted)),
        ])
    }

    // MARK: - Compare

    package static func text(_ scenarioA: Scenario, _ scenarioB: Scenario, context: ForecastContext) -> String {
        let scale = LeadScale(plan: scenarioA.built.plan, context: context)
        let (a, b) = (scenarioA.result, scenarioB.result)
        let ba = scale.businessSummary(a.leadTimeSamples), bb = scale.businessSummary(b.leadTimeSamples)
        func lead(_ e: Double, _ bdv: Double) -> String { scale.business ? bd(bdv) : human(e) }
        func diff(_ e: Double, _ bdv: Double) -> String {
            let text = lead(e, bdv)
            return text == "0.0bd" || text == "0m" ? "0" : (text.hasPrefix("-") ? text : "+" + text)
        }
        func specText(_ s: String) -> String {
            let t = s.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            return t.isEmpty ? "as given" : t
        }
        var out = ""
        if a.finishedRuns > 0 && b.finishedRuns > 0 {
            let d85 = scale.business ? bb.p85 - ba.p85 : b.leadTime.p85 - a.leadTime.p85
            let amount = scale.business ? bd(abs(d85)) : human(abs(d85))
            var s: String
            if amount == "0.0bd" || amount == "0m" {
                s = "Scenario B (\(specText(scenarioB.spec))) finishes at the same time as A (\(specText(scenarioA.spec))) at P85"
            } else {
                s = "Scenario B (\(specText(scenarioB.spec))) finishes \(amount) \(d85 < 0 ? "sooner" : "later") than A (\(specText(scenarioA.spec))) at P85"
            }
            if let pa = a.deadlineProbability, let pb = b.deadlineProbability {
                s += percent(pa) == percent(pb) ? " and meets the deadline as often (\(percent(pb)) of runs)"
                    : " and meets the deadline in \(percent(pb)) of runs instead of \(percent(pa))"
            }
            out += s + ".\n\n"
        }
        out += header(context, runs: a.runs) + "Both scenarios use the same random streams.\n\n"
        var rows: [[String]] = [["settings", specText(scenarioA.spec), specText(scenarioB.spec), ""]]
        rows.append(["P50", lead(a.leadTime.p50, ba.p50), lead(b.leadTime.p50, bb.p50),
                     diff(b.leadTime.p50 - a.leadTime.p50, bb.p50 - ba.p50)])
        rows.append(["P85", lead(a.leadTime.p85, ba.p85), lead(b.leadTime.p85, bb.p85),
                     diff(b.leadTime.p85 - a.leadTime.p85, bb.p85 - ba.p85)])
        if context.startGiven, let x = a.completionP85, let y = b.completionP85 {
            rows.append(["P85 date", date(x), date(y), ""])
        }
        if let pa = a.deadlineProbability, let pb = b.deadlineProbability {
            let pts = Int(((pb - pa) * 100).rounded())
            rows.append(["deadline met", percent(pa), percent(pb), pts == 0 ? "0 pts" : (pts > 0 ? "+" : "-") + "\(abs(pts)) pts"])
        }
        rows.append(["unfinished runs", String(a.unfinishedRuns), String(b.unfinishedRuns), ""])
        out += Table.text(["", "A", "B", "B - A"], rows, right: [1, 2, 3])
        return out
    }

    package static func json(_ scenarioA: Scenario, _ scenarioB: Scenario, context: ForecastContext) -> String {
        func scenario(_ label: String, _ s: Scenario) -> JSON {
            let r = s.result
            return .object([
                ("label", .string(label)), ("spec", .string(s.spec)),
                ("lead_time", .object([("mean_s", .number(r.leadTime.mean)), ("p50_s", .number(r.leadTime.p50)),
                                       ("p85_s", .number(r.leadTime.p85)), ("p95_s", .number(r.leadTime.p95))])),
                ("completion", completionJSON(r)),
                ("deadline_probability", .optional(r.deadlineProbability)),
                ("unfinished_runs", .int(r.unfinishedRuns)),
            ])
        }
        let (a, b) = (scenarioA.result, scenarioB.result)
        let dp = a.deadlineProbability.flatMap { pa in b.deadlineProbability.map { $0 - pa } }
        return document("compare", context: context, runs: a.runs, [
            ("scenarios", .array([scenario("A", scenarioA), scenario("B", scenarioB)])),
            ("difference", .object([("p50_s", .number(b.leadTime.p50 - a.leadTime.p50)),
                                    ("p85_s", .number(b.leadTime.p85 - a.leadTime.p85)),
                                    ("deadline_probability", .optional(dp))])),
        ])
    }
}
