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

    /// The keyword spelled by the bytes `start..<end`, if any. The parser asks this of
    /// every identifier: it compares bytes with the keywords of the same first letter and
    /// makes no string.
    package static func spelled(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Keyword? {
        guard start >= 0, start < end, end <= b.count, b[start] < 128 else { return nil }
        for (keyword, word) in byFirstByte[Int(b[start])] where word.count == end - start {
            if word.indices.allSatisfy({ b[start + $0] == word[$0] }) { return keyword }
        }
        return nil
    }

    /// Each keyword with its spelling in bytes, under its first byte.
    private static let byFirstByte: [[(Keyword, [UInt8])]] = {
        var table = [[(Keyword, [UInt8])]](repeating: [], count: 128)
        for keyword in allCases {
            let word = Array(keyword.rawValue.utf8)
            table[Int(word[0])].append((keyword, word))
        }
        return table
    }()
}
