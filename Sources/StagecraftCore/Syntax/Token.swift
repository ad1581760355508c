/// The kind of a lexical token.
public enum TokenKind: UInt8, Sendable, CaseIterable {
    case identifier
    case string
    case number
    case percent
    case duration
    case date
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
    case `true`, `false`, not, and, or, `in`
    case mon, tue, wed, thu, fri, sat, sun

    /// The keywords by length of spelling, as bytes, for `spelled(_:_:_:)`.
    private static let byLength: [[(bytes: [UInt8], keyword: Keyword)]] = {
        var table = [[(bytes: [UInt8], keyword: Keyword)]](repeating: [], count: 1 + (allCases.map { $0.rawValue.utf8.count }.max() ?? 0))
        for k in allCases { table[k.rawValue.utf8.count].append((Array(k.rawValue.utf8), k)) }
        return table
    }()

    /// The keyword spelled by the bytes `start..<end`, if any, without making a string.
    public static func spelled(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Keyword? {
        let length = end - start
        guard length > 0 && length < byLength.count && end <= bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { b in
            candidates: for (spelling, keyword) in byLength[length] {
                for k in 0..<length where b[start + k] != spelling[k] { continue candidates }
                return keyword
            }
            return nil
        }
    }
}
