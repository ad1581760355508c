/// The self-contained HTML page of `stagecraft report`: inline CSS and SVG, no scripts,
/// no network, no external fonts; prints on A4.

/// A headline figure in a summary strip, e.g. "Deadline" / "2026-02-06".
public struct ReportFact: Hashable, Sendable {
    public var label: String
    public var value: String
    /// A smaller line under the value.
    public var detail: String?
    /// What the value rests on when that is thin, shown small beside it in parentheses,
    /// e.g. "12 recorded cases: a small sample".
    public var sample: String?

    public init(_ label: String, _ value: String, detail: String? = nil, sample: String? = nil) {
        self.label = label
        self.value = value
        self.detail = detail
        self.sample = sample
    }
}

/// A plain table; cells are text (escaped when rendered).
public struct ReportTable: Hashable, Sendable {
    public var columns: [String]
    public var rows: [[String]]
    /// Column indices to right-align (numbers).
    public var numericColumns: Set<Int>
    /// Row indices to emphasise (e.g. the critical path).
    public var highlightedRows: Set<Int>

    public init(columns: [String], rows: [[String]], numericColumns: Set<Int> = [], highlightedRows: Set<Int> = []) {
        self.columns = columns
        self.rows = rows
        self.numericColumns = numericColumns
        self.highlightedRows = highlightedRows
    }
}

/// The "Plan" section: the Gantt chart and its table.
public struct ReportPlan: Hashable, Sendable {
    public var gantt: GanttInput
    public var table: ReportTable
    public var notes: [String]

    public init(gantt: GanttInput, table: ReportTable, notes: [String] = []) {
        self.gantt = gantt
        self.table = table
        self.notes = notes
    }
}

/// The "History" section: what recorded runs show.
public struct ReportHistory: Hashable, Sendable {
    public var facts: [ReportFact]
    public var bottlenecks: [BottleneckBar]
    /// "Mean" or "Median": which statistic the bottleneck bars show.
    public var bottleneckStatistic: String
    public var breaches: [BreachRate]
    /// Case lead times in days.
    public var leadTimes: DistributionInput
    public var table: ReportTable?
    public var notes: [String]

    public init(facts: [ReportFact] = [], bottlenecks: [BottleneckBar], bottleneckStatistic: String = "Mean",
                breaches: [BreachRate], leadTimes: DistributionInput, table: ReportTable? = nil, notes: [String] = []) {
        self.facts = facts
        self.bottlenecks = bottlenecks
        self.bottleneckStatistic = bottleneckStatistic
        self.breaches = breaches
        self.leadTimes = leadTimes
        self.table = table
        self.notes = notes
    }
}

/// The "Forecast" section: the simulated lead-time distribution.
public struct ReportForecast: Hashable, Sendable {
    public var facts: [ReportFact]
    /// Simulated lead times in days with the P50/P85/P95 and deadline markers.
    public var distribution: DistributionInput
    /// The mean lead time split into waiting and processing (empty: not shown).
    public var split: [ReportShare]
    public var table: ReportTable?
    public var notes: [String]

    public init(facts: [ReportFact] = [], distribution: DistributionInput, split: [ReportShare] = [],
                table: ReportTable? = nil, notes: [String] = []) {
        self.facts = facts
        self.distribution = distribution
        self.split = split
        self.table = table
        self.notes = notes
    }
}

/// Everything on the page. Sections without data are left out.
public struct ReportDocument: Hashable, Sendable {
    public var title: String
    public var description: String?
    /// The file the report was made from, as the user named it.
    public var source: String
    /// The first screen: when, how sure, what could make it slip, who holds it up.
    public var facts: [ReportFact]
    /// The shape of the process (nodes, owners), shown at the top of the Process section.
    public var details: [ReportFact]
    /// Assumptions worth stating (default kickoff, params, estimates used).
    public var notes: [String]
    public var graph: [ProcessGraphNode]
    public var plan: ReportPlan?
    public var history: ReportHistory?
    public var forecast: ReportForecast?

    public init(title: String, description: String? = nil, source: String, facts: [ReportFact] = [],
                details: [ReportFact] = [], notes: [String] = [], graph: [ProcessGraphNode], plan: ReportPlan? = nil,
                history: ReportHistory? = nil, forecast: ReportForecast? = nil) {
        self.title = title
        self.description = description
        self.source = source
        self.facts = facts
        self.details = details
        self.notes = notes
        self.graph = graph
        self.plan = plan
        self.history = history
        self.forecast = forecast
    }
}

/// Renders a `ReportDocument` as one HTML5 file.
public enum HTMLReport {
    /// Everything up to `<main>`: a self-contained page whose policy forbids scripts and
    /// every fetch, so it is complete as it stands. Shared by `report` and `status`.
    static func opening(title: String, generator: String, style: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
            + "<meta name=\"generator\" content=\"\(e(generator))\">\n"
            + "<title>\(e(title))</title>\n"
            + "<style>\n\(style)</style>\n</head>\n<body>\n<main>\n"
    }

    /// The page. Deterministic: no generation time, no random IDs.
    public static func render(_ doc: ReportDocument) -> String {
        var h = opening(title: "\(doc.title) — process report", generator: "stagecraft report", style: stylesheet)

        h += "<header class=\"report-header\">\n"
        h += "<p class=\"eyebrow\">Process report</p>\n"
        h += "<h1>\(e(doc.title))</h1>\n"
        if let d = doc.description, !d.isEmpty { h += "<p class=\"description\">\(e(d))</p>\n" }
        h += "<p class=\"generated\">Generated by <code>stagecraft report</code> from <code>\(e(doc.source))</code>.</p>\n"
        h += "</header>\n"
        h += facts(doc.facts, headline: true)
        h += notes(doc.notes)

        var sections: [(String, String)] = [("process", "Process")]
        if doc.plan != nil { sections.append(("plan", "Plan")) }
        if doc.history != nil { sections.append(("history", "History")) }
        if doc.forecast != nil { sections.append(("forecast", "Forecast")) }
        if sections.count > 1 {
            h += "<nav class=\"toc\">" + sections.map { "<a href=\"#\($0.0)\">\($0.1)</a>" }.joined(separator: " · ") + "</nav>\n"
        }

        h += "<section id=\"process\">\n<h2>Process</h2>\n"
        h += facts(doc.details)
        let numbered = ReportCharts.graphNeedsKey(doc.graph)
        h += figure(ReportCharts.processGraph(doc.graph, title: "Process graph of \(doc.title)", numbered: numbered),
                    caption: "Stages and gates left to right by dependency; an arrow means “after”. "
                        + "Labels show the owner (approvers for a gate) and the SLA"
                        + (numbered ? "; the numbers refer to the table below, which gives each node’s full name." : "."),
                    scrolls: true)
        if numbered { h += table(graphKey(doc.graph), caption: "Nodes in the graph") }
        h += "</section>\n"

        if let plan = doc.plan {
            h += "<section id=\"plan\">\n<h2>Plan</h2>\n"
            h += figure(ReportCharts.gantt(plan.gantt, title: "Planned schedule of \(doc.title)"),
                        caption: "Each bar runs from the planned start to the due date, taking the SLA on the workflow calendar.")
            h += notes(plan.notes)
            h += table(plan.table, caption: "Planned dates")
            h += "</section>\n"
        }

        if let history = doc.history {
            h += "<section id=\"history\">\n<h2>History</h2>\n"
            h += facts(history.facts)
            h += figure(ReportCharts.bottlenecks(history.bottlenecks, statistic: history.bottleneckStatistic,
                                                 title: "Waiting and processing time per stage"),
                        heading: "Where the time goes", caption: "\(history.bottleneckStatistic) time per occurrence, waiting for the stage to start "
                            + "and working on it; stages in order of their share of the total lead time.")
            h += figure(ReportCharts.slaBreaches(history.breaches, title: "SLA breach rate per stage"),
                        heading: "SLA breaches", caption: "Share of occurrences that took longer than the stage’s SLA, from ready to done.")
            h += figure(ReportCharts.histogram(history.leadTimes, title: "Lead time of recorded cases",
                                               extraClass: "chart-leadtime"),
                        heading: "Lead time of recorded cases", caption: "Lead time of each recorded case, first event to last event.")
            if let t = history.table { h += table(t, caption: "Per stage") }
            h += notes(history.notes)
            h += "</section>\n"
        }

        if let forecast = doc.forecast {
            h += "<section id=\"forecast\">\n<h2>Forecast</h2>\n"
            h += facts(forecast.facts)
            h += split(forecast.split)
            h += figure(ReportCharts.histogram(forecast.distribution, title: "Simulated lead time",
                                               extraClass: "chart-forecast"),
                        heading: "Simulated lead time", caption: "Distribution of the simulated lead time with the 50th, 85th and 95th percentiles.")
            h += figure(ReportCharts.cdf(forecast.distribution, title: "Chance of finishing within a lead time"),
                        heading: "Chance of finishing by each day", caption: "Share of simulated runs finished by each day after kickoff.")
            if let t = forecast.table { h += table(t, caption: "Per node") }
            h += notes(forecast.notes)
            h += "</section>\n"
        }

        h += "<footer>Made with Stagecraft — process as code. This page is self-contained: "
            + "it loads nothing and runs no scripts.</footer>\n"
        h += "</main>\n</body>\n</html>\n"
        return h
    }

    private static func e(_ s: String) -> String { Markup.escape(s) }

    /// A chart with a visible heading and a caption; with `scrolls`, a chart that has a
    /// minimum width (see `SVGWriter`) scrolls sideways on screen when the page is narrower.
    static func figure(_ svg: String, heading: String? = nil, caption: String, scrolls: Bool = false) -> String {
        var h = "<figure>\n"
        if let heading { h += "<h3>\(e(heading))</h3>\n" }
        let chart = scrolls ? "<div class=\"scrolls\">\n\(svg)\n</div>" : svg
        return h + "\(chart)\n<figcaption>\(e(caption))</figcaption>\n</figure>\n"
    }

    /// The key to a numbered process graph: number, full title, kind, owners and SLA.
    static func graphKey(_ nodes: [ProcessGraphNode]) -> ReportTable {
        ReportTable(columns: ["#", "Node", "Kind", "Owner / approvers", "SLA"],
                    rows: nodes.enumerated().map { i, n in
                        [String(i + 1), n.title == n.id ? n.title : "\(n.title) (\(n.id))", n.isGate ? "gate" : "stage",
                         n.owners.joined(separator: ", "), n.sla ?? "—"]
                    },
                    numericColumns: [0], highlightedRows: Set(nodes.indices.filter { nodes[$0].critical }))
    }

    /// The mean lead time as one stacked bar with a legend (HTML and CSS only).
    static func split(_ parts: [ReportShare]) -> String {
        let total = parts.reduce(0) { $0 + max(0, $1.seconds) }
        guard total > 0 else { return "" }
        var h = "<figure class=\"split\">\n<h3>Where the lead time goes</h3>\n<div class=\"split-bar\" role=\"img\" aria-label=\""
        h += e(parts.map { "\($0.label) \(ReportText.duration($0.seconds))" }.joined(separator: ", ")) + "\">"
        for p in parts where p.seconds > 0 {
            let pct = NumberFormat.trimmed(100 * p.seconds / total, 2)
            h += "<span class=\"\(e(p.kind))\" style=\"width: \(pct)%\"></span>"
        }
        h += "</div>\n<ul class=\"split-legend\">\n"
        for p in parts where p.seconds > 0 {
            h += "<li><span class=\"swatch \(e(p.kind))\"></span>\(e(p.label)): <strong>\(e(ReportText.duration(p.seconds)))</strong> "
                + "(\(e(NumberFormat.percent(max(0, p.seconds) / total))))</li>\n"
        }
        h += "</ul>\n<figcaption>The mean simulated lead time (\(e(ReportText.duration(total)))) split along the critical path "
            + "of each run: waiting for a hand-off, waiting for an owner to be free or at work, and working.</figcaption>\n</figure>\n"
        return h
    }

    static func facts(_ facts: [ReportFact], headline: Bool = false) -> String {
        guard !facts.isEmpty else { return "" }
        var h = headline ? "<dl class=\"facts headline\">\n" : "<dl class=\"facts\">\n"
        for fact in facts {
            // A long value (an owner's ID) gets a smaller font so it fits its card.
            h += fact.value.count > 18 ? "<div class=\"fact long\">" : "<div class=\"fact\">"
            // Long IDs may break after an underscore rather than anywhere.
            h += "<dt>\(e(fact.label))</dt><dd>\(e(fact.value).replacingOccurrences(of: "_", with: "_<wbr>"))"
            if let s = fact.sample { h += " <span class=\"sample\">(\(e(s)))</span>" }
            if let d = fact.detail { h += "<span class=\"detail\">\(e(d))</span>" }
            h += "</dd></div>\n"
        }
        return h + "</dl>\n"
    }

    static func notes(_ notes: [String]) -> String {
        guard !notes.isEmpty else { return "" }
        return "<ul class=\"notes\">\n" + notes.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n"
    }

    static func table(_ t: ReportTable, caption: String) -> String {
        guard !t.rows.isEmpty else { return "" }
        var h = "<table>\n<caption>\(e(caption))</caption>\n<thead><tr>"
        for (i, c) in t.columns.enumerated() {
            h += t.numericColumns.contains(i) ? "<th class=\"num\">\(e(c))</th>" : "<th>\(e(c))</th>"
        }
        h += "</tr></thead>\n<tbody>\n"
        for (r, row) in t.rows.enumerated() {
            h += t.highlightedRows.contains(r) ? "<tr class=\"highlight\">" : "<tr>"
            for i in 0..<max(t.columns.count, row.count) {
                let cell = i < row.count ? row[i] : ""
                h += t.numericColumns.contains(i) ? "<td class=\"num\">\(e(cell))</td>" : "<td>\(e(cell))</td>"
            }
            h += "</tr>\n"
        }
        return h + "</tbody>\n</table>\n"
    }

    static let stylesheet = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    body { margin: 0; background: #eef0f3; color: #1f2933;
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1040px; margin: 24px auto; padding: 36px 40px 28px; background: #ffffff;
      border-radius: 10px; box-shadow: 0 1px 3px rgba(15, 23, 42, 0.08); }
    .eyebrow { margin: 0; color: #3466c2; font-size: 12px; font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; }
    h1 { margin: 4px 0 8px; font-size: 28px; line-height: 1.2; }
    h3 { margin: 0 0 6px; font-size: 15px; color: #374151; break-after: avoid; }
    h2 { margin: 36px 0 12px; padding-bottom: 6px; font-size: 20px; border-bottom: 2px solid #e5e7eb; break-after: avoid; }
    .description { margin: 0 0 6px; font-size: 16px; color: #374151; }
    .generated { margin: 0; color: #6b7280; font-size: 13px; }
    code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em;
      background: #f3f4f6; padding: 1px 4px; border-radius: 3px; }
    .toc { margin: 18px 0 0; font-size: 13px; color: #6b7280; }
    .toc a { color: #3466c2; text-decoration: none; }
    .facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 20px 0 8px; }
    .fact { border: 1px solid #e5e7eb; border-radius: 8px; padding: 10px 12px; background: #fafbfc; break-inside: avoid; }
    .fact dt { color: #6b7280; font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
    .fact dd { margin: 2px 0 0; font-size: 18px; font-weight: 650; font-variant-numeric: tabular-nums; }
    .fact .sample { font-size: 12px; font-weight: 600; color: #b45309; }
    .fact .detail { display: block; font-size: 12px; font-weight: 400; color: #6b7280; }
    .facts.headline { grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); }
    .facts.headline .fact { background: #f4f7fd; border-color: #c9d6f0; }
    .facts.headline .fact dd { font-size: 20px; overflow-wrap: anywhere; }
    .facts .fact.long dd { font-size: 15px; }
    .split-bar { display: flex; height: 22px; border-radius: 4px; overflow: hidden; background: #f3f4f6; }
    .split-bar span { display: block; height: 100%; }
    .split-legend { list-style: none; margin: 6px 0 0; padding: 0; font-size: 13px; display: flex; flex-wrap: wrap; gap: 4px 18px; }
    .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
    .share-waiting { background: #f0a23b; }
    .share-queueing { background: #c8322f; }
    .share-processing { background: #3466c2; }
    .notes { margin: 8px 0; padding-left: 20px; color: #4b5563; font-size: 13px; }
    figure { margin: 16px 0 20px; break-inside: avoid; page-break-inside: avoid; }
    figcaption { margin-top: 4px; color: #6b7280; font-size: 13px; }
    svg.chart { display: block; max-width: 100%; height: auto; }
    /* A chart with a minimum width (a deep process graph) scrolls sideways rather than
       shrink below it; on paper it is scaled to the page. */
    .scrolls { overflow-x: auto; }
    table { width: 100%; border-collapse: collapse; margin: 12px 0 8px; font-size: 13px; break-inside: auto; }
    caption { text-align: left; font-weight: 600; padding-bottom: 6px; }
    th, td { padding: 5px 8px; border-bottom: 1px solid #e5e7eb; text-align: left; vertical-align: top; }
    th { background: #f3f4f6; font-weight: 600; }
    tr { break-inside: avoid; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    td.num { white-space: nowrap; }
    tr.highlight td:first-child { box-shadow: inset 3px 0 0 #c8322f; font-weight: 600; }
    footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid #e5e7eb; color: #9ca3af; font-size: 12px; }
    @page { size: A4; margin: 12mm; }
    @media print {
      body { background: #ffffff; font-size: 10pt; }
      h1 { font-size: 20pt; }
      h2 { font-size: 14pt; }
      .facts { grid-template-columns: repeat(auto-fit, minmax(105px, 1fr)); gap: 6px; }
      .fact { padding: 6px 8px; }
      .fact dd { font-size: 12pt; }
      table { font-size: 8.5pt; }
      figcaption, .notes { font-size: 8.5pt; }
      main { max-width: none; margin: 0; padding: 0; box-shadow: none; border-radius: 0; }
      .toc { display: none; }
      h2 { margin-top: 20px; }
      section { break-before: auto; }
      figure, .facts, .fact { break-inside: avoid; page-break-inside: avoid; }
      .scrolls { overflow: visible; }
      .scrolls svg.chart { min-width: 0 !important; }
      thead { display: table-header-group; }
    }

    """
}
