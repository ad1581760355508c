/// The kind of a lexical token.
public enum TokenKind: UInt8, Sendable, CaseIterable {
    case identifier
    case string
    case number
    case percent
    case duration
    case date
    /// A time of day such as `09:00` (in `hours`).
    case time
    case leftBrace
    case rightBrace
    case leftParen
    case rightParen
    case leftBracket
    case rightBracket
    case comma
    case semicolon
    case colon
    case equal
    case arrow
    /// The `-` between the two times of `hours 09:00-17:00`.
    case dash
    case dotDot
    case equalEqual
    case bangEqual
    case less
    case lessEqual
    case greater
    case greaterEqual
    case newline
    case comment
    case invalid
    case endOfFile

    /// The fixed spelling of punctuation and operator tokens; nil for tokens with a payload.
    public var spelling: String? {
        switch self {
        case .leftBrace: return "{"
        case .rightBrace: return "}"
        case .leftParen: return "("
        case .rightParen: return ")"
        case .leftBracket: return "["
        case .rightBracket: return "]"
        case .comma: return ","
        case .semicolon: return ";"
        case .colon: return ":"
        case .equal: return "="
        case .arrow: return "->"
        case .dash: return "-"
        case .dotDot: return ".."
        case .equalEqual: return "=="
        case .bangEqual: return "!="
        case .less: return "<"
        case .lessEqual: return "<="
        case .greater: return ">"
        case .greaterEqual: return ">="
        default: return nil
        }
    }

    /// How the token kind is named in diagnostics.
    public var displayName: String {
        if let s = spelling { return "'\(s)'" }
        switch self {
        case .identifier: return "identifier"
        case .string: return "string"
        case .number: return "number"
        case .percent: return "percentage"
        case .duration: return "duration"
        case .date: return "date"
        case .time: return "time of day"
        case .newline: return "end of line"
        case .comment: return "comment"
        case .invalid: return "invalid token"
        case .endOfFile: return "end of file"
        default: return "token"
        }
    }
}

/// A token: its kind and byte range. Its text is read from the `SourceFile` on demand.
public struct Token: Hashable, Sendable {
    public var kind: TokenKind
    public var range: SourceRange

    public init(_ kind: TokenKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// The words the parser treats as keywords where a keyword is expected.
///
/// Keywords are not reserved elsewhere: an owner may be called `review` or even `stage`.
public enum Keyword: String, CaseIterable, Sendable {
    case workflow, description, deadline, calendar, workdays, holiday, param
    case string, number, bool
    case owner, capacity, members, contact
    case stage, gate
    case after, when, sla, estimate, matches, checklist, by
    case approvers, quorum, all, reject, on
    case wait, chance, hours
    case `true`, `false`, not, and, or, `in`
    case mon, tue, wed, thu, fri, sat, sun

    /// The keyword spelled by the bytes `start..<end`, if any, without making a string.
    public static func spelled(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Keyword? {
        bytes.withUnsafeBufferPointer { spelled($0, start, end) }
    }

    /// The keyword spelled by the bytes `start..<end`, if any.
    ///
    /// A switch on the first byte, then a comparison with static text: the parser asks
    /// this of every identifier, and no string is made for it.
    package static func spelled(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Keyword? {
        guard start >= 0, start < end, end <= b.count else { return nil }
        /// Whether the bytes after the first spell the rest of `word`.
        func rest(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard n == end - start else { return false }
            let w = word.utf8Start
            var k = 1
            while k < n {
                if b[start + k] != w[k] { return false }
                k += 1
            }
            return true
        }
        switch b[start] {
        case UInt8(ascii: "a"):
            if rest("after") { return .after }
            if rest("approvers") { return .approvers }
            if rest("all") { return .all }
            if rest("and") { return .and }
            return nil
        case UInt8(ascii: "b"):
            if rest("bool") { return .bool }
            if rest("by") { return .by }
            return nil
        case UInt8(ascii: "c"):
            if rest("calendar") { return .calendar }
            if rest("capacity") { return .capacity }
            if rest("contact") { return .contact }
            if rest("checklist") { return .checklist }
            if rest("chance") { return .chance }
            return nil
        case UInt8(ascii: "d"):
            if rest("description") { return .description }
            if rest("deadline") { return .deadline }
            return nil
        case UInt8(ascii: "e"):
            if rest("estimate") { return .estimate }
            return nil
        case UInt8(ascii: "f"):
            if rest("false") { return .`false` }
            if rest("fri") { return .fri }
            return nil
        case UInt8(ascii: "g"):
            if rest("gate") { return .gate }
            return nil
        case UInt8(ascii: "h"):
            if rest("holiday") { return .holiday }
            if rest("hours") { return .hours }
            return nil
        case UInt8(ascii: "i"):
            if rest("in") { return .`in` }
            return nil
        case UInt8(ascii: "m"):
            if rest("members") { return .members }
            if rest("matches") { return .matches }
            if rest("mon") { return .mon }
            return nil
        case UInt8(ascii: "n"):
            if rest("number") { return .number }
            if rest("not") { return .not }
            return nil
        case UInt8(ascii: "o"):
            if rest("owner") { return .owner }
            if rest("on") { return .on }
            if rest("or") { return .or }
            return nil
        case UInt8(ascii: "p"):
            if rest("param") { return .param }
            return nil
        case UInt8(ascii: "q"):
            if rest("quorum") { return .quorum }
            return nil
        case UInt8(ascii: "r"):
            if rest("reject") { return .reject }
            return nil
        case UInt8(ascii: "s"):
            if rest("string") { return .string }
            if rest("stage") { return .stage }
            if rest("sla") { return .sla }
            if rest("sat") { return .sat }
            if rest("sun") { return .sun }
            return nil
        case UInt8(ascii: "t"):
            if rest("true") { return .`true` }
            if rest("tue") { return .tue }
            if rest("thu") { return .thu }
            return nil
        case UInt8(ascii: "w"):
            if rest("workflow") { return .workflow }
            if rest("workdays") { return .workdays }
            if rest("when") { return .when }
            if rest("wed") { return .wed }
            if rest("wait") { return .wait }
            return nil
        default:
            return nil
        }
    }
}
