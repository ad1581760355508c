import StagecraftSyntax
import StagecraftSimulation

/// Text, JSON and Markdown for `stagecraft status` and `stagecraft status --backtest`.
package struct StatusFormatter {
    let result: Status.Result
    let file: String
    let log: String

    /// The status in `format`: text, json, markdown or html (the dashboard, headed by `title`).
    package static func render(_ result: Status.Result, file: String, log: String, title: String, format: String) -> String {
        let formatter = StatusFormatter(result: result, file: file, log: log)
        switch format {
        case "json": return formatter.json()
        case "html": return StatusDashboard.render(result, title: title, file: file, log: log)
        case "markdown": return formatter.markdown()
        default: return formatter.text()
        }
    }

    private typealias F = SimulationFormatter

    static func span(_ s: Double) -> String {
        guard s.isFinite else { return "never" }
        if s >= secondsPerDay { return F.oneDecimal(s / secondsPerDay) + "d" }
        return F.oneDecimal(s / 3600) + "h"
    }

    static func instant(_ t: Double) -> String { t.isFinite ? F.dateTime(t) : "never" }

    /// A deadline: one at midnight is the end of the day before, `Tue 2026-12-15 24:00 UTC`.
    static func deadline(_ t: Double) -> String {
        guard t.isFinite, t.truncatingRemainder(dividingBy: secondsPerDay) == 0 else { return instant(t) }
        return String(instant(t - secondsPerDay).dropLast(9)) + "24:00 UTC"
    }

    private func chance(_ c: Status.CaseStatus) -> String { c.deadlineProbability.map(F.percent) ?? "-" }

    /// `; may already be over (nothing left in 32 of 100 runs)`, when some runs needed no more work.
    static func endedNote(_ c: Status.CaseStatus, runs: Int) -> String {
        c.endedRuns > 0 ? "; may already be over (nothing left in \(c.endedRuns) of \(runs) runs)" : ""
    }

    private func ended(_ c: Status.CaseStatus) -> String { Self.endedNote(c, runs: result.runs) }

    /// Where a node stands: done, running or ready since when (and for whom), not yet ready or skipped.
    static func state(_ n: Status.NodeStatus) -> String {
        switch n.state {
        case .done: return "done " + (n.since.map(Self.instant) ?? "")
        case .running: return "running since \(n.since.map(Self.instant) ?? "?")" + (n.owner.map { " by \($0)" } ?? "")
        case .ready: return "ready since \(n.since.map(Self.instant) ?? "?")" + (n.owner.map { ", waiting for \($0)" } ?? "")
        case .notReady: return "not yet ready"
        case .skipped: return "skipped"
        }
    }

    /// `; a new launch every 2d (12 simulated)` with `--arrival`, else nothing.
    var arrivalNote: String {
        guard let a = result.arrival else { return "" }
        return "; a new launch every \(a) (\(result.newLaunches) simulated)"
    }

    private static let caseHeader = ["case", "started", "P50", "P85", "deadline", "on time", "waiting on", "overdue"]

    /// The cases by risk; `code` writes node IDs as Markdown code.
    private func caseRows(code: Bool) -> [[String]] {
        result.cases.map { c in
            [c.id, Self.instant(c.started), Self.instant(c.completionP50), Self.instant(c.completionP85),
             c.deadline.map(Self.deadline) ?? "-", chance(c), c.waitingOn.isEmpty ? "-" : c.waitingOn.joined(separator: ", "),
             c.overdue.isEmpty ? "-" : c.overdue.map { (code ? "`\($0.node)`" : $0.node) + " +\(Self.span($0.overBySeconds))" }
                .joined(separator: ", ")]
        }
    }

    private static let ownerHeader = ["owner", "waiting cases", "queue"]

    /// The owners someone waits for, or with a forecast queue.
    private var ownerRows: [[String]] {
        result.owners.filter { $0.waitingCases > 0 || $0.queueMean > 0 }
            .map { [$0.id, String($0.waitingCases), Self.span($0.queueMean)] }
    }

    package func text() -> String {
        let r = result
        var out = r.summary + "\n\n"
        out += "Status of \(file) on \(log) as of \(Self.instant(r.asOf)): \(r.cases.count) in flight, forecast calibrated on \(r.calibrationCases) finished cases; \(r.runs) runs, seed \(r.seed)\(arrivalNote).\n\n"
        if !r.cases.isEmpty {
            out += "Cases by risk\n" + Table.text(Self.caseHeader, caseRows(code: false), right: [5])
        }
        let owners = ownerRows
        if !owners.isEmpty {
            out += "\nOwners by cases waiting\n" + Table.text(Self.ownerHeader, owners, right: [1, 2])
        }
        for c in r.cases {
            out += "\n\(c.id) (started \(Self.instant(c.started)); remaining P50 \(Self.span(c.remainingP50)), P85 \(Self.span(c.remainingP85))\(ended(c)))\n"
            for n in c.nodes { out += "  \(n.id): \(Self.state(n))\n" }
        }
        return out
    }

    package func markdown() -> String {
        let r = result
        var out = "# Status of `\(file)`\n\n" + r.summary + "\n\n"
        out += "As of \(Self.instant(r.asOf)), from `\(log)`: \(r.cases.count) in flight; forecast calibrated on \(r.calibrationCases) finished cases, \(r.runs) runs, seed \(r.seed)\(arrivalNote).\n\n"
        if !r.cases.isEmpty { out += Table.markdown(Self.caseHeader, caseRows(code: true), right: [5]) }
        let owners = ownerRows
        if !owners.isEmpty { out += "\n" + Table.markdown(Self.ownerHeader, owners, right: [1, 2]) }
        for c in r.cases {
            out += "\n## \(c.id)\n\nRemaining P50 \(Self.span(c.remainingP50)), P85 \(Self.span(c.remainingP85))\(ended(c)).\n\n"
            for n in c.nodes { out += "- `\(n.id)`: \(Self.state(n))\n" }
        }
        return out
    }

    package func json() -> String {
        let r = result
        func time(_ t: Double?) -> JSON { t.flatMap { $0.isFinite ? JSON.string(formatInstant($0)) : nil } ?? .null }
        func secs(_ s: Double) -> JSON { s.isFinite ? .number(s) : .null }
        let cases: [JSON] = r.cases.map { c in
            .object([
                ("case", .string(c.id)), ("started", time(c.started)),
                ("nodes", .array(c.nodes.map { n in
                    .object([("id", .string(n.id)), ("state", .string(n.state.rawValue)), ("since", time(n.since)),
                             ("owner", JSON.optional(n.owner))])
                })),
                ("overdue", .array(c.overdue.map { .object([("node", .string($0.node)), ("over_by_s", .number($0.overBySeconds))]) })),
                ("waiting_on", .array(c.waitingOn.map { .string($0) })),
                ("remaining", .object([("p50_s", secs(c.remainingP50)), ("p85_s", secs(c.remainingP85))])),
                ("completion", .object([("p50", time(c.completionP50)), ("p85", time(c.completionP85))])),
                ("deadline", time(c.deadline)),
                ("deadline_probability", c.deadlineProbability.map { .number($0) } ?? .null),
                ("expected_slip_s", c.expectedSlip.map { .number($0) } ?? .null),
                ("unfinished_runs", .int(c.unfinishedRuns)),
                ("ended_runs", .int(c.endedRuns)),
            ])
        }
        let doc = JSON.object([
            ("format_version", .int(1)), ("file", .string(file)), ("history", .string(log)),
            ("as_of", time(r.asOf)), ("runs", .int(r.runs)), ("seed", .string(String(r.seed))),
            ("calibration_cases", .int(r.calibrationCases)),
            ("arrival", r.arrival.map { .string($0.description) } ?? .null),
            ("new_launches", .int(r.newLaunches)),
            ("cases", .array(cases)),
            ("owners", .array(r.owners.map { .object([("id", .string($0.id)), ("waiting_cases", .int($0.waitingCases)),
                                                     ("queue_mean_s", .number($0.queueMean))]) })),
            ("summary", .string(r.summary)),
            ("warnings", .array(r.warnings.map { .string($0) })),
        ])
        return doc.serialized(pretty: true) + "\n"
    }

    /// The backtest of status: one table of errors against the naive forecast.
    package static func backtest(_ b: StatusBacktest.Result, file: String, log: String, format: String) -> String {
        let ratio = b.naiveMAE > 0 ? 1 - b.mae / b.naiveMAE : 0
        let gain = ratio.isFinite ? ratio : 0
        let line = "Remaining-time MAE \(F.oneDecimal(b.mae / 3600))h against naive \(F.oneDecimal(b.naiveMAE / 3600))h (\(Int((gain * 100).rounded()))% lower); P50 covers \(F.percent(b.coverageP50)), P85 covers \(F.percent(b.coverageP85)) of \(b.cases.count) cases in flight at \(instant(b.cut)), calibrated on \(b.calibrationCases) finished cases."
        switch format {
        case "json":
            let doc = JSON.object([
                ("format_version", .int(1)), ("file", .string(file)), ("history", .string(log)),
                ("cut", .string(formatInstant(b.cut))), ("calibration_cases", .int(b.calibrationCases)),
                ("cases_in_flight", .int(b.cases.count)),
                ("mae_s", .number(b.mae)), ("naive_mae_s", .number(b.naiveMAE)),
                ("coverage", .object([("p50", .number(b.coverageP50)), ("p85", .number(b.coverageP85))])),
                ("cases", .array(b.cases.map { c in
                    .object([("case", .string(c.id)), ("elapsed_s", .number(c.elapsed)), ("real_remaining_s", .number(c.realRemaining)),
                             ("p50_s", c.p50.isFinite ? .number(c.p50) : .null), ("p85_s", c.p85.isFinite ? .number(c.p85) : .null),
                             ("naive_s", .number(c.naive))])
                })),
            ])
            return doc.serialized(pretty: true) + "\n"
        case "markdown":
            return "# Status backtest of `\(file)`\n\n\(line)\n\n| MAE | naive MAE | P50 coverage | P85 coverage | cases |\n| ---: | ---: | ---: | ---: | ---: |\n| \(F.oneDecimal(b.mae / 3600))h | \(F.oneDecimal(b.naiveMAE / 3600))h | \(F.percent(b.coverageP50)) | \(F.percent(b.coverageP85)) | \(b.cases.count) |\n"
        default:
            return line + "\n"
        }
    }
}
