import Foundation
import StagecraftSyntax

/// The result of parsing one file: a tree (always), the comments and the diagnostics.
public struct ParsedFile: Sendable {
    public var source: SourceFile
    public var tree: FlowFile
    public var comments: [Token]
    /// Lexical and syntax diagnostics, at most one per line and at most
    /// `Parser.maxErrors` in all.
    public var diagnostics: [Diagnostic]

    /// The memberwise initializer, declared so that the other targets can call it.
    package init(source: SourceFile, tree: FlowFile, comments: [Token], diagnostics: [Diagnostic]) {
        self.source = source
        self.tree = tree
        self.comments = comments
        self.diagnostics = diagnostics
    }

    /// Whether the file has any lexical or syntax error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// A recursive-descent parser for `.flow` files.
///
/// It never throws: it returns a tree and a list of diagnostics. After an error it
/// recovers at the next statement or closing brace, reports at most one error per line,
/// and stops reporting after `maxErrors`.
public struct Parser {
    /// Errors reported per file at most.
    public static let maxErrors = 50
    /// How deeply `when` expressions may nest before the parser gives up on them.
    public static let maxExpressionDepth = 64

    let source: SourceFile
    /// Where the lexer is: tokens are pulled one at a time as the parser advances.
    var scanner: Lexer.State
    /// The token under the parser.
    var current: Token
    /// How many tokens the parser has taken (to check that a statement consumed some).
    var position = 0
    /// The offset just past the previous token.
    var previousEnd = 0
    /// The parser's own diagnostics, before the limits of `limited(lexical:syntax:)`.
    var diagnostics: [Diagnostic] = []
    var depth = 0

    /// Lexes and parses a file.
    public static func parse(_ source: SourceFile) -> ParsedFile {
        source.bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(source: source, scanner: Lexer.State(bytes: buffer))
            let tree = parser.parseFile()
            return parser.finish(tree)
        }
    }

    init(source: SourceFile, scanner: Lexer.State) {
        self.source = source
        self.scanner = scanner
        self.current = self.scanner.next()
    }

    // MARK: - Diagnostics

    /// The parsed file from the tree and what the parser collected.
    func finish(_ tree: FlowFile) -> ParsedFile {
        let diagnostics = limited(lexical: scanner.diagnostics, syntax: self.diagnostics)
        return ParsedFile(source: source, tree: tree, comments: scanner.comments,
                          diagnostics: diagnostics.sorted { $0.range.start < $1.range.start })
    }

    /// The diagnostics to report: lexical ones first, then the parser's, at most one per
    /// line (so cascades stay out of the output) and at most `maxErrors` in all.
    func limited(lexical: [Diagnostic], syntax: [Diagnostic]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var errorLines: Set<Int> = []
        for d in lexical + syntax {
            guard out.count < Parser.maxErrors else { break }
            guard errorLines.insert(source.lineIndex(of: d.range.start)).inserted else { continue }
            out.append(d)
            if out.count == Parser.maxErrors {
                out.append(Diagnostic(rule: "syntax", severity: .note,
                                      message: "too many errors; stopped reporting after \(Parser.maxErrors)",
                                      range: d.range))
            }
        }
        return out
    }

    mutating func report(_ d: Diagnostic) {
        diagnostics.append(d)
    }

    mutating func error(_ message: String, at range: SourceRange, help: String? = nil) {
        report(Diagnostic(rule: "syntax", severity: .error, message: message, range: range, help: help))
    }

    // MARK: - Token access

    var kind: TokenKind { current.kind }

    /// The text of a token.
    func text(_ t: Token) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: scanner.b[t.range.start..<t.range.end]), as: UTF8.self)
    }

    func isKeyword(_ keyword: Keyword, _ t: Token? = nil) -> Bool {
        self.keyword(t ?? current) == keyword
    }

    /// The keyword an identifier token spells, if any.
    func keyword(_ t: Token) -> Keyword? {
        t.kind == .identifier ? Keyword.spelled(scanner.b, t.range.start, t.range.end) : nil
    }

    @discardableResult
    mutating func advance() -> Token {
        let t = current
        if t.kind != .endOfFile {
            previousEnd = t.range.end
            current = scanner.next()
            position += 1
        }
        return t
    }

    mutating func skipNewlines() {
        while kind == .newline || kind == .semicolon { advance() }
    }

    /// A description of the current token for messages.
    func describeCurrent() -> String {
        switch kind {
        case .identifier: return "'\(text(current))'"
        case .newline, .endOfFile, .invalid: return kind.displayName
        case .string, .number, .percent, .duration, .date, .time: return "\(kind.displayName) \(text(current))"
        default: return kind.displayName
        }
    }

    // MARK: - Recovery

    /// Skips to the end of the current statement: the next line end or `;` at this
    /// brace depth, or before the `}` that closes the enclosing block.
    mutating func recoverToStatementEnd() {
        var braces = 0
        while kind != .endOfFile {
            switch kind {
            case .leftBrace:
                braces += 1
            case .rightBrace:
                if braces == 0 { return }
                braces -= 1
                if braces == 0 {
                    advance()
                    return
                }
            case .newline, .semicolon:
                if braces == 0 { return }
            default:
                break
            }
            advance()
        }
    }

    /// After a statement: a line end, `;`, a closing brace or the end of the file must follow.
    mutating func expectStatementEnd() {
        switch kind {
        case .newline, .semicolon, .rightBrace, .endOfFile:
            return
        default:
            expected("end of statement", help: "put each statement on its own line, or separate them with ';'")
            recoverToStatementEnd()
        }
    }

    // MARK: - Literals

    mutating func expectIdentifier(_ what: String) -> Identifier? {
        expect(.identifier, what) { p in
            let t = p.advance()
            return Identifier(name: p.text(t), range: t.range)
        }
    }

    mutating func parseStringLiteral() -> StringLiteral {
        let t = advance()
        return StringLiteral(value: Lexer.stringValue(UnsafeBufferPointer(rebasing: scanner.b[t.range.start..<t.range.end])),
                             range: t.range)
    }

    mutating func expectString(_ what: String) -> StringLiteral? {
        expect(.string, what, help: kind == .identifier ? "put the text in double quotes" : nil) { p in p.parseStringLiteral() }
    }

    mutating func parseNumberLiteral() -> NumberLiteral {
        let t = advance()
        return NumberLiteral(value: number(t.range.start, t.range.end), range: t.range)
    }

    /// The value of the number written in `start..<end` (digits, an optional sign and
    /// fraction). Up to 15 digits it is computed exactly from the bytes, as one
    /// correctly rounded division; longer numbers go through `Double(String)`.
    func number(_ start: Int, _ end: Int) -> Double {
        let b = scanner.b
        var i = start
        let negative = i < end && b[i] == 0x2D
        if negative { i += 1 }
        var mantissa = 0
        var digits = 0
        var fraction = 0
        var inFraction = false
        while i < end {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 {
                mantissa = mantissa &* 10 &+ Int(c - 0x30)
                digits += 1
                if inFraction { fraction += 1 }
            } else if c == 0x2E && !inFraction {
                inFraction = true
            } else {
                break
            }
            i += 1
        }
        guard i == end, digits > 0, digits <= 15 else {
            return Double(text(Token(.number, SourceRange(start, end)))) ?? 0
        }
        var value = Double(mantissa)
        if fraction > 0 {
            // 10^fraction, exact: every power of ten up to 10^22 is a Double.
            var scale = 1.0
            for _ in 0..<fraction { scale *= 10 }
            value /= scale
        }
        return negative ? -value : value
    }

    mutating func expectDuration(_ what: String) -> DurationLiteral? {
        guard kind == .duration else {
            let help = kind == .number ? "add a unit: m, h, d, w or bd, as in \(text(current))bd" : nil
            expected(what, help: help)
            return nil
        }
        let t = advance()
        // The unit starts at the first letter; the lexer guarantees a known unit there.
        var unitStart = t.range.start
        while unitStart < t.range.end && !Lexer.isIdentifierStart(scanner.b[unitStart]) { unitStart += 1 }
        let amount = number(t.range.start, unitStart)
        let unit = DurationUnit.spelled(scanner.b, unitStart, t.range.end) ?? .days
        return DurationLiteral(value: Duration(amount: amount, unit: unit), range: t.range)
    }

    /// A comma-separated list that continues onto the next line after a trailing comma.
    mutating func parseList<T>(_ element: (inout Parser) -> T?) -> [T]? {
        var items: [T] = []
        guard let first = element(&self) else { return nil }
        items.append(first)
        while kind == .comma {
            advance()
            while kind == .newline { advance() }
            guard let next = element(&self) else { return nil }
            items.append(next)
        }
        return items
    }

    /// A statement of a keyword and what `value` reads after it, then the statement's end:
    /// `make` gets the value and the range from the keyword to the value's end. Nil, after
    /// skipping the rest of the statement, when `value` finds nothing.
    mutating func keywordStatement<T, R>(_ make: (T, SourceRange) -> R, _ value: (inout Parser) -> T?) -> R? {
        let start = advance().range.start
        guard let v = value(&self) else {
            recoverToStatementEnd()
            return nil
        }
        let end = previousEnd
        expectStatementEnd()
        return make(v, SourceRange(start, end))
    }

    /// The token of `kind` under the parser read by `literal`, or nil after reporting
    /// "expected `what`" and `help`.
    mutating func expect<T>(_ kind: TokenKind, _ what: String, help: String? = nil,
                            _ literal: (inout Parser) -> T) -> T? {
        guard self.kind == kind else {
            expected(what, help: help)
            return nil
        }
        return literal(&self)
    }

    /// Reports that `what` was expected where the token under the parser stands.
    mutating func expected(_ what: String, help: String? = nil) {
        error("expected \(what), found \(describeCurrent())", at: current.range, help: help)
    }

    // MARK: - File and workflow

    mutating func parseFile() -> FlowFile {
        var workflow: Workflow?
        skipNewlines()
        while kind != .endOfFile {
            if isKeyword(.workflow) {
                let w = parseWorkflow()
                if workflow == nil {
                    workflow = w
                } else if let w {
                    error("a file holds at most one workflow", at: w.keywordRange,
                          help: "move this workflow into a file of its own")
                }
            } else if kind == .identifier && text(current) == "import" {
                error("'import' is not supported yet", at: current.range,
                      help: "declare the owners and calendar in this file for now")
                recoverToStatementEnd()
            } else {
                expected("'workflow'", help: "a .flow file holds one block: workflow \"Title\" { … }")
                if kind == .rightBrace { advance() } else { recoverToStatementEnd() }
            }
            skipNewlines()
        }
        return FlowFile(workflow: workflow, range: SourceRange(0, source.bytes.count))
    }

    /// Parses `{`, then statements with `body` until the matching `}`. Returns the end offset.
    mutating func parseBlock(_ what: String, _ statement: (inout Parser) -> Void) -> Int {
        guard kind == .leftBrace else {
            expected("'{' to open the \(what) body")
            recoverToStatementEnd()
            return previousEnd
        }
        let open = advance()
        skipNewlines()
        while kind != .rightBrace {
            if kind == .endOfFile {
                error("missing '}' to close the \(what) body", at: current.range,
                      help: "the body opened at line \(source.location(of: open.range.start).line) needs a closing '}'")
                return previousEnd
            }
            let before = position
            statement(&self)
            if position == before {
                // Guarantee progress whatever the statement parser did.
                advance()
            }
            skipNewlines()
        }
        return advance().range.end
    }

    mutating func parseWorkflow() -> Workflow? {
        let keyword = advance()
        var title: StringLiteral?
        if kind == .string {
            title = parseStringLiteral()
        } else {
            expected("the workflow's title in double quotes", help: "write workflow \"Product launch\" { … }")
            if kind == .identifier { advance() }
        }
        var members: [WorkflowMember] = []
        let end = parseBlock("workflow") { p in
            if let m = p.parseWorkflowMember() { members.append(m) }
        }
        return Workflow(title: title, members: members, range: SourceRange(keyword.range.start, end),
                        keywordRange: keyword.range)
    }

    static let workflowStatements = ["description", "deadline", "calendar", "param", "owner", "stage", "gate"]

    mutating func parseWorkflowMember() -> WorkflowMember? {
        guard kind == .identifier else {
            expected("a declaration (stage, gate, owner, param, calendar, deadline or description)")
            recoverToStatementEnd()
            return nil
        }
        switch keyword(current) {
        case .description?:
            return keywordStatement(WorkflowMember.description) { p in p.expectString("the description in double quotes") }
        case .deadline?:
            return keywordStatement(WorkflowMember.deadline) { p in p.expectDuration("a duration such as 30bd") }
        case .calendar?:
            return parseCalendar()
        case .param?:
            return parseParam()
        case .owner?:
            return parseOwner()
        case .stage?, .gate?:
            return parseNode()
        default:
            let word = text(current)
            let suggestion = didYouMean(word, in: Parser.workflowStatements)
            let help: String
            switch word {
            case "hours": help = "working hours go in the calendar or an owner, as in calendar { hours 09:00-17:00 }"
            case "wait", "chance": help = "'\(word)' belongs in a stage or gate"
            default:
                help = suggestion ?? "a workflow holds description, deadline, calendar, param, owner, stage and gate"
            }
            error("unknown declaration '\(word)' in a workflow", at: current.range, help: help)
            recoverToStatementEnd()
            return nil
        }
    }

    mutating func parseCalendar() -> WorkflowMember? {
        let keyword = advance()
        var items: [CalendarItem] = []
        let end = parseBlock("calendar") { p in
            if let item = p.parseCalendarItem() { items.append(item) }
        }
        return .calendar(CalendarDecl(items: items, range: SourceRange(keyword.range.start, end)))
    }

    mutating func parseCalendarItem() -> CalendarItem? {
        switch keyword(current) {
        case .workdays?:
            return keywordStatement(CalendarItem.workdays) { p in
                var days: [Identifier] = []
                while p.kind == .identifier {
                    let t = p.advance()
                    days.append(Identifier(name: p.text(t), range: t.range))
                }
                if days.isEmpty {
                    p.expected("weekday names after 'workdays'", help: "write workdays mon tue wed thu fri")
                    return nil
                }
                return days
            }
        case .holiday?:
            return keywordStatement({ (day: (date: DateLiteral, name: StringLiteral?), range) in
                .holiday(day.date, name: day.name, range: range)
            }) { p in
                p.expect(.date, "a date (YYYY-MM-DD) after 'holiday'") { p in
                    let t = p.advance()
                    let date = DateLiteral(text: p.text(t), date: CivilDate.parse(p.text(t)), range: t.range)
                    return (date: date, name: p.kind == .string ? p.parseStringLiteral() : nil)
                }
            }
        case .hours?:
            return keywordStatement(CalendarItem.hours) { p in p.parseHours() }
        default:
            break
        }
        let word = kind == .identifier ? text(current) : ""
        expected("'workdays', 'holiday' or 'hours' in a calendar", help: didYouMean(word, in: ["workdays", "holiday", "hours"]))
        recoverToStatementEnd()
        return nil
    }

    mutating func parseParam() -> WorkflowMember? {
        let keyword = advance()
        guard let name = expectIdentifier("a param name") else { recoverToStatementEnd(); return nil }
        guard kind == .colon else {
            expected("':' and a type after the param name",
                     help: "write param \(name.name): string = \"value\" (types: string, number, bool)")
            recoverToStatementEnd()
            return nil
        }
        advance()
        guard let typeName = expectIdentifier("a type (string, number or bool)") else { recoverToStatementEnd(); return nil }
        let type = ParamType(rawValue: typeName.name)
        if type == nil {
            let suggestion = didYouMean(typeName.name, in: ParamType.allCases.map(\.rawValue))
            report(Diagnostic(rule: "type-mismatch", severity: .error,
                              message: "unknown type '\(typeName.name)'", range: typeName.range,
                              help: suggestion ?? "the types are string, number and bool"))
        }
        guard kind == .equal else {
            expected("'=' and the param's default value",
                     help: "write param \(name.name): \(typeName.name) = VALUE; set another value with --set \(name.name)=VALUE")
            recoverToStatementEnd()
            return nil
        }
        advance()
        guard let value = parseLiteralValue() else { recoverToStatementEnd(); return nil }
        var end = value.range.end
        var shares: ParamShares?
        if kind == .leftBrace {
            let open = current.range.start
            var items: [ParamShare] = []
            end = parseBlock("param") { p in
                if let share = p.parseParamShare() { items.append(share) }
            }
            shares = ParamShares(items: items, range: SourceRange(open, end))
        } else {
            expectStatementEnd()
        }
        return .param(ParamDecl(name: name, typeName: typeName, type: type, value: value,
                                range: SourceRange(keyword.range.start, end), shares: shares))
    }

    /// `VALUE PERCENT` in the block of a param that varies per case.
    mutating func parseParamShare() -> ParamShare? {
        guard let value = parseLiteralValue() else { recoverToStatementEnd(); return nil }
        guard kind == .percent else {
            expected("the share of cases with this value, as a percentage",
                     help: "write one value and its share per line, as in \"EU\" 30%")
            recoverToStatementEnd()
            return nil
        }
        let share = parsePercentLiteral()
        expectStatementEnd()
        return ParamShare(value: value, share: share)
    }

    /// A percentage token as a literal: `20%` has the value 20.
    mutating func parsePercentLiteral() -> PercentLiteral {
        let t = advance()
        return PercentLiteral(value: number(t.range.start, t.range.end - 1), range: t.range)
    }

    /// `HH:MM-HH:MM`, after the `hours` keyword.
    mutating func parseHours() -> HoursLiteral? {
        guard let start = expectTime("the time work starts, as in 09:00") else { return nil }
        guard kind == .dash else {
            expected("'-' and the time work ends", help: "write working hours as hours 09:00-17:00")
            return nil
        }
        advance()
        guard let end = expectTime("the time work ends, as in 17:00") else { return nil }
        return HoursLiteral(start: start, end: end)
    }

    mutating func expectTime(_ what: String) -> TimeOfDayLiteral? {
        guard kind == .time else {
            expected(what, help: kind == .number ? "write times of day as HH:MM" : nil)
            return nil
        }
        let t = advance()
        // The lexer guarantees one or two digits, ':', two digits.
        let b = scanner.b
        var k = t.range.start
        var hour = 0
        while k < t.range.end && b[k] != 0x3A {
            hour = hour * 10 + Int(b[k] - 0x30)
            k += 1
        }
        var minute = 0
        k += 1
        while k < t.range.end {
            minute = minute * 10 + Int(b[k] - 0x30)
            k += 1
        }
        return TimeOfDayLiteral(hour: hour, minute: minute, range: t.range)
    }

    /// A literal value: string, number or `true`/`false`.
    mutating func parseLiteralValue() -> Expr? {
        switch kind {
        case .string: return .string(parseStringLiteral())
        case .number: return .number(parseNumberLiteral())
        case .identifier where isKeyword(.true): return .bool(true, advance().range)
        case .identifier where isKeyword(.false): return .bool(false, advance().range)
        default:
            expected("a value (a string, a number, true or false)")
            return nil
        }
    }

    mutating func parseOwner() -> WorkflowMember? {
        let keyword = advance()
        guard let id = expectIdentifier("an owner ID") else { recoverToStatementEnd(); return nil }
        var title: StringLiteral?
        if kind == .string { title = parseStringLiteral() }
        var items: [OwnerItem] = []
        var end = title?.range.end ?? id.range.end
        var hasBody = false
        if kind == .leftBrace {
            hasBody = true
            end = parseBlock("owner") { p in
                if let item = p.parseOwnerItem() { items.append(item) }
            }
        } else {
            expectStatementEnd()
        }
        return .owner(OwnerDecl(id: id, title: title, items: items, hasBody: hasBody,
                                range: SourceRange(keyword.range.start, end)))
    }

    mutating func parseOwnerItem() -> OwnerItem? {
        switch keyword(current) {
        case .capacity?:
            return keywordStatement(OwnerItem.capacity) { p in
                p.expect(.number, "a whole number after 'capacity'") { p in p.parseNumberLiteral() }
            }
        case .members?:
            return keywordStatement(OwnerItem.members) { p in
                p.parseList { p in p.expectString("a member name in double quotes") }
            }
        case .contact?:
            return keywordStatement(OwnerItem.contact) { p in p.expectString("the contact in double quotes") }
        case .hours?:
            return keywordStatement(OwnerItem.hours) { p in p.parseHours() }
        default:
            break
        }
        let word = kind == .identifier ? text(current) : ""
        expected("'capacity', 'members', 'contact' or 'hours' in an owner",
                 help: didYouMean(word, in: ["capacity", "members", "contact", "hours"]))
        recoverToStatementEnd()
        return nil
    }

    static let stageKeywords: [Keyword] = [.after, .when, .sla, .estimate, .matches, .checklist, .owner, .wait, .chance]
    static let gateKeywords: [Keyword] = [.after, .when, .sla, .estimate, .matches, .checklist, .approvers, .quorum, .reject, .on,
                                          .wait, .chance]
    static let stageStatements = stageKeywords.map(\.rawValue)
    static let gateStatements = gateKeywords.map(\.rawValue)

    /// Whether a statement of a stage (or gate) body may start with `keyword`: the
    /// lists above as a switch, which reads no shared array while parsing.
    static func starts(_ keyword: Keyword?, in nodeKind: NodeKind) -> Bool {
        switch keyword {
        case .after?, .when?, .sla?, .estimate?, .matches?, .checklist?, .wait?, .chance?: return true
        case .owner?: return nodeKind == .stage
        case .approvers?, .quorum?, .reject?, .on?: return nodeKind == .gate
        default: return false
        }
    }

    mutating func parseNode() -> WorkflowMember? {
        let keyword = advance()
        let nodeKind: NodeKind = isKeyword(.gate, keyword) ? .gate : .stage
        guard let id = expectIdentifier(nodeKind == .stage ? "the stage's ID" : "the gate's ID") else { recoverToStatementEnd(); return nil }
        var title: StringLiteral?
        if kind == .string { title = parseStringLiteral() }
        var statements: [NodeStatement] = []
        let end = parseBlock(nodeKind.rawValue) { p in
            if let s = p.parseNodeStatement(nodeKind) { statements.append(s) }
        }
        return .node(NodeDecl(kind: nodeKind, id: id, title: title, statements: statements,
                              range: SourceRange(keyword.range.start, end)))
    }

    mutating func parseNodeStatement(_ nodeKind: NodeKind) -> NodeStatement? {
        guard kind == .identifier else {
            expected("a statement in the \(nodeKind.rawValue)")
            recoverToStatementEnd()
            return nil
        }
        let keywordToken = current
        let statementKeyword = keyword(current)
        if !Parser.starts(statementKeyword, in: nodeKind) {
            let word = text(current)
            let allowed = nodeKind == .stage ? Parser.stageStatements : Parser.gateStatements
            let other = nodeKind == .stage ? Parser.gateStatements : Parser.stageStatements
            if other.contains(word) {
                let hint = nodeKind == .stage
                    ? "'\(word)' belongs in a gate; a stage has one 'owner'"
                    : "'\(word)' belongs in a stage; a gate names its 'approvers'"
                error("'\(word)' is not allowed in a \(nodeKind.rawValue)", at: keywordToken.range, help: hint)
            } else {
                let suggestion = didYouMean(word, in: allowed)
                error("unknown statement '\(word)' in a \(nodeKind.rawValue)", at: keywordToken.range,
                      help: word == "hours" ? "working hours belong to an owner or the calendar, as in owner ID { hours 09:00-17:00 }"
                          : suggestion)
            }
            recoverToStatementEnd()
            return nil
        }
        return keywordStatement(NodeStatement.init) { p in p.parseNodeStatementKind(statementKeyword, keywordToken) }
    }

    /// What follows the keyword of a stage or gate statement.
    mutating func parseNodeStatementKind(_ statementKeyword: Keyword?, _ keywordToken: Token) -> NodeStatementKind? {
        switch statementKeyword {
        case .after?:
            return parseList({ p in p.expectIdentifier("a stage or gate ID") }).map { .after($0) }
        case .when?:
            return parseOr().map { .when($0) }
        case .sla?:
            return expectDuration("a duration such as 5bd").map { .sla($0) }
        case .estimate?:
            return parseEstimate().map { .estimate($0) }
        case .wait?:
            return parseWait().map { .wait($0) }
        case .chance?:
            return expect(.percent, "a percentage after 'chance'",
                          help: "write the share of cases in which the node runs, as in chance 30%") { p in
                .chance(p.parsePercentLiteral())
            }
        case .matches?:
            return parseList({ p in p.expectString("an activity name in double quotes") }).map { .matches($0) }
        case .checklist?:
            return parseChecklist(keywordToken).map { .checklist($0) }
        case .owner?:
            return expectIdentifier("an owner ID").map { .owner($0) }
        case .approvers?:
            return parseList({ p in p.expectIdentifier("an owner ID") }).map { .approvers($0) }
        case .quorum?:
            if isKeyword(.all) { return .quorum(.all(advance().range)) }
            return expect(.number, "a number or 'all' after 'quorum'") { p in .quorum(.count(p.parseNumberLiteral())) }
        case .reject?:
            return expect(.percent, "a percentage after 'reject'",
                          help: "write the chance that a review sends work back as a percentage, as in reject 20%") { p in
                .reject(p.parsePercentLiteral())
            }
        case .on?:
            guard isKeyword(.reject) else {
                expected("'reject' after 'on'", help: "write on reject -> build")
                return nil
            }
            advance()
            guard kind == .arrow else {
                expected("'->' after 'on reject'", help: "write on reject -> build")
                return nil
            }
            advance()
            return expectIdentifier("the ID of the node that reworks").map { .onReject($0) }
        default:
            return nil
        }
    }

    mutating func parseEstimate() -> Estimate? {
        guard let first = expectDuration("a duration such as 2bd") else { return nil }
        guard kind == .dotDot || kind == .duration else {
            expected("'..' or two more durations after the first estimate",
                     help: "write estimate 2bd..5bd (a range) or estimate 2bd 3bd 6bd (optimistic, likely, pessimistic)")
            return nil
        }
        return parseSpread(from: first, "duration")
    }

    /// `wait D`, `wait LOW..HIGH` or `wait OPT LIKELY PESS`, after the keyword.
    mutating func parseWait() -> WaitDuration? {
        guard let first = expectDuration("a duration such as 2d") else { return nil }
        guard kind == .dotDot || kind == .duration else { return .fixed(first) }
        return parseSpread(from: first, "wait").map { .spread($0) }
    }

    /// The rest of `LOW..HIGH` or `OPT LIKELY PESS` after the first duration, from the `..`
    /// or the second duration on.
    mutating func parseSpread(from first: DurationLiteral, _ what: String) -> Estimate? {
        if kind == .dotDot {
            advance()
            return expectDuration("the high end of the range").map { .range(low: first, high: $0) }
        }
        guard let likely = expectDuration("the most likely \(what)"),
              let pessimistic = expectDuration("the pessimistic \(what)") else { return nil }
        return .pert(optimistic: first, likely: likely, pessimistic: pessimistic)
    }

    mutating func parseChecklist(_ keyword: Token) -> Checklist? {
        var items: [ChecklistItem] = []
        let end = parseBlock("checklist") { p in
            guard let text = p.expectString("a checklist item in double quotes") else {
                p.recoverToStatementEnd()
                return
            }
            var by: Identifier?
            if p.isKeyword(.by) {
                p.advance()
                guard let owner = p.expectIdentifier("an owner ID after 'by'") else {
                    p.recoverToStatementEnd()
                    return
                }
                by = owner
            }
            items.append(ChecklistItem(text: text, by: by))
            p.expectStatementEnd()
        }
        return Checklist(items: items, range: SourceRange(keyword.range.start, end))
    }

    // MARK: - Expressions

    mutating func enter() -> Bool {
        depth += 1
        if depth > Parser.maxExpressionDepth {
            error("condition nested too deeply (more than \(Parser.maxExpressionDepth) levels)", at: current.range,
                  help: "split the condition or remove redundant parentheses")
            return false
        }
        return true
    }

    /// A condition: `or` < `and` < `not` < comparison < primary.
    mutating func parseOr() -> Expr? {
        guard enter() else { depth -= 1; return nil }
        defer { depth -= 1 }
        guard let first = parseAnd() else { return nil }
        var terms = [first]
        while isKeyword(.or) {
            advance()
            skipLineBreaksInExpression()
            guard let rhs = parseAnd() else { return nil }
            terms.append(rhs)
        }
        return Parser.balanced(.or, terms[...])
    }

    mutating func parseAnd() -> Expr? {
        guard let first = parseNot() else { return nil }
        var terms = [first]
        while isKeyword(.and) {
            advance()
            skipLineBreaksInExpression()
            guard let rhs = parseNot() else { return nil }
            terms.append(rhs)
        }
        return Parser.balanced(.and, terms[...])
    }

    /// A run of terms joined by one operator (`a or b or c …`) as a balanced tree, so that
    /// the tree is about log2(terms) deep however long the chain: building, evaluating,
    /// formatting, comparing and freeing it then never recurse deeply. `and` and `or` are
    /// associative and conditions have no side effects, so the grouping does not change
    /// what a condition means; `fmt` writes the run back as one flat chain, which parses
    /// to the same tree.
    static func balanced(_ op: BinaryOperator, _ terms: ArraySlice<Expr>) -> Expr {
        if terms.count == 1 { return terms[terms.startIndex] }
        let middle = terms.startIndex + (terms.count + 1) / 2
        let lhs = balanced(op, terms[..<middle])
        let rhs = balanced(op, terms[middle...])
        return .binary(op, lhs, rhs, lhs.range.union(rhs.range))
    }

    mutating func parseNot() -> Expr? {
        if isKeyword(.not) {
            let t = advance()
            guard enter() else { depth -= 1; return nil }
            defer { depth -= 1 }
            guard let operand = parseNot() else { return nil }
            return .not(operand, t.range.union(operand.range))
        }
        return parseComparison()
    }

    /// Inside parentheses or brackets a line break does not end the statement.
    mutating func skipLineBreaksInExpression() {
        if openGroups > 0 { while kind == .newline { advance() } }
    }

    var openGroups = 0

    static func comparisonOperator(_ kind: TokenKind) -> BinaryOperator? {
        switch kind {
        case .equalEqual: return .equal
        case .bangEqual: return .notEqual
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        default: return nil
        }
    }

    mutating func parseComparison() -> Expr? {
        guard let lhs = parsePrimary() else { return nil }
        if kind == .equal {
            // `region = "EU"`: one error that says what was meant, then read on as `==` so
            // that nothing else is reported about the same slip.
            let eq = advance()
            skipLineBreaksInExpression()
            let rhs = parsePrimary()
            let sides = [source.text(of: lhs.range), rhs.map { source.text(of: $0.range) } ?? "…"]
            let example = sides.allSatisfy { $0.count <= 40 && !$0.contains("\n") } ? sides.joined(separator: " == ") : "a == b"
            error("'=' does not compare values; a condition tests equality with '=='", at: eq.range,
                  help: "write \(example)")
            guard let rhs else { return nil }
            return .binary(.equal, lhs, rhs, lhs.range.union(rhs.range))
        }
        if let op = Parser.comparisonOperator(kind) {
            advance()
            skipLineBreaksInExpression()
            guard let rhs = parsePrimary() else { return nil }
            let result = Expr.binary(op, lhs, rhs, lhs.range.union(rhs.range))
            if Parser.comparisonOperator(kind) != nil || isKeyword(.in) {
                error("comparisons cannot be chained", at: current.range,
                      help: "combine two comparisons with 'and'")
                return nil
            }
            return result
        }
        if isKeyword(.in) {
            advance()
            guard kind == .leftBracket else {
                expected("'[' after 'in'", help: "write region in [\"EU\", \"UK\"]")
                return nil
            }
            advance()
            openGroups += 1
            defer { openGroups -= 1 }
            while kind == .newline { advance() }
            var values: [Expr] = []
            while kind != .rightBracket {
                guard let v = parsePrimary() else { return nil }
                values.append(v)
                while kind == .newline { advance() }
                if kind == .comma {
                    advance()
                    while kind == .newline { advance() }
                } else if kind != .rightBracket {
                    expected("',' or ']' in the list")
                    return nil
                }
            }
            let close = advance()
            return .isIn(lhs, values, lhs.range.union(close.range))
        }
        return lhs
    }

    mutating func parsePrimary() -> Expr? {
        switch kind {
        case .string:
            return .string(parseStringLiteral())
        case .number:
            return .number(parseNumberLiteral())
        case .identifier:
            if isKeyword(.true) { return .bool(true, advance().range) }
            if isKeyword(.false) { return .bool(false, advance().range) }
            if isKeyword(.and) || isKeyword(.or) || isKeyword(.in) {
                error("expected a value before '\(text(current))'", at: current.range)
                return nil
            }
            let t = advance()
            return .name(Identifier(name: text(t), range: t.range))
        case .leftParen:
            let open = advance()
            guard enter() else { depth -= 1; return nil }
            defer { depth -= 1 }
            openGroups += 1
            while kind == .newline { advance() }
            let inner = parseOr()
            while kind == .newline { advance() }
            openGroups -= 1
            guard let inner else { return nil }
            guard kind == .rightParen else {
                expected("')' to close the '(' at column \(source.location(of: open.range.start).column)")
                return nil
            }
            let close = advance()
            return .paren(inner, open.range.union(close.range))
        case .duration, .percent, .date:
            error("\(kind.displayName)s cannot appear in a condition", at: current.range,
                  help: "conditions compare params with strings, numbers and true/false")
            return nil
        default:
            expected("a condition")
            return nil
        }
    }
}

/// "did you mean 'X'?" for the candidate closest to a misspelt `name` (`closestName`), or nil
/// when none is close. The language server's quick fix reads this wording.
public func didYouMean(_ name: String, in candidates: [String], prefix: String = "") -> String? {
    closestName(to: name, in: candidates).map { "did you mean '\(prefix)\($0)'?" }
}

/// The candidate closest to `name` by edit distance, when it is close enough to be a
/// plausible typo (at most a third of the longer name, and at most 3 edits).
public func closestName(to name: String, in candidates: [String]) -> String? {
    guard !name.isEmpty else { return nil }
    var best: (String, Int)?
    let a = Array(name.lowercased().unicodeScalars)
    for c in candidates where c != name {
        let d = editDistance(a, Array(c.lowercased().unicodeScalars))
        let limit = min(3, max(1, max(a.count, c.unicodeScalars.count) / 3))
        if d <= limit && d < (best?.1 ?? Int.max) { best = (c, d) }
    }
    return best?.0
}

/// Levenshtein distance between two scalar arrays.
func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var row = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        row[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &row)
    }
    return previous[b.count]
}
