import StagecraftLanguage

/// A position-free rendering of a syntax tree, for checking that formatting keeps meaning.
///
/// Two files have the same tree, ignoring where things are, exactly when their dumps are
/// equal. The dump is ASCII only (every other scalar is written `\u{…}`), so comparing
/// dumps compares scalars, never canonically equivalent look-alikes; numbers are written
/// with every bit (`-0.0` differs from `0.0`).
public enum FormatDump {
    /// The dump of a file's tree.
    public static func dump(_ file: FlowFile) -> String {
        guard let w = file.workflow else { return "(file)" }
        return "(workflow " + optionalString(w.title) + w.members.map { "\n " + member($0) }.joined() + ")"
    }

    static func member(_ m: WorkflowMember) -> String {
        switch m {
        case .description(let s, _):
            return "(description " + string(s) + ")"
        case .deadline(let d, _):
            return "(deadline " + duration(d) + ")"
        case .calendar(let c):
            var out = "(calendar"
            for item in c.items {
                switch item {
                case .workdays(let days, _):
                    out += " (workdays" + days.map { " " + $0.name }.joined() + ")"
                case .holiday(let date, let name, _):
                    out += " (holiday " + date.text + " " + (date.date.map { "\($0)" } ?? "nil") + " " + optionalString(name) + ")"
                case .hours(let h, _):
                    out += " (hours " + hours(h) + ")"
                }
            }
            return out + ")"
        case .param(let p):
            var out = "(param " + p.name.name + " " + p.typeName.name + " " + (p.type?.rawValue ?? "nil") + " " + expr(p.value)
            if let shares = p.shares {
                out += " (shares"
                for share in shares.items {
                    out += " (" + expr(share.value) + " " + number(share.share.value) + ")"
                }
                out += ")"
            }
            return out + ")"
        case .owner(let o):
            var out = "(owner " + o.id.name + " " + optionalString(o.title) + (o.hasBody ? " body" : " nobody")
            for item in o.items {
                switch item {
                case .capacity(let n, _): out += " (capacity " + number(n.value) + ")"
                case .members(let list, _): out += " (members" + list.map { " " + string($0) }.joined() + ")"
                case .contact(let s, _): out += " (contact " + string(s) + ")"
                case .hours(let h, _): out += " (hours " + hours(h) + ")"
                }
            }
            return out + ")"
        case .node(let n):
            return "(" + n.kind.rawValue + " " + n.id.name + " " + optionalString(n.title)
                + n.statements.map { "\n  " + statement($0.kind) }.joined() + ")"
        }
    }

    static func statement(_ s: NodeStatementKind) -> String {
        switch s {
        case .after(let ids): return "(after" + ids.map { " " + $0.name }.joined() + ")"
        case .when(let e): return "(when " + expr(e) + ")"
        case .sla(let d): return "(sla " + duration(d) + ")"
        case .estimate(.range(let l, let h)): return "(estimate-range " + duration(l) + " " + duration(h) + ")"
        case .estimate(.pert(let o, let m, let p)):
            return "(estimate-pert " + duration(o) + " " + duration(m) + " " + duration(p) + ")"
        case .matches(let list): return "(matches" + list.map { " " + string($0) }.joined() + ")"
        case .checklist(let c):
            return "(checklist" + c.items.map { " (" + string($0.text) + " " + ($0.by?.name ?? "nil") + ")" }.joined() + ")"
        case .owner(let id): return "(owner " + id.name + ")"
        case .approvers(let ids): return "(approvers" + ids.map { " " + $0.name }.joined() + ")"
        case .quorum(.all): return "(quorum all)"
        case .quorum(.count(let n)): return "(quorum " + number(n.value) + ")"
        case .reject(let p): return "(reject " + number(p.value) + ")"
        case .wait(.fixed(let d)): return "(wait " + duration(d) + ")"
        case .wait(.spread(.range(let l, let h))): return "(wait-range " + duration(l) + " " + duration(h) + ")"
        case .wait(.spread(.pert(let o, let m, let p))):
            return "(wait-pert " + duration(o) + " " + duration(m) + " " + duration(p) + ")"
        case .chance(let p): return "(chance " + number(p.value) + ")"
        case .onReject(let id): return "(on-reject " + id.name + ")"
        }
    }

    static func expr(_ e: Expr) -> String {
        switch e {
        case .string(let s): return string(s)
        case .number(let n): return number(n.value)
        case .bool(let b, _): return b ? "true" : "false"
        case .name(let id): return "$" + id.name
        case .paren(let inner, _): return "(paren " + expr(inner) + ")"
        case .not(let inner, _): return "(not " + expr(inner) + ")"
        case .binary:
            let (leftmost, links) = e.binaryChain
            var out = ""
            for (op, _) in links.reversed() { out += "(" + op.rawValue + " " }
            out += expr(leftmost)
            for (_, rhs) in links { out += " " + expr(rhs) + ")" }
            return out
        case .isIn(let lhs, let values, _):
            return "(in " + expr(lhs) + " [" + values.map { " " + expr($0) }.joined() + "])"
        case .invalid: return "(invalid)"
        }
    }

    static func duration(_ d: DurationLiteral) -> String {
        number(d.value.amount) + d.value.unit.rawValue
    }

    /// The times as written (hour and minute), so that `9:00` and `09:00` dump alike.
    static func hours(_ h: HoursLiteral) -> String {
        "\(h.start.hour):\(h.start.minute)-\(h.end.hour):\(h.end.minute)"
    }

    /// Every bit of the value: the shortest text that reads back as the same Double.
    static func number(_ v: Double) -> String { "\(v)" }

    static func optionalString(_ s: StringLiteral?) -> String {
        s.map(string) ?? "nil"
    }

    static func string(_ s: StringLiteral) -> String {
        var out = "\""
        for scalar in s.value.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "\"" && scalar != "\\" {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return out + "\""
    }
}
