import Foundation
import StagecraftSyntax
import StagecraftSimulation

/// Renders a `ChecklistPlan` as GitHub Markdown, JSON, CSV (RFC 4180) or iCalendar
/// (RFC 5545). Every format is deterministic: the same file, params and `--start` give
/// byte-identical output.
public enum ChecklistFormatter {
    // MARK: Markdown

    /// GitHub-flavoured Markdown: task lists (`- [ ] `), LF line ends.
    public static func markdown(_ plan: ChecklistPlan) -> String {
        var out = "# " + md(plan.title) + "\n\n"
        if let d = plan.description {
            let normalized = d.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            let lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map { md(String($0)) }
            let text = lines.joined(separator: "\n").trimmingCharacters(in: CharacterSet(charactersIn: "\n"))
            if !text.isEmpty { out += text + "\n\n" }
        }
        out += summary(plan) + "\n"
        for node in plan.nodes {
            out += "\n## " + md(node.title) + " (`" + node.id + "`)\n\n"
            var facts: [String] = []
            if node.entry.critical { facts.append("**[critical]**") }
            switch node.kind {
            case .stage:
                facts.append("Stage")
                facts.append("owner: " + (node.owners.first.map(person) ?? "none"))
            case .gate:
                facts.append("Gate")
                facts.append("approvers: " + (node.owners.isEmpty ? "none" : node.owners.map(person).joined(separator: ", ")))
                facts.append("quorum: " + node.quorumText)
            }
            if let chance = node.chancePercent { facts.append(ChecklistPlan.runsIn(chance)) }
            if let wait = node.wait { facts.append("wait " + wait) }
            out += facts.joined(separator: " · ") + "\n\n"
            out += "Planned: " + planned(node) + "\n"
            var tasks: [String] = []
            for item in node.items {
                var line = "- [ ] " + md(item.text)
                if !item.owners.isEmpty { line += " (" + item.owners.map { "`\($0)`" }.joined(separator: ", ") + ")" }
                tasks.append(line)
            }
            if node.kind == .gate && !node.owners.isEmpty {
                if node.quorum >= node.owners.count {
                    for p in node.owners { tasks.append("- [ ] Approved by " + person(p)) }
                } else {
                    tasks.append("- [ ] Approved by \(node.quorum) of: " + node.owners.map(person).joined(separator: ", "))
                }
            }
            if !tasks.isEmpty { out += "\n" + tasks.joined(separator: "\n") + "\n" }
            if let target = node.reworkTo { out += "\nOn reject: back to `" + target + "`\n" }
        }
        if !plan.skipped.isEmpty {
            out += "\n## Skipped\n\n"
            for s in plan.skipped {
                out += "- " + md(s.title) + " (`" + s.id + "`): " + codeSpan("when " + s.reason) + " is false\n"
            }
        }
        return out
    }

    /// `Kickoff **Mon 2026-12-21** · planned finish … · deadline … (55bd) · slack …`.
    static func summary(_ plan: ChecklistPlan) -> String {
        let s = plan.schedule
        var parts = ["Kickoff **" + ChecklistPlan.dayLabel(s.kickoff) + "**"]
        parts.append(s.finish.map { "planned finish **" + ChecklistPlan.dayLabel($0) + "**" } ?? "nothing scheduled")
        if let deadline = s.deadline, let written = plan.deadlineDuration {
            parts.append("deadline **" + ChecklistPlan.dayLabel(deadline) + "** (" + written.description + ")")
        } else {
            parts.append("no deadline")
        }
        if let slack = s.slack {
            parts.append(slack >= 0
                ? "slack **" + ChecklistPlan.days(slack, business: s.slackIsBusiness) + "**"
                : "**late by " + ChecklistPlan.days(-slack, business: s.slackIsBusiness) + "**")
        }
        return parts.joined(separator: " · ")
    }

    /// `Mon 2026-12-21 → Tue 2026-12-29 · SLA 5bd`, and the variants without an SLA.
    static func planned(_ node: ChecklistPlan.Node) -> String {
        let e = node.entry
        guard let due = e.due, let days = e.days else {
            return "starts " + ChecklistPlan.dayLabel(e.start) + " · unscheduled (no SLA or estimate)"
        }
        var s = ChecklistPlan.dayLabel(e.start) + " → " + ChecklistPlan.dayLabel(due)
        if let sla = node.sla, e.basis == .sla {
            s += " · SLA " + sla.description
        } else {
            s += " · no SLA; planned from the estimate: " + ChecklistPlan.days(days, business: e.isBusiness)
        }
        if e.capacityWait > 0 {
            s += " · waits " + ChecklistPlan.days(e.capacityWait, business: false)
                + " for " + (node.kind == .gate ? "free approvers" : "a free owner")
        }
        return s
    }

    /// An owner as `Product management (`pm`)`, or `` `pm` `` without a title.
    static func person(_ p: ChecklistPlan.Person) -> String {
        guard let t = p.title, !ChecklistPlan.oneLine(t).isEmpty else { return "`" + p.id + "`" }
        return md(t) + " (`" + p.id + "`)"
    }

    /// Escapes text for one line of GitHub Markdown: inline syntax (`\ ` * _ [ ] < | ~ # $ &`)
    /// everywhere, and what would start a block (`- + = >`, `1.`) at the start.
    public static func md(_ raw: String) -> String {
        let text = ChecklistPlan.oneLine(raw)
        var out = ""
        let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", "|", "~", "#", "$", "&"]
        for ch in text {
            if special.contains(ch) { out.append("\\") }
            out.append(ch)
        }
        if let first = out.first, "-+=>".contains(first) {
            out = "\\" + out
        } else if let first = out.first, first.isASCII, first.isNumber {
            // `1. Title` or `2) Title` would start an ordered list.
            let digits = out.prefix { $0.isASCII && $0.isNumber }
            let rest = out.dropFirst(digits.count)
            if let marker = rest.first, marker == "." || marker == ")" {
                out = digits + "\\" + rest
            }
        }
        return out
    }

    /// An inline code span that holds any text: the fence is longer than any backtick run inside.
    static func codeSpan(_ text: String) -> String {
        var longest = 0, run = 0
        for ch in text {
            run = ch == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return fence + pad + text + pad + fence
    }

    // MARK: JSON

    /// `format_version` 1; see the README for the keys.
    public static func json(_ plan: ChecklistPlan) -> String {
        let s = plan.schedule
        func date(_ d: Int?) -> JSON { d.map { .string(CivilDate(dayNumber: $0).description) } ?? .null }
        let nodes = plan.nodes.map { node -> JSON in
            let e = node.entry
            var fields: [(String, JSON)] = [
                ("id", .string(node.id)),
                ("kind", .string(node.kind.rawValue)),
                ("title", .string(node.title)),
            ]
            switch node.kind {
            case .stage:
                fields.append(("owner", .optional(node.owners.first?.id)))
            case .gate:
                fields.append(("approvers", .array(node.owners.map { .string($0.id) })))
                fields.append(("quorum", .int(node.quorum)))
            }
            fields += [
                ("ready", date(e.ready)),
                ("start", e.unscheduled ? .null : date(e.start)),
                ("due", date(e.due)),
                ("sla", .optional(node.sla?.description)),
                ("sla_s", .optional(node.sla?.seconds)),
                ("planned_from", e.basis == .none ? .null : .string(e.basis.rawValue)),
                ("planned_days", e.days.map { .int($0) } ?? .null),
                ("capacity_wait_days", .int(e.capacityWait)),
                ("critical", .bool(e.critical)),
                ("unscheduled", .bool(e.unscheduled)),
                ("items", .array(node.items.map { item in
                    .object([("text", .string(item.text)), ("owner", .string(item.owners.joined(separator: "; ")))])
                })),
                ("rework_to", .optional(node.reworkTo)),
            ]
            // Only when written, so that plans without them keep their bytes.
            if let wait = node.wait { fields.append(("wait", .string(wait))) }
            if let chance = node.chancePercent { fields.append(("chance_percent", .number(chance))) }
            return .object(fields)
        }
        let value = JSON.object([
            ("format_version", .int(1)),
            ("workflow", .string(plan.title)),
            ("description", .optional(plan.description)),
            ("start", date(s.kickoff)),
            ("finish", date(s.finish)),
            ("deadline", date(s.deadline)),
            ("slack_days", s.slack.map { .int($0) } ?? .null),
            ("slack_unit", s.slack == nil ? .null : .string(s.slackIsBusiness ? "business_days" : "days")),
            ("critical_path", .array(plan.criticalPath.map { .string($0) })),
            ("nodes", .array(nodes)),
            ("skipped", .array(plan.skipped.map { sk in
                .object([("id", .string(sk.id)), ("title", .string(sk.title)), ("reason", .string(sk.reason))])
            })),
        ])
        return value.serialized(pretty: true) + "\n"
    }

    // MARK: CSV

    /// RFC 4180: header `node,kind,title,owner,start,due,item,critical`, a row per node and
    /// one per checklist item, CRLF line ends.
    public static func csv(_ plan: ChecklistPlan) -> String {
        var rows: [[String]] = [["node", "kind", "title", "owner", "start", "due", "item", "critical"]]
        for node in plan.nodes {
            let e = node.entry
            let start = e.unscheduled ? "" : CivilDate(dayNumber: e.start).description
            let due = e.dueDate?.description ?? ""
            let critical = e.critical ? "true" : "false"
            rows.append([node.id, node.kind.rawValue, node.title, node.owners.map(\.id).joined(separator: "; "),
                         start, due, "", critical])
            for item in node.items {
                rows.append([node.id, node.kind.rawValue, node.title, item.owners.joined(separator: "; "),
                             start, due, item.text, critical])
            }
        }
        return rows.map { $0.map(SimulatedEventLog.csvField).joined(separator: ",") + "\r\n" }.joined()
    }

    // MARK: iCalendar

    /// RFC 5545: one all-day event per scheduled node, on its due date. UIDs are stable
    /// (`<node-id>-<FNV-1a of the workflow title>@stagecraft`) and `DTSTAMP` is the kickoff,
    /// so output is reproducible. Lines are folded at 75 octets, CRLF line ends.
    public static func ics(_ plan: ChecklistPlan) -> String {
        let s = plan.schedule
        let stamp = icsDate(s.kickoff) + "T000000Z"
        let hash = FNV1a.hex64(plan.title)
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Stagecraft//Stagecraft 0.1//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + icsText(plan.title),
        ]
        for node in plan.nodes {
            guard let due = node.entry.due else { continue }
            var description = [node.kind == .stage ? "Stage \(node.id)" : "Gate \(node.id)"]
            let people = node.owners.map { p in p.title.map { "\(ChecklistPlan.oneLine($0)) (\(p.id))" } ?? p.id }
            if node.kind == .stage {
                description.append("Owner: " + (people.first ?? "none"))
            } else {
                description.append("Approvers: " + people.joined(separator: ", ") + " (quorum: " + node.quorumText + ")")
            }
            var plannedLine = "Planned: " + CivilDate(dayNumber: node.entry.start).description + " to "
                + CivilDate(dayNumber: due).description
            if let sla = node.sla, node.entry.basis == .sla {
                plannedLine += " (SLA " + sla.description + ")"
            } else {
                plannedLine += " (no SLA; from the estimate)"
            }
            if node.entry.critical { plannedLine += ", critical path" }
            description.append(plannedLine)
            if let chance = node.chancePercent { description.append("Chance: " + ChecklistPlan.runsIn(chance)) }
            if let wait = node.wait { description.append("Wait: " + wait) }
            if !node.items.isEmpty {
                description.append("Checklist:")
                for item in node.items {
                    description.append("- [ ] " + ChecklistPlan.oneLine(item.text)
                        + (item.owners.isEmpty ? "" : " (" + item.owners.joined(separator: ", ") + ")"))
                }
            }
            if let target = node.reworkTo { description.append("On reject: back to " + target) }
            lines += [
                "BEGIN:VEVENT",
                "UID:\(node.id)-\(hash)@stagecraft",
                "DTSTAMP:" + stamp,
                "DTSTART;VALUE=DATE:" + icsDate(due),
                "DTEND;VALUE=DATE:" + icsDate(due + 1),
                "SUMMARY:" + icsText("Due: " + ChecklistPlan.oneLine(node.title) + (node.entry.critical ? " [critical]" : "")),
                "DESCRIPTION:" + icsText(description.joined(separator: "\n")),
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map { fold($0) + "\r\n" }.joined()
    }

    /// `yyyymmdd`.
    static func icsDate(_ day: Int) -> String {
        CivilDate(dayNumber: day).description.replacingOccurrences(of: "-", with: "")
    }

    /// RFC 5545 TEXT: `\` `;` `,` escaped, line breaks as `\n`, other control characters dropped.
    public static func icsText(_ s: String) -> String {
        var out = ""
        var previousCR = false
        for scalar in s.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousCR { out += "\\n" }
            case "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Folds a content line into lines of at most 75 octets; continuation lines start with
    /// a space. Never splits a UTF-8 sequence.
    public static func fold(_ line: String) -> String {
        let bytes = Array(line.utf8)
        guard bytes.count > 75 else { return line }
        var pieces: [[UInt8]] = []
        var i = 0
        var limit = 75
        while i < bytes.count {
            var end = min(bytes.count, i + limit)
            // Back up to the start of a UTF-8 sequence.
            while end < bytes.count && end > i && bytes[end] & 0xC0 == 0x80 { end -= 1 }
            if end == i { end = min(bytes.count, i + limit) }
            pieces.append(Array(bytes[i..<end]))
            i = end
            limit = 74
        }
        return pieces.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\r\n ")
    }
}
