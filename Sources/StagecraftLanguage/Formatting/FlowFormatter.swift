import StagecraftSyntax

/// The canonical layout of `.flow` files: what `stagecraft fmt` writes (docs/cli.md,
/// "Formatting", describes the layout). Formatting is idempotent and keeps the syntax tree
/// (see `FormatDump`).
public enum FlowFormatter {
    /// The outcome of formatting one source file.
    public struct Outcome: Sendable {
        /// The parse of the input.
        public var parsed: ParsedFile
        /// The canonical text, or nil when the input has syntax errors.
        public var formatted: String?
    }

    /// Parses and formats one source file.
    ///
    /// A file with lexical or syntax errors is not formatted: `formatted` is nil and the
    /// diagnostics are in `parsed`.
    public static func format(_ source: SourceFile) -> Outcome {
        let parsed = Parser.parse(source)
        return Outcome(parsed: parsed, formatted: format(parsed))
    }

    /// The canonical text of an already parsed file, or nil when it has errors.
    public static func format(_ parsed: ParsedFile) -> String? {
        guard !parsed.hasErrors else { return nil }
        var layout = FormatLayout(source: parsed.source, comments: parsed.comments.map(\.range))
        if let workflow = parsed.tree.workflow {
            layout.workflow(workflow)
        }
        return layout.render()
    }

    /// A string literal in canonical form, with its quotes.
    public static func quoted(_ value: String) -> String {
        var out = ""
        FormatLayout.appendQuoted(value, to: &out)
        return out
    }
}

/// How a blank line before an output line (or the comments placed before it) is decided.
enum FormatBlank {
    /// Never a blank line.
    case never
    /// A blank line when the source has at least one there.
    case preserve
    /// Always exactly one blank line.
    case forced
}

/// One output line before comments are placed: its text and the source span it came from.
struct FormatLine {
    var indent: Int
    var text: String
    /// Source span `[start, end)` of the code printed on this line.
    var start: Int
    var end: Int
    /// A line holding only the `}` that closes a block.
    var isClose: Bool
    /// The rule for the blank line before the first thing printed for this line (its
    /// first leading comment, or the line itself).
    var firstBlank: FormatBlank
    /// The rule for the blank line between this line's leading comments and the line.
    var lineBlank: FormatBlank
}

/// Builds the canonical text: first the code lines with their source spans, then the
/// comments placed among them, then the text.
struct FormatLayout {
    let source: SourceFile
    /// Comment ranges, in source order.
    let comments: [SourceRange]
    var lines: [FormatLine] = []

    init(source: SourceFile, comments: [SourceRange]) {
        self.source = source
        self.comments = comments
        lines.reserveCapacity(source.lineStarts.count + 8)
    }

    // MARK: - Code lines

    mutating func add(_ text: String, indent: Int, start: Int, end: Int, blank: FormatBlank,
                      lineBlank: FormatBlank = .preserve, isClose: Bool = false) {
        lines.append(FormatLine(indent: indent, text: text, start: start, end: max(start + 1, end),
                                isClose: isClose, firstBlank: blank, lineBlank: lineBlank))
    }

    /// Whether a comment starts in `[from, to)`.
    func hasComment(from: Int, to: Int) -> Bool {
        var lo = 0
        var hi = comments.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if comments[mid].start < from { lo = mid + 1 } else { hi = mid }
        }
        return lo < comments.count && comments[lo].start < to
    }

    /// A block spanning `start..<end`: `header {`, each child printed by `child` one level
    /// deeper (with the blank rule for its place), then `}`; or `header {}` when it has no
    /// children and no comments.
    mutating func block<Child>(_ header: String, indent: Int, start: Int, afterHeader: Int, end: Int,
                               blank: FormatBlank, _ children: [Child],
                               _ child: (inout FormatLayout, Child, FormatBlank) -> Void) {
        let bytes = source.bytes
        var brace = afterHeader
        while brace < end && brace < bytes.count && (bytes[brace] == 0x20 || bytes[brace] == 0x09) { brace += 1 }
        let braceEnd = brace < bytes.count && bytes[brace] == 0x7B ? brace + 1 : afterHeader
        let close = end > braceEnd && end <= bytes.count && bytes[end - 1] == 0x7D ? end - 1 : end
        if children.isEmpty && !hasComment(from: braceEnd, to: close) {
            add(header + " {}", indent: indent, start: start, end: end, blank: blank)
            return
        }
        add(header + " {", indent: indent, start: start, end: braceEnd, blank: blank)
        for (i, c) in children.enumerated() {
            child(&self, c, i == 0 ? .never : .preserve)
        }
        add("}", indent: indent, start: close, end: close + 1, blank: children.isEmpty ? .never : .preserve,
            lineBlank: .never, isClose: true)
    }

    /// A child of a block that prints as one line, from its text and source range.
    mutating func line(_ text: String, _ range: SourceRange, indent: Int, blank: FormatBlank) {
        add(text, indent: indent, start: range.start, end: range.end, blank: blank)
    }

    /// `head`, then the title in quotes when there is one.
    static func titled(_ head: String, _ title: StringLiteral?) -> String {
        var t = head
        if let title {
            t += " "
            appendQuoted(title.value, to: &t)
        }
        return t
    }

    mutating func workflow(_ w: Workflow) {
        var previousGroup: Int?
        block(FormatLayout.titled("workflow", w.title), indent: 0, start: w.range.start,
              afterHeader: w.title?.range.end ?? w.keywordRange.end, end: w.range.end, blank: .preserve, w.members) { l, member, blank in
            // Between members of one group of one-line declarations the author's blank
            // line is kept; between other members there is always one.
            let group = l.oneLineGroup(member)
            let sameGroup = group != nil && group == previousGroup
            previousGroup = group
            l.member(member, blank: blank == .preserve && !sameGroup ? .forced : blank)
        }
    }

    /// The group of one-line workflow declarations a member belongs to, if any: between
    /// two members of the same group the author's blank line (or its absence) is kept.
    func oneLineGroup(_ member: WorkflowMember) -> Int? {
        switch member {
        case .description, .deadline: return 0
        case .param(let p): return p.shares == nil ? 1 : nil
        case .owner(let o):
            if o.items.isEmpty && !(o.hasBody && hasComment(from: o.range.start, to: o.range.end)) { return 2 }
            return nil
        case .calendar, .node: return nil
        }
    }

    mutating func member(_ member: WorkflowMember, blank: FormatBlank) {
        let indent = 1
        switch member {
        case .description(let s, let range):
            line(FormatLayout.titled("description", s), range, indent: indent, blank: blank)
        case .deadline(let d, let range):
            line("deadline " + duration(d), range, indent: indent, blank: blank)
        case .calendar(let c):
            block("calendar", indent: indent, start: c.range.start, afterHeader: c.range.start + 8, end: c.range.end,
                  blank: blank, c.items) { l, item, blank in
                switch item {
                case .workdays(let days, _):
                    var t = "workdays"
                    for d in days { t += " "; t += d.name }
                    l.line(t, item.range, indent: indent + 1, blank: blank)
                case .holiday(let date, let name, _):
                    l.line(FormatLayout.titled("holiday " + date.text, name), item.range, indent: indent + 1, blank: blank)
                case .hours(let h, _):
                    l.line("hours " + h.description, item.range, indent: indent + 1, blank: blank)
                }
            }
        case .param(let p):
            var t = "param " + p.name.name + ": " + p.typeName.name + " = "
            expression(p.value, into: &t)
            guard let shares = p.shares else {
                line(t, p.range, indent: indent, blank: blank)
                return
            }
            // A param that varies per case: one `VALUE PERCENT` per line in its block.
            block(t, indent: indent, start: p.range.start, afterHeader: p.value.range.end, end: p.range.end,
                  blank: blank, shares.items) { l, share, blank in
                var s = ""
                l.expression(share.value, into: &s)
                s += " " + l.percent(share.share)
                l.line(s, share.range, indent: indent + 1, blank: blank)
            }
        case .owner(let o):
            let header = FormatLayout.titled("owner " + o.id.name, o.title)
            guard o.hasBody else {
                line(header, o.range, indent: indent, blank: blank)
                return
            }
            block(header, indent: indent, start: o.range.start, afterHeader: o.title?.range.end ?? o.id.range.end,
                  end: o.range.end, blank: blank, o.items) { l, item, blank in
                var s: String
                switch item {
                case .capacity(let n, _):
                    s = "capacity " + l.number(n.value, n.range)
                case .members(let list, _):
                    s = "members "
                    l.stringList(list, into: &s)
                case .contact(let c, _):
                    s = FormatLayout.titled("contact", c)
                case .hours(let h, _):
                    s = "hours " + h.description
                }
                l.line(s, item.range, indent: indent + 1, blank: blank)
            }
        case .node(let n):
            block(FormatLayout.titled(n.kind.rawValue + " " + n.id.name, n.title), indent: indent, start: n.range.start,
                  afterHeader: n.title?.range.end ?? n.id.range.end, end: n.range.end, blank: blank, n.statements) { l, statement, blank in
                l.nodeStatement(statement, indent: indent + 1, blank: blank)
            }
        }
    }

    mutating func nodeStatement(_ statement: NodeStatement, indent: Int, blank: FormatBlank) {
        var t = statement.kind.keyword + " "
        switch statement.kind {
        case .after(let ids), .approvers(let ids):
            identifierList(ids, into: &t)
        case .when(let e):
            expression(e, into: &t)
        case .sla(let d), .wait(.fixed(let d)):
            t += duration(d)
        case .estimate(let e), .wait(.spread(let e)):
            t += spread(e)
        case .chance(let p), .reject(let p):
            t += percent(p)
        case .matches(let list):
            stringList(list, into: &t)
        case .checklist(let c):
            block("checklist", indent: indent, start: statement.range.start, afterHeader: statement.keywordRange.end,
                  end: c.range.end, blank: blank, c.items) { l, item, blank in
                let by = item.by.map { " by " + $0.name } ?? ""
                l.line(FlowFormatter.quoted(item.text.value) + by, item.range, indent: indent + 1, blank: blank)
            }
            return
        case .owner(let id):
            t += id.name
        case .quorum(.all):
            t += "all"
        case .quorum(.count(let n)):
            t += number(n.value, n.range)
        case .onReject(let id):
            t += "-> " + id.name
        }
        line(t, statement.range, indent: indent, blank: blank)
    }

    // MARK: - Pieces

    func identifierList(_ ids: [Identifier], into out: inout String) {
        for (i, id) in ids.enumerated() {
            if i > 0 { out += ", " }
            out += id.name
        }
    }

    func stringList(_ list: [StringLiteral], into out: inout String) {
        for (i, s) in list.enumerated() {
            if i > 0 { out += ", " }
            FormatLayout.appendQuoted(s.value, to: &out)
        }
    }

    /// `LOW..HIGH` or `OPT LIKELY PESS`, as after `estimate` and `wait`.
    func spread(_ e: Estimate) -> String {
        switch e {
        case .range(let low, let high): return duration(low) + ".." + duration(high)
        case .pert(let o, let m, let p): return duration(o) + " " + duration(m) + " " + duration(p)
        }
    }

    func percent(_ p: PercentLiteral) -> String {
        number(p.value, SourceRange(p.range.start, p.range.end - 1)) + "%"
    }

    func duration(_ d: DurationLiteral) -> String {
        let unit = d.value.unit.rawValue
        let amountEnd = max(d.range.start, d.range.end - unit.utf8.count)
        return number(d.value.amount, SourceRange(d.range.start, amountEnd)) + unit
    }

    /// A number in canonical form: `formatNumber` when it reads back as exactly the same
    /// value, otherwise the digits as written with redundant zeros removed (huge values,
    /// `-0`, more digits than a Double holds).
    func number(_ value: Double, _ range: SourceRange) -> String {
        if value == value.rounded() && abs(value) < 1e15 && !(value == 0 && value.sign == .minus) {
            return formatNumber(value)
        }
        if value.isFinite && abs(value) < 1e15 {
            let s = formatNumber(value)
            if let back = Double(s), back.bitPattern == value.bitPattern { return s }
        }
        return FormatLayout.normalizedDecimal(source.text(of: range))
    }

    /// `-007.500` → `-7.5`: the same decimal value with no redundant zeros.
    static func normalizedDecimal(_ text: String) -> String {
        var s = Substring(text)
        var sign = ""
        if s.hasPrefix("-") {
            sign = "-"
            s = s.dropFirst()
        }
        var whole = s
        var fraction: Substring = ""
        if let dot = s.firstIndex(of: ".") {
            whole = s[..<dot]
            fraction = s[s.index(after: dot)...]
        }
        whole = whole.drop(while: { $0 == "0" })
        while fraction.last == "0" { fraction = fraction.dropLast() }
        var out = sign + (whole.isEmpty ? "0" : String(whole))
        if !fraction.isEmpty { out += "." + fraction }
        return out
    }

    /// Appends an expression as written: parentheses only where the tree has them.
    func expression(_ e: Expr, into out: inout String) {
        switch e {
        case .string(let s):
            FormatLayout.appendQuoted(s.value, to: &out)
        case .number(let n):
            out += number(n.value, n.range)
        case .bool(let b, _):
            out += b ? "true" : "false"
        case .name(let id):
            out += id.name
        case .paren(let inner, _):
            out += "("
            expression(inner, into: &out)
            out += ")"
        case .not(let inner, _):
            out += "not "
            expression(inner, into: &out)
        case .binary:
            let (leftmost, links) = e.binaryChain
            expression(leftmost, into: &out)
            for (op, rhs) in links {
                out += " "
                out += op.rawValue
                out += " "
                expression(rhs, into: &out)
            }
        case .isIn(let lhs, let values, _):
            expression(lhs, into: &out)
            out += " in ["
            for (i, v) in values.enumerated() {
                if i > 0 { out += ", " }
                expression(v, into: &out)
            }
            out += "]"
        case .invalid:
            break
        }
    }

    /// Appends `value` as a canonical string literal.
    static func appendQuoted(_ value: String, to out: inout String) {
        out += "\""
        var plain = true
        for b in value.utf8 where b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F || b == 0xC2 {
            plain = false
            break
        }
        if plain {
            out += value
        } else {
            for scalar in value.unicodeScalars {
                switch scalar.value {
                case 0x22: out += "\\\""
                case 0x5C: out += "\\\\"
                case 0x0A: out += "\\n"
                case 0x09: out += "\\t"
                case 0..<0x20, 0x7F...0x9F:
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                default:
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    // MARK: - Comments and text

    /// Where a comment goes: on its own line before line `index` (`lines.count` for the
    /// end of the file), or at the end of line `index`.
    enum Placement {
        case before(Int)
        case trailing(Int)
    }

    func lineIndex(_ offset: Int) -> Int { source.lineIndex(of: offset) }

    /// Decides where each comment goes.
    func placements() -> [Placement] {
        var result: [Placement] = []
        result.reserveCapacity(comments.count)
        var hasTrailing = [Bool](repeating: false, count: lines.count)
        var k = -1  // the last line starting before the comment
        for c in comments {
            while k + 1 < lines.count && lines[k + 1].start < c.start { k += 1 }
            guard k >= 0 else {
                result.append(.before(0))
                continue
            }
            let line = lines[k]
            if c.start < line.end {
                // Inside a statement that spans lines: on its own line before it.
                result.append(.before(k))
                continue
            }
            let commentLine = lineIndex(c.start)
            guard lineIndex(line.end - 1) == commentLine else {
                result.append(.before(k + 1))
                continue
            }
            // An end-of-line comment: the first output line printed from its source line.
            var j = k
            while j > 0 && lineIndex(lines[j - 1].start) == commentLine && lineIndex(lines[j].start) == commentLine {
                j -= 1
            }
            if hasTrailing[j] {
                result.append(.before(k + 1))
            } else {
                hasTrailing[j] = true
                result.append(.trailing(j))
            }
        }
        return result
    }

    /// Whether the source has a blank line between offsets `a` and `b`.
    func blankBetween(_ a: Int, _ b: Int) -> Bool {
        a < b && lineIndex(b) - lineIndex(a) >= 2
    }

    /// The comment's text without trailing white space.
    func commentText(_ c: SourceRange) -> Substring {
        let bytes = source.bytes
        var end = c.end
        while end > c.start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        return Substring(source.text(of: SourceRange(c.start, end)))
    }

    /// The whole text: lines, comments and blank lines.
    func render() -> String {
        let placed = placements()
        var before = [[Int]](repeating: [], count: lines.count + 1)
        var trailing = [Int?](repeating: nil, count: lines.count)
        for (ci, p) in placed.enumerated() {
            switch p {
            case .before(let k): before[min(k, lines.count)].append(ci)
            case .trailing(let k): trailing[k] = ci
            }
        }
        var out = ""
        out.reserveCapacity(source.bytes.count + source.bytes.count / 8 + 16)
        var previousEnd = 0
        var atStart = true

        func newline(blank: Bool) {
            if blank && !atStart { out += "\n" }
        }
        func indent(_ n: Int) {
            for _ in 0..<n { out += "  " }
        }
        func decide(_ rule: FormatBlank, at position: Int) -> Bool {
            switch rule {
            case .never: return false
            case .forced: return true
            case .preserve: return blankBetween(previousEnd, position)
            }
        }

        for k in 0...lines.count {
            let line: FormatLine? = k < lines.count ? lines[k] : nil
            let commentIndent = line.map { $0.isClose ? $0.indent + 1 : $0.indent } ?? 0
            var first = true
            for ci in before[k] {
                let c = comments[ci]
                let position = line.map { min(c.start, $0.start) } ?? c.start
                newline(blank: decide(first ? (line?.firstBlank ?? .preserve) : .preserve, at: position))
                first = false
                indent(commentIndent)
                out += commentText(c)
                out += "\n"
                atStart = false
                previousEnd = max(previousEnd, c.end)
            }
            guard let line else { break }
            // Never a blank line before a closing brace, even with no comment before it.
            let rule = line.isClose ? .never : (first ? line.firstBlank : line.lineBlank)
            newline(blank: decide(rule, at: line.start))
            indent(line.indent)
            out += line.text
            previousEnd = max(previousEnd, line.end)
            if let ci = trailing[k] {
                out += " "
                out += commentText(comments[ci])
                previousEnd = max(previousEnd, comments[ci].end)
            }
            out += "\n"
            atStart = false
        }
        return out
    }
}
