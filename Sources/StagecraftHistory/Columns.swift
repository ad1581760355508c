import StagecraftSyntax

/// Column auto-detection shared by the CSV and JSONL readers.
enum ColumnDetection {
    /// Well-known names per field (lowercase), best first: the XES-standard name leads, so it wins
    /// when a log carries both (e.g. `concept:name` and `Activity` in a Disco/pm4py export).
    static let candidates: [(HistoryField, [String])] = [
        (.caseID, ["case:concept:name", "case_id", "case id", "caseid", "case"]),
        (.activity, ["concept:name", "activity", "activity_name", "activity name"]),
        (.start, ["start_timestamp", "start_time", "start timestamp", "start time", "start"]),
        (.end, ["time:timestamp", "end_time", "complete timestamp", "end_timestamp", "end timestamp",
                "end time", "timestamp", "end"]),
        (.resource, ["org:resource", "resource", "org:group"]),
        (.lifecycle, ["lifecycle:transition", "lifecycle", "transition"]),
    ]

    /// The result of mapping column names to fields.
    struct Mapping {
        /// Column index per field.
        var index: [HistoryField: Int] = [:]
        var chosen: [HistoryField: String] = [:]
        var passedOver: [HistoryField: [String]] = [:]
        var overridden: Set<HistoryField> = []
    }

    static func normalise(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Maps columns to fields; explicit overrides win. Throws when case, activity or timestamp
    /// cannot be found, listing the columns that were found.
    static func detect(
        columns: [String], overrides: [HistoryField: String], file: String, line: Int?, what: String = "columns"
    ) throws -> Mapping {
        let norm = columns.map(normalise)
        var m = Mapping()
        for (field, names) in candidates {
            if let wanted = overrides[field] {
                let w = normalise(wanted)
                guard let i = norm.firstIndex(of: w) else {
                    throw HistoryError(
                        file: file, line: line, column: wanted,
                        message: "no \(what.dropLast()) named '\(Excerpt.quoted(wanted, limit: 40))' for \(field.rawValue); \(what) found: "
                            + listed(columns))
                }
                m.index[field] = i
                m.chosen[field] = columns[i]
                m.overridden.insert(field)
                continue
            }
            var hits: [Int] = []
            for name in names {
                if let i = norm.firstIndex(of: name), !hits.contains(i) { hits.append(i) }
            }
            // A column explicitly given for another field is not also detected here.
            hits.removeAll { i in overrides.values.contains { normalise($0) == norm[i] } }
            guard let first = hits.first else { continue }
            m.index[field] = first
            m.chosen[field] = columns[first]
            if hits.count > 1 { m.passedOver[field] = hits.dropFirst().map { columns[$0] } }
        }
        // A log with only a start column: its times are the events' (single) timestamps.
        if m.index[.end] == nil, let s = m.index[.start] {
            m.index[.end] = s
            m.chosen[.end] = m.chosen[.start]
            m.index[.start] = nil
            m.chosen[.start] = nil
        }
        var missing: [String] = []
        if m.index[.caseID] == nil { missing.append("case") }
        if m.index[.activity] == nil { missing.append("activity") }
        if m.index[.end] == nil && m.index[.start] == nil { missing.append("timestamp") }
        if !missing.isEmpty {
            throw HistoryError(
                file: file, line: line,
                message: "no recognisable \(missing.joined(separator: ", ")) column; \(what) found: "
                    + listed(columns))
        }
        return m
    }

    /// Column names for a message: each quoted, escaped and cut short, at most 20 of them,
    /// so a binary file or a one-line gigabyte never floods the terminal.
    static func listed(_ columns: [String]) -> String {
        var out = columns.prefix(20).map { "'\(Excerpt.quoted($0, limit: 40))'" }.joined(separator: ", ")
        if columns.count > 20 { out += " and \(columns.count - 20) more" }
        return out
    }
}

import Foundation
