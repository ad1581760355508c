import StagecraftSyntax
import StagecraftLanguage
import StagecraftHistory
import StagecraftAnalysis

/// Renders a `ReplayResult` as text (aligned tables), JSON (CLI.md keys) or Markdown.
public struct ReplayFormatter: Sendable {
    /// The replayed model.
    public var model: WorkflowModel
    /// The result to render.
    public var result: ReplayResult
    /// The `.flow` file as named on the command line.
    public var file: String
    /// The event log the result came from: its name, format, skipped rows and duplicates.
    public var log: EventLog

    public init(model: WorkflowModel, result: ReplayResult, file: String, log: EventLog) {
        self.model = model
        self.result = result
        self.file = file
        self.log = log
    }

    // MARK: JSON

    /// `{mean_s, median_s, p85_s, p95_s}` or null.
    static func json(_ s: DurationStats?) -> JSON {
        guard let s else { return .null }
        return .object([("mean_s", .number(s.mean)), ("median_s", .number(s.median)),
                        ("p85_s", .number(s.p85)), ("p95_s", .number(s.p95))])
    }

    /// The JSON document (pretty-printed, newline-terminated).
    public func json() -> String {
        let r = result
        let history: JSON = .object([
            ("source", .string(log.source)),
            ("format", .string(log.detection.format.rawValue)),
            ("cases", .int(r.caseCount)),
            ("events", .int(r.eventCount)),
            ("occurrences", .int(r.occurrenceCount)),
            ("mapped_occurrences", .int(r.mappedOccurrenceCount)),
            ("first", .optional(r.firstInstant.map(formatInstant))),
            ("last", .optional(r.lastInstant.map(formatInstant))),
            ("skipped_rows", .int(log.skipped.count)),
            ("duplicates", .int(log.duplicates.count)),
            ("duplicates_dropped", .bool(log.dedupeApplied)),
            ("unmapped_activities", .array(r.unmappedActivities.map {
                .object([("activity", .string($0.activity)), ("events", .int($0.events))])
            })),
            ("unobserved_stages", .array(r.unobservedNodes.map { .string(model.nodes[$0].id.name) })),
        ])
        let stages: [JSON] = r.stages.map { s in
            .object([
                ("id", .string(s.id)),
                ("kind", .string(s.kind.rawValue)),
                ("activities", .array(s.activities.map { .string($0) })),
                ("count", .int(s.count)),
                ("cases", .int(s.cases)),
                ("processing", ReplayFormatter.json(s.processing)),
                ("waiting", ReplayFormatter.json(s.waiting)),
                ("sojourn", ReplayFormatter.json(s.sojourn)),
                ("sla", .optional(s.sla.map(\.description))),
                ("sla_s", .optional(s.sla.map(\.seconds))),
                ("sla_business", .bool(s.sla?.isBusiness ?? false)),
                ("sla_breaches", s.sla == nil ? .null : .int(s.slaBreaches)),
                ("sla_breach_rate", .optional(s.breachRate)),
                ("rework_cases", .int(s.reworkCases)),
                ("lead_time_share", .number(s.leadTimeShare)),
                ("waited_at_capacity_s", .number(s.waitedAtCapacity)),
            ])
        }
        let cases: JSON = .object([
            ("count", .int(r.caseCount)),
            ("lead_time", ReplayFormatter.json(r.leadTime)),
            ("total_lead_time_s", .number(r.totalLeadTime)),
            ("finished", .int(r.finishedCases)),
            ("conforming", .int(r.conformingCases)),
            ("conforming_share", .number(r.conformingShare)),
        ])
        let violations: [JSON] = r.violations.map { v in
            .object([("kind", .string(v.kind.rawValue)), ("count", .int(v.count)),
                     ("examples", .array(v.examples.map { .string($0) }))])
        }
        let owners: [JSON] = r.owners.map { o in
            .object([
                ("id", .string(o.id)),
                ("capacity", .int(o.capacity)),
                ("members", .array(o.members.map { .string($0) })),
                ("work_items", .int(o.workItems)),
                ("busy_s", .number(o.busy)),
                ("processing_s", .number(o.processing)),
                ("peak_concurrency", .int(o.peakConcurrency)),
                ("at_capacity_s", .number(o.atCapacity)),
                ("waited_at_capacity_s", .number(o.waitedAtCapacity)),
            ])
        }
        let resources: [JSON] = r.resources.map { x in
            .object([
                ("resource", .string(x.name)),
                ("owner", .optional(x.owner.map { model.owners[$0].id.name })),
                ("work_items", .int(x.workItems)),
                ("busy_s", .number(x.busy)),
                ("processing_s", .number(x.processing)),
                ("peak_concurrency", .int(x.peakConcurrency)),
            ])
        }
        let bottlenecks: [JSON] = r.bottlenecks.map { b in
            .object([("stage", .string(b.stage)), ("share", .number(b.share)), ("reason", .string(b.reason))])
        }
        let doc: JSON = .object([
            ("format_version", .int(1)),
            ("file", .string(file)),
            ("workflow", .optional(model.workflow.title?.value)),
            ("history", history),
            ("stages", .array(stages)),
            ("cases", cases),
            ("violations", .array(violations)),
            ("owners", .array(owners)),
            ("resources", .array(resources)),
            ("bottlenecks", .array(bottlenecks)),
        ])
        return doc.serialized(pretty: true) + "\n"
    }

    // MARK: Text and Markdown

    /// One row per node: the cells of the stage table.
    func stageRows() -> [[String]] {
        func d(_ v: Double?) -> String { v.map(humanDuration) ?? "–" }
        return result.stages.map { s in
            [
                s.id, String(s.count), String(s.cases),
                d(s.processing?.mean), d(s.processing?.median), d(s.processing?.p95),
                d(s.waiting?.mean), d(s.waiting?.median), d(s.waiting?.p95),
                d(s.sojourn?.mean), d(s.sojourn?.median), d(s.sojourn?.p85), d(s.sojourn?.p95),
                s.sla?.description ?? "–",
                s.sla == nil ? "–" : "\(s.slaBreaches) (\(percentText(s.breachRate ?? 0)))",
                String(s.reworkCases), percentText(s.leadTimeShare),
            ]
        }
    }

    /// The stage table of the text format: counts, SLA and shares (times go in their own table).
    func stageSummaryRows() -> [[String]] {
        result.stages.map { s in
            [s.id, String(s.count), String(s.cases), s.sla?.description ?? "–",
             s.sla == nil ? "–" : "\(s.slaBreaches) (\(percentText(s.breachRate ?? 0)))",
             String(s.reworkCases), percentText(s.leadTimeShare), humanDuration(s.waitedAtCapacity)]
        }
    }

    static let stageSummaryHeader = ["stage", "count", "cases", "SLA", "breaches", "rework cases", "lead-time share",
                                     "waited at capacity"]

    /// Three rows per stage: processing, waiting and sojourn as mean, median, p85, p95.
    func stageTimeRows() -> [[String]] {
        var rows: [[String]] = []
        for s in result.stages {
            for (k, (name, stats)) in [("processing", s.processing), ("waiting", s.waiting), ("sojourn", s.sojourn)]
                .enumerated()
            {
                let cells = stats.map { [humanDuration($0.mean), humanDuration($0.median), humanDuration($0.p85),
                                         humanDuration($0.p95)] } ?? ["–", "–", "–", "–"]
                rows.append([k == 0 ? s.id : "", name] + cells)
            }
        }
        return rows
    }

    static let stageHeader = [
        "stage", "count", "cases", "proc mean", "proc median", "proc p95", "wait mean", "wait median", "wait p95",
        "sojourn mean", "sojourn median", "sojourn p85", "sojourn p95", "SLA", "breaches", "rework cases",
        "lead-time share",
    ]

    func ownerRows() -> [[String]] {
        result.owners.map { o in
            [o.id, String(o.capacity), String(o.members.count), String(o.workItems), humanDuration(o.busy),
             String(o.peakConcurrency), humanDuration(o.atCapacity), humanDuration(o.waitedAtCapacity)]
        }
    }

    static let ownerHeader = ["owner", "capacity", "members seen", "work items", "busy", "peak", "at capacity",
                              "waited at capacity"]

    /// Resources by work items (most first, ties by name), at most `limit`.
    func resourceRows(limit: Int) -> [[String]] {
        result.resources.sorted { $0.workItems != $1.workItems ? $0.workItems > $1.workItems : $0.name < $1.name }
            .prefix(limit).map { x in
                [x.name, x.owner.map { model.owners[$0].id.name } ?? "–", String(x.workItems), humanDuration(x.busy),
                 String(x.peakConcurrency)]
            }
    }

    static let resourceHeader = ["resource", "owner", "work items", "busy", "peak"]

    static let resourceLimit = 20

    func leadTimeLine() -> String {
        guard let l = result.leadTime else { return "lead time: no cases with events" }
        return "lead time over \(l.count) cases: mean \(humanDuration(l.mean)), median \(humanDuration(l.median)), "
            + "p85 \(humanDuration(l.p85)), p95 \(humanDuration(l.p95))"
    }

    func historyLine() -> String {
        let r = result
        var s = "history: \(log.source): \(r.caseCount) cases, \(r.eventCount) events, \(r.occurrenceCount) occurrences"
            + " (\(r.mappedOccurrenceCount) counted as stages)"
        if let a = r.firstInstant, let b = r.lastInstant { s += ", \(formatInstant(a)) → \(formatInstant(b))" }
        return s
    }

    func conformanceLine() -> String {
        let r = result
        return "conformance: \(r.conformingCases) of \(r.caseCount) cases conform (\(percentText(r.conformingShare))); "
            + "\(r.finishedCases) finished"
    }

    /// Aligned plain-text tables, for the terminal.
    public func text() -> String {
        let r = result
        var out = "replay of \(file)"
        if let t = model.workflow.title?.value { out += " (\"\(t)\")" }
        out += "\n" + historyLine() + "\n"
        if log.skipped.count > 0 { out += "skipped bad rows: \(log.skipped.count)\n" }
        if log.duplicates.count > 0 { out += "exact duplicates: \(log.duplicates.count) (\(log.dedupeApplied ? "dropped" : "kept"))\n" }
        if !r.unmappedActivities.isEmpty {
            let events = r.unmappedActivities.reduce(0) { $0 + $1.events }
            out += "unmapped activities: \(r.unmappedActivities.count) (\(events) event\(events == 1 ? "" : "s"))\n"
            for u in r.unmappedActivities { out += "  \(String(u.events).leftPadded(7))  \(u.activity)\n" }
        }
        if !r.unobservedNodes.isEmpty {
            out += "stages never seen in the history: "
                + r.unobservedNodes.map { model.nodes[$0].id.name }.joined(separator: ", ") + "\n"
        }
        out += "\nstages\n" + Self.textTable(Self.stageSummaryHeader, stageSummaryRows(), leftColumns: 1)
        out += "\ntimes per stage\n" + Self.textTable(["stage", "time", "mean", "median", "p85", "p95"], stageTimeRows(),
                                                     leftColumns: 2)
        out += "\n" + leadTimeLine() + "\n"
        out += conformanceLine() + "\n"
        for v in r.violations {
            out += "  \(v.kind.rawValue.padding(23))\(String(v.count).leftPadded(6))  \(v.kind.summary)"
            if !v.examples.isEmpty { out += " (e.g. " + v.examples.joined(separator: ", ") + ")" }
            out += "\n"
        }
        if !r.owners.isEmpty {
            out += "\nowners\n" + Self.textTable(Self.ownerHeader, ownerRows(), leftColumns: 1)
        }
        if !r.resources.isEmpty {
            out += "\nresources (\(r.resources.count)"
                + (r.resources.count > ReplayFormatter.resourceLimit ? ", busiest \(ReplayFormatter.resourceLimit) shown" : "")
                + ")\n"
            out += Self.textTable(Self.resourceHeader, resourceRows(limit: Self.resourceLimit), leftColumns: 2)
        }
        out += "\nbottlenecks\n"
        if r.bottlenecks.isEmpty { out += "  none (no lead time recorded)\n" }
        for (i, b) in r.bottlenecks.enumerated() { out += "  \(i + 1). \(b.reason)\n" }
        return out
    }

    /// GitHub-flavoured Markdown tables.
    public func markdown() -> String {
        let r = result
        var out = "# Replay of `\(file)`\n\n"
        if let t = model.workflow.title?.value { out += "Workflow: **\(ReplayFormatter.escape(t))**\n\n" }
        out += ReplayFormatter.escape(historyLine()) + "\n\n"
        if log.skipped.count > 0 { out += "Skipped bad rows: \(log.skipped.count)\n\n" }
        if log.duplicates.count > 0 { out += "Exact duplicates: \(log.duplicates.count) (\(log.dedupeApplied ? "dropped" : "kept"))\n\n" }
        out += "## Stages\n\n" + markdownTable(ReplayFormatter.stageHeader, stageRows(), leftColumns: 1)
        if !r.unobservedNodes.isEmpty {
            out += "\nStages never seen in the history: "
                + r.unobservedNodes.map { "`\(model.nodes[$0].id.name)`" }.joined(separator: ", ") + "\n"
        }
        if !r.unmappedActivities.isEmpty {
            out += "\n## Unmapped activities\n\n"
            out += markdownTable(["activity", "events"], r.unmappedActivities.map { [$0.activity, String($0.events)] },
                                 leftColumns: 1)
        }
        out += "\n## Cases\n\n" + ReplayFormatter.escape(leadTimeLine()) + "\n\n"
            + ReplayFormatter.escape(conformanceLine()) + "\n\n"
        out += markdownTable(["violation", "cases", "meaning", "examples"], r.violations.map {
            [$0.kind.rawValue, String($0.count), $0.kind.summary, $0.examples.joined(separator: ", ")]
        }, leftColumns: 1, rightColumns: [1])
        if !r.owners.isEmpty {
            out += "\n## Owners\n\n" + markdownTable(ReplayFormatter.ownerHeader, ownerRows(), leftColumns: 1)
        }
        if !r.resources.isEmpty {
            out += "\n## Resources\n\n"
            if r.resources.count > ReplayFormatter.resourceLimit {
                out += "The busiest \(ReplayFormatter.resourceLimit) of \(r.resources.count).\n\n"
            }
            out += markdownTable(ReplayFormatter.resourceHeader, resourceRows(limit: ReplayFormatter.resourceLimit),
                                 leftColumns: 2)
        }
        out += "\n## Bottlenecks\n\n"
        if r.bottlenecks.isEmpty { out += "None (no lead time recorded).\n" }
        for (i, b) in r.bottlenecks.enumerated() { out += "\(i + 1). \(ReplayFormatter.escape(b.reason))\n" }
        return out
    }

    /// Escapes Markdown table and emphasis characters in free text.
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "|", "*", "_", "[", "]", "<", ">", "\\": out += "\\" + String(ch)
            case "\n", "\r": out += " "
            default: out.append(ch)
            }
        }
        return out
    }

    /// A text table whose columns from `leftColumns` on (the figures) are right-aligned.
    static func textTable(_ header: [String], _ rows: [[String]], leftColumns: Int) -> String {
        Table.text(header, rows, right: Set(leftColumns..<header.count))
    }

    /// A Markdown table of escaped cells whose columns from `leftColumns` on are right-aligned,
    /// or `rightColumns` when given.
    func markdownTable(_ header: [String], _ rows: [[String]], leftColumns: Int, rightColumns: Set<Int>? = nil) -> String {
        Table.markdown(header.map(Self.escape), rows.map { $0.map(Self.escape) },
                       right: rightColumns ?? Set(leftColumns..<header.count))
    }
}

extension String {
    /// The string padded with spaces to at least `width` characters (and at least one
    /// space after it): the left-aligned columns of tables and help texts.
    package func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}

fileprivate extension String {
    /// The string right-aligned in `width` characters.
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
