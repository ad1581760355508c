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
        var out = ""
        guard let w = file.workflow else { return "(file)" }
        out += "(workflow "
        optionalString(w.title, &out)
        for m in w.members {
            out += "\n "
            member(m, &out)
        }
        out += ")"
        return out
    }

    static func member(_ m: WorkflowMember, _ out: inout String) {
        switch m {
        case .description(let s, _):
            out += "(description "
            string(s, &out)
            out += ")"
        case .deadline(let d, _):
            out += "(deadline " + duration(d) + ")"
        case .calendar(let c):
            out += "(calendar"
            for item in c.items {
                switch item {
                case .workdays(let days, _):
                    out += " (workdays" + days.map { " " + $0.name }.joined() + ")"
                case .holiday(let date, let name, _):
                    out += " (holiday " + date.text + " " + (date.date.map { "\($0)" } ?? "nil") + " "
                    optionalString(name, &out)
                    out += ")"
                case .hours(let h, _):
                    out += " (hours " + hours(h) + ")"
                }
            }
            out += ")"
        case .param(let p):
            out += "(param " + p.name.name + " " + p.typeName.name + " " + (p.type?.rawValue ?? "nil") + " "
            expr(p.value, &out)
            if let shares = p.shares {
                out += " (shares"
                for share in shares.items {
                    out += " ("
                    expr(share.value, &out)
                    out += " " + number(share.share.value) + ")"
                }
                out += ")"
            }
            out += ")"
        case .owner(let o):
            out += "(owner " + o.id.name + " "
            optionalString(o.title, &out)
            out += o.hasBody ? " body" : " nobody"
            for item in o.items {
                switch item {
                case .capacity(let n, _): out += " (capacity " + number(n.value) + ")"
                case .members(let list, _):
                    out += " (members"
                    for s in list { out += " "; string(s, &out) }
                    out += ")"
                case .contact(let s, _):
                    out += " (contact "
                    string(s, &out)
                    out += ")"
                case .hours(let h, _):
                    out += " (hours " + hours(h) + ")"
                }
            }
            out += ")"
        case .node(let n):
            out += "(" + n.kind.rawValue + " " + n.id.name + " "
            optionalString(n.title, &out)
            for s in n.statements {
                out += "\n  "
                statement(s.kind, &out)
            }
            out += ")"
        }
    }

    static func statement(_ s: NodeStatementKind, _ out: inout String) {
        switch s {
        case .after(let ids): out += "(after" + ids.map { " " + $0.name }.joined() + ")"
        case .when(let e):
            out += "(when "
            expr(e, &out)
            out += ")"
        case .sla(let d): out += "(sla " + duration(d) + ")"
        case .estimate(.range(let l, let h)): out += "(estimate-range " + duration(l) + " " + duration(h) + ")"
        case .estimate(.pert(let o, let m, let p)):
            out += "(estimate-pert " + duration(o) + " " + duration(m) + " " + duration(p) + ")"
        case .matches(let list):
            out += "(matches"
            for s in list { out += " "; string(s, &out) }
            out += ")"
        case .checklist(let c):
            out += "(checklist"
            for item in c.items {
                out += " ("
                string(item.text, &out)
                out += " " + (item.by?.name ?? "nil") + ")"
            }
            out += ")"
        case .owner(let id): out += "(owner " + id.name + ")"
        case .approvers(let ids): out += "(approvers" + ids.map { " " + $0.name }.joined() + ")"
        case .quorum(.all): out += "(quorum all)"
        case .quorum(.count(let n)): out += "(quorum " + number(n.value) + ")"
        case .reject(let p): out += "(reject " + number(p.value) + ")"
        case .wait(.fixed(let d)): out += "(wait " + duration(d) + ")"
        case .wait(.spread(.range(let l, let h))): out += "(wait-range " + duration(l) + " " + duration(h) + ")"
        case .wait(.spread(.pert(let o, let m, let p))):
            out += "(wait-pert " + duration(o) + " " + duration(m) + " " + duration(p) + ")"
        case .chance(let p): out += "(chance " + number(p.value) + ")"
        case .onReject(let id): out += "(on-reject " + id.name + ")"
        }
    }

    static func expr(_ e: Expr, _ out: inout String) {
        switch e {
        case .string(let s): string(s, &out)
        case .number(let n): out += number(n.value)
        case .bool(let b, _): out += b ? "true" : "false"
        case .name(let id): out += "$" + id.name
        case .paren(let inner, _):
            out += "(paren "
            expr(inner, &out)
            out += ")"
        case .not(let inner, _):
            out += "(not "
            expr(inner, &out)
            out += ")"
        case .binary:
            let (leftmost, links) = e.binaryChain
            for (op, _) in links.reversed() { out += "(" + op.rawValue + " " }
            expr(leftmost, &out)
            for (_, rhs) in links {
                out += " "
                expr(rhs, &out)
                out += ")"
            }
        case .isIn(let lhs, let values, _):
            out += "(in "
            expr(lhs, &out)
            out += " ["
            for v in values { out += " "; expr(v, &out) }
            out += "])"
        case .invalid: out += "(invalid)"
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

    static func optionalString(_ s: StringLiteral?, _ out: inout String) {
        if let s { string(s, &out) } else { out += "nil" }
    }

    static func string(_ s: StringLiteral, _ out: inout String) {
        out += "\""
        for scalar in s.value.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "\"" && scalar != "\\" {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        out += "\""
    }
}
