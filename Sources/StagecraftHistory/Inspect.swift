import StagecraftSyntax

/// A summary of a read event log, for `stagecraft inspect`: the log and what is counted over it.
public struct HistoryInspection: Sendable {
    /// The log summarised.
    public var log: EventLog
    /// Activities with their event counts, most frequent first (ties by name).
    public var activities: [(name: String, count: Int)]
    /// Occurrences without a resource.
    public var occurrencesWithoutResource: Int
    /// Earliest and latest instant in the log (nil when empty).
    public var dateRange: (first: Double, last: Double)?
    /// Completions without a recorded start (processing time unknown).
    public var instantCount: Int
}

/// Summarises a log: format, columns, timestamps, counts, activities, date range, duplicates.
public func inspect(_ log: EventLog) -> HistoryInspection {
    var acts: [(name: String, count: Int)] = []
    for (i, name) in log.activities.enumerated() {
        let count = i < log.activityEventCounts.count ? log.activityEventCounts[i] : 0
        // An activity named only on skipped rows has no events: it is not in the log.
        if count > 0 { acts.append((name, count)) }
    }
    acts.sort { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
    var lo = Double.infinity, hi = -Double.infinity
    var noRes = 0, instants = 0
    for c in log.cases {
        for o in c.occurrences {
            lo = min(lo, o.start ?? o.end)
            hi = max(hi, o.end)
            if o.resource == nil { noRes += 1 }
            if o.start == nil { instants += 1 }
        }
        for h in c.readyHints { lo = min(lo, h.time); hi = max(hi, h.time) }
        for u in c.unfinished { lo = min(lo, u.start); hi = max(hi, u.start) }
    }
    return HistoryInspection(log: log, activities: acts, occurrencesWithoutResource: noRes,
                             dateRange: lo <= hi ? (lo, hi) : nil, instantCount: instants)
}

extension HistoryInspection {
    /// Plain-text report, one fact per line, for the terminal.
    public func render() -> String {
        func num(_ v: Int) -> String {
            let s = String(v.magnitude)
            var out = ""
            for (i, ch) in s.enumerated() {
                if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
                out.append(ch)
            }
            return v < 0 ? "-" + out : out
        }
        var lines: [String] = []
        let d = log.detection
        lines.append("source: \(log.source)")
        lines.append("format: \(d.format.rawValue)\(d.compressed ? " (gzip)" : "")")
        if let delim = d.delimiter {
            let shown: String
            switch delim {
            case 9: shown = "tab"
            default: shown = "'\(Character(Unicode.Scalar(delim)))'"
            }
            lines.append("delimiter: \(shown)\(d.delimiterSniffed ? " (sniffed)" : " (given)")")
        }
        if !d.columns.isEmpty {
            lines.append("columns: " + d.columns.joined(separator: ", "))
        }
        for field in HistoryField.allCases {
            guard let name = d.chosen[field] else { continue }
            var s = "  \(field.rawValue): \(name)"
            if d.overridden.contains(field) { s += " (given)" }
            if let others = d.passedOver[field], !others.isEmpty {
                s += " (chosen over " + others.map { "'\($0)'" }.joined(separator: ", ") + ")"
            }
            lines.append(s)
        }
        if !d.timestampFormats.isEmpty {
            lines.append("timestamps: " + d.timestampFormats.map { "\($0.format) (\(num($0.count)))" }
                .joined(separator: ", "))
        }
        lines.append("time zone for naive times: \(d.timeZone)")
        lines.append("cases: \(num(log.cases.count))")
        lines.append("events: \(num(log.eventCount))")
        lines.append("occurrences: \(num(log.occurrenceCount)) (\(num(instantCount)) without start)")
        if log.unfinishedCount > 0 { lines.append("unfinished starts: \(num(log.unfinishedCount))") }
        if log.readyHintCount > 0 { lines.append("ready hints: \(num(log.readyHintCount))") }
        if let r = dateRange {
            lines.append("date range: \(formatInstant(r.first)) → \(formatInstant(r.last))")
        }
        lines.append("resources: \(num(log.resources.count))"
            + (occurrencesWithoutResource > 0 ? " (\(num(occurrencesWithoutResource)) occurrences without)" : ""))
        if !log.transitions.isEmpty {
            lines.append("lifecycle: " + log.transitions.map { "\($0.transition) \(num($0.count))" }.joined(separator: ", "))
        }
        if log.duplicates.count > 0 {
            let same = log.identicalDuplicateRows.map { "\(num($0)) identical in every column; " } ?? ""
            lines.append("exact duplicates: \(num(log.duplicates.count)) (\(same)\(log.dedupeApplied ? "dropped" : "kept"); lines "
                + log.duplicates.firstLines.map(String.init).joined(separator: ", ")
                + (log.duplicates.count > log.duplicates.firstLines.count ? ", …" : "") + ")")
        }
        if log.skipped.count > 0 {
            lines.append("skipped bad rows: \(num(log.skipped.count)) (lines "
                + log.skipped.firstLines.map(String.init).joined(separator: ", ")
                + (log.skipped.count > log.skipped.firstLines.count ? ", …" : "") + ")")
            for m in log.skipped.firstMessages.prefix(3) { lines.append("  \(m)") }
        }
        lines.append("activities: \(num(activities.count))")
        for a in activities { lines.append("  \(num(a.count))  \(a.name)") }
        return lines.joined(separator: "\n")
    }
}
