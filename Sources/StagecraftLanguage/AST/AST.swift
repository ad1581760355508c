import StagecraftSyntax

/// The syntax tree of a `.flow` file.
///
/// Every node carries its byte range. The tree keeps statements in source order, so
/// the formatter can reproduce them; `Semantics/` builds the resolved model from it.

/// A name written in the source: a node, owner or param ID, or a keyword-like word.
public struct Identifier: Hashable, Sendable {
    public var name: String
    public var range: SourceRange

    public init(name: String, range: SourceRange) {
        self.name = name
        self.range = range
    }
}

/// A string literal with its escapes decoded.
public struct StringLiteral: Hashable, Sendable {
    public var value: String
    public var range: SourceRange
}

/// A plain number such as `3` or `2.5`.
public struct NumberLiteral: Hashable, Sendable {
    public var value: Double
    public var range: SourceRange
}

/// A duration such as `5bd` or `30m`.
public struct DurationLiteral: Hashable, Sendable {
    public var value: Duration
    public var range: SourceRange
}

/// A percentage such as `20%`; `value` is the number written (20, not 0.2).
public struct PercentLiteral: Hashable, Sendable {
    public var value: Double
    public var range: SourceRange
}

/// A calendar date such as `2026-12-25`; `date` is nil when it names no real day.
public struct DateLiteral: Hashable, Sendable {
    public var text: String
    public var date: CivilDate?
    public var range: SourceRange
}

/// A time of day such as `09:00`, as written (`hour` and `minute` are not checked).
public struct TimeOfDayLiteral: Hashable, Sendable {
    public var hour: Int
    public var minute: Int
    public var range: SourceRange

    /// Minutes after midnight, or nil when the time does not exist (`25:00`, `09:75`).
    /// `24:00` is the end of the day: 1440.
    public var minutes: Int? {
        guard hour >= 0, minute >= 0, minute < 60, hour < 24 || (hour == 24 && minute == 0) else { return nil }
        return hour * 60 + minute
    }

    /// The canonical spelling, two digits each: `09:00`.
    public var description: String {
        (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }
}

/// `HH:MM-HH:MM`: the working hours of `hours` in a calendar or an owner.
public struct HoursLiteral: Hashable, Sendable {
    public var start: TimeOfDayLiteral
    public var end: TimeOfDayLiteral

    public var range: SourceRange { start.range.union(end.range) }

    /// The hours, when both times exist and the start is before the end.
    public var workingHours: WorkingHours? {
        guard let a = start.minutes, let b = end.minutes, a < b else { return nil }
        return WorkingHours(start: a, end: b)
    }

    /// The canonical spelling: `09:00-17:00`.
    public var description: String { start.description + "-" + end.description }
}

/// A parsed file: at most one workflow.
public struct FlowFile: Hashable, Sendable {
    public var workflow: Workflow?
    public var range: SourceRange

    /// The memberwise initializer, declared so that the other targets can call it.
    package init(workflow: Workflow?, range: SourceRange) {
        self.workflow = workflow
        self.range = range
    }
}

/// `workflow "Title" { … }`.
public struct Workflow: Hashable, Sendable {
    public var title: StringLiteral?
    public var members: [WorkflowMember]
    public var range: SourceRange
    /// The range of the `workflow` keyword.
    public var keywordRange: SourceRange
}

/// A statement directly inside a workflow.
public enum WorkflowMember: Hashable, Sendable {
    case description(StringLiteral, range: SourceRange)
    case deadline(DurationLiteral, range: SourceRange)
    case calendar(CalendarDecl)
    case param(ParamDecl)
    case owner(OwnerDecl)
    case node(NodeDecl)

    /// The ID of a stage or gate declaration; nil for other members.
    @inlinable public var nodeID: Identifier? {
        if case .node(let n) = self { return n.id }
        return nil
    }

    public var range: SourceRange {
        switch self {
        case .description(_, let r), .deadline(_, let r): return r
        case .calendar(let c): return c.range
        case .param(let p): return p.range
        case .owner(let o): return o.range
        case .node(let n): return n.range
        }
    }
}

/// `calendar { workdays …; holiday DATE ["name"] … }`.
public struct CalendarDecl: Hashable, Sendable {
    public var items: [CalendarItem]
    public var range: SourceRange
}

/// A statement inside a calendar block.
public enum CalendarItem: Hashable, Sendable {
    case workdays([Identifier], range: SourceRange)
    case holiday(DateLiteral, name: StringLiteral?, range: SourceRange)
    /// `hours HH:MM-HH:MM`: the working hours of every owner without its own.
    case hours(HoursLiteral, range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .workdays(_, let r), .holiday(_, _, let r), .hours(_, let r): return r
        }
    }
}

/// The type named in a param declaration.
public enum ParamType: String, Hashable, Sendable, CaseIterable {
    case string, number, bool

    /// What a value of this type looks like, for messages about one that is not.
    public var expected: String {
        switch self {
        case .bool: return "true or false"
        case .number: return "a number such as 3 or 2.5"
        case .string: return "a string"
        }
    }
}

/// `param NAME: TYPE = VALUE [{ VALUE PERCENT … }]`.
public struct ParamDecl: Hashable, Sendable {
    public var name: Identifier
    /// The type as written; `type` is nil when the name is not a known type.
    public var typeName: Identifier
    public var type: ParamType?
    /// The default value, a literal expression.
    public var value: Expr
    public var range: SourceRange
    /// The shares of a param that varies per case, when it has a `{ … }` block.
    public var shares: ParamShares? = nil
}

/// The `{ VALUE PERCENT … }` block of a param that varies per case.
public struct ParamShares: Hashable, Sendable {
    public var items: [ParamShare]
    /// From `{` to `}`.
    public var range: SourceRange
}

/// One `VALUE PERCENT` line: in this share of cases the param has this value.
public struct ParamShare: Hashable, Sendable {
    /// A literal expression.
    public var value: Expr
    public var share: PercentLiteral

    public var range: SourceRange { value.range.union(share.range) }
}

/// `owner ID ["Title"] [{ … }]`.
public struct OwnerDecl: Hashable, Sendable {
    public var id: Identifier
    public var title: StringLiteral?
    public var items: [OwnerItem]
    /// Whether the declaration has a `{ … }` body (even an empty one).
    public var hasBody: Bool
    public var range: SourceRange
}

/// A statement inside an owner body.
public enum OwnerItem: Hashable, Sendable {
    case capacity(NumberLiteral, range: SourceRange)
    case members([StringLiteral], range: SourceRange)
    case contact(StringLiteral, range: SourceRange)
    /// `hours HH:MM-HH:MM`: the owner's working hours, overriding the calendar's.
    case hours(HoursLiteral, range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .capacity(_, let r), .members(_, let r), .contact(_, let r), .hours(_, let r): return r
        }
    }
}

/// Stage or gate.
public enum NodeKind: String, Hashable, Sendable {
    case stage, gate
}

/// `stage ID ["Title"] { … }` or `gate ID ["Title"] { … }`.
public struct NodeDecl: Hashable, Sendable {
    public var kind: NodeKind
    public var id: Identifier
    public var title: StringLiteral?
    public var statements: [NodeStatement]
    public var range: SourceRange

    /// The range of the `stage` or `gate` keyword the declaration starts with (worked
    /// out from the kind, like a statement's).
    public var keywordRange: SourceRange {
        SourceRange(range.start, range.start + kind.rawValue.utf8.count)
    }
}

/// A statement in a stage or gate body, with the range of the whole statement.
public struct NodeStatement: Hashable, Sendable {
    public var kind: NodeStatementKind
    public var range: SourceRange

    /// The range of the leading keyword (`after`, `sla`, …; the `on` of `on reject`),
    /// worked out from the kind rather than stored.
    public var keywordRange: SourceRange {
        let length: Int
        if case .onReject = kind { length = 2 } else { length = kind.keyword.utf8.count }
        return SourceRange(range.start, range.start + length)
    }
}

/// The statements of stage and gate bodies.
public enum NodeStatementKind: Hashable, Sendable {
    case after([Identifier])
    case when(Expr)
    case sla(DurationLiteral)
    /// Boxed: the estimate is the largest payload, and every statement would pay for it.
    indirect case estimate(Estimate)
    /// Boxed like the estimate.
    indirect case wait(WaitDuration)
    case chance(PercentLiteral)
    case matches([StringLiteral])
    case checklist(Checklist)
    case owner(Identifier)
    case approvers([Identifier])
    case quorum(Quorum)
    case reject(PercentLiteral)
    case onReject(Identifier)

    /// The keyword that introduces the statement.
    public var keyword: String {
        switch self {
        case .after: return "after"
        case .when: return "when"
        case .sla: return "sla"
        case .estimate: return "estimate"
        case .wait: return "wait"
        case .chance: return "chance"
        case .matches: return "matches"
        case .checklist: return "checklist"
        case .owner: return "owner"
        case .approvers: return "approvers"
        case .quorum: return "quorum"
        case .reject: return "reject"
        case .onReject: return "on reject"
        }
    }
}

/// `estimate LOW..HIGH` (uniform) or `estimate OPT LIKELY PESS` (PERT).
public enum Estimate: Hashable, Sendable {
    case range(low: DurationLiteral, high: DurationLiteral)
    case pert(optimistic: DurationLiteral, likely: DurationLiteral, pessimistic: DurationLiteral)

    /// The highest value the estimate allows.
    public var high: DurationLiteral {
        switch self {
        case .range(_, let h): return h
        case .pert(_, _, let p): return p
        }
    }
}

/// `wait DURATION`, `wait LOW..HIGH` or `wait OPT LIKELY PESS`: the hand-off delay
/// between a node being ready and its work starting, during which the owner is free.
public enum WaitDuration: Hashable, Sendable, CustomStringConvertible {
    /// Always exactly this long.
    case fixed(DurationLiteral)
    /// Drawn like an estimate: uniform over a range, or PERT.
    case spread(Estimate)

    /// The canonical spelling after `wait`: `2d`, `2d..5d` or `1d 2d 6d`.
    public var description: String {
        switch self {
        case .fixed(let d): return d.value.description
        case .spread(.range(let l, let h)): return l.value.description + ".." + h.value.description
        case .spread(.pert(let o, let m, let p)):
            return o.value.description + " " + m.value.description + " " + p.value.description
        }
    }
}

/// `quorum N` or `quorum all`.
public enum Quorum: Hashable, Sendable {
    case count(NumberLiteral)
    case all(SourceRange)
}

/// `checklist { "item" [by OWNER] … }`.
public struct Checklist: Hashable, Sendable {
    public var items: [ChecklistItem]
    public var range: SourceRange
}

/// One checklist line.
public struct ChecklistItem: Hashable, Sendable {
    public var text: StringLiteral
    public var by: Identifier?

    /// From the text to the owner, if one is named. Worked out rather than stored, as a
    /// big workflow has a checklist item for every few lines.
    public var range: SourceRange {
        SourceRange(text.range.start, by?.range.end ?? text.range.end)
    }
}

/// The binary operators of `when` expressions.
public enum BinaryOperator: String, Hashable, Sendable {
    case or, and
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
}

/// A `when` condition.
public indirect enum Expr: Hashable, Sendable {
    case string(StringLiteral)
    case number(NumberLiteral)
    case bool(Bool, SourceRange)
    case name(Identifier)
    case paren(Expr, SourceRange)
    case not(Expr, SourceRange)
    case binary(BinaryOperator, Expr, Expr, SourceRange)
    case isIn(Expr, [Expr], SourceRange)
    /// Stands in for an expression that did not parse.
    case invalid(SourceRange)

    public var range: SourceRange {
        switch self {
        case .string(let s): return s.range
        case .number(let n): return n.range
        case .bool(_, let r), .paren(_, let r), .not(_, let r), .binary(_, _, _, let r),
             .isIn(_, _, let r), .invalid(let r):
            return r
        case .name(let i): return i.range
        }
    }
}

extension Expr {
    /// A left-nested chain of binary operators, `a or b or c`, unrolled in a loop because
    /// it can be arbitrarily long: the leftmost operand, then each operator with its right
    /// operand, innermost first. For any other expression, itself and no links.
    public var binaryChain: (leftmost: Expr, links: [(op: BinaryOperator, rhs: Expr)]) {
        var links: [(op: BinaryOperator, rhs: Expr)] = []
        var leftmost = self
        while case .binary(let op, let lhs, let rhs, _) = leftmost {
            links.append((op, rhs))
            leftmost = lhs
        }
        return (leftmost, links.reversed())
    }
}

extension NodeDecl {
    /// The first of the statements' payloads that `pick` finds. It reads `statements[k]`
    /// in place instead of iterating copies: a copied statement retains its payload.
    func first<T>(_ pick: (NodeStatementKind) -> T?) -> T? {
        for k in statements.indices {
            if let value = pick(statements[k].kind) { return value }
        }
        return nil
    }

    /// Every list payload that `pick` finds, in order.
    func all<T>(_ pick: (NodeStatementKind) -> [T]?) -> [T] {
        var out: [T] = []
        for k in statements.indices {
            if let values = pick(statements[k].kind) { out += values }
        }
        return out
    }

    public var after: [Identifier] { all { if case .after(let l) = $0 { l } else { nil } } }
    public var condition: Expr? { first { if case .when(let e) = $0 { e } else { nil } } }
    public var sla: DurationLiteral? { first { if case .sla(let d) = $0 { d } else { nil } } }
    public var estimate: Estimate? { first { if case .estimate(let e) = $0 { e } else { nil } } }
    public var matches: [StringLiteral] { all { if case .matches(let l) = $0 { l } else { nil } } }
    public var checklists: [Checklist] { all { if case .checklist(let c) = $0 { [c] } else { nil } } }
    public var owner: Identifier? { first { if case .owner(let o) = $0 { o } else { nil } } }
    public var approvers: [Identifier] { all { if case .approvers(let l) = $0 { l } else { nil } } }
    public var quorum: Quorum? { first { if case .quorum(let q) = $0 { q } else { nil } } }
    public var reject: PercentLiteral? { first { if case .reject(let p) = $0 { p } else { nil } } }
    public var onReject: Identifier? { first { if case .onReject(let t) = $0 { t } else { nil } } }
    /// The first `wait`.
    public var wait: WaitDuration? { first { if case .wait(let w) = $0 { w } else { nil } } }
    /// The first `chance`.
    public var chance: PercentLiteral? { first { if case .chance(let p) = $0 { p } else { nil } } }
}

extension Workflow {
    public var nodes: [NodeDecl] { members.compactMap { if case .node(let n) = $0 { return n } else { return nil } } }
    public var owners: [OwnerDecl] { members.compactMap { if case .owner(let o) = $0 { return o } else { return nil } } }
    public var params: [ParamDecl] { members.compactMap { if case .param(let p) = $0 { return p } else { return nil } } }
    public var calendars: [CalendarDecl] { members.compactMap { if case .calendar(let c) = $0 { return c } else { return nil } } }
    public var deadline: DurationLiteral? {
        for m in members { if case .deadline(let d, _) = m { return d } }
        return nil
    }
    public var descriptionText: StringLiteral? {
        for m in members { if case .description(let d, _) = m { return d } }
        return nil
    }
}

extension OwnerDecl {
    public var capacity: NumberLiteral? {
        for i in items { if case .capacity(let c, _) = i { return c } }
        return nil
    }
    public var members: [StringLiteral] {
        items.flatMap { if case .members(let m, _) = $0 { return m } else { return [] } }
    }
    public var contact: StringLiteral? {
        for i in items { if case .contact(let c, _) = i { return c } }
        return nil
    }
    /// The first `hours`.
    public var hours: HoursLiteral? {
        for i in items { if case .hours(let h, _) = i { return h } }
        return nil
    }
}
