/// The tokens of one file, with its comments kept aside as trivia.
public struct LexedFile: Sendable {
    /// Every token except comments, ending with `.endOfFile`.
    public var tokens: [Token]
    /// Every comment (`#` to the end of the line, without the line end), in order.
    public var comments: [Token]
    /// Lexical problems: invalid UTF-8, stray bytes, unterminated strings, bad escapes.
    public var diagnostics: [Diagnostic]
}

/// Turns the bytes of a `.flow` file into tokens.
///
/// The lexer never throws and never stops early: bad input becomes an `.invalid` token
/// plus a diagnostic, and every step consumes at least one byte.
public enum Lexer {
    /// Lexes a whole file.
    public static func lex(_ file: SourceFile) -> LexedFile {
        file.bytes.withUnsafeBufferPointer { buffer in
            var state = State(bytes: buffer)
            var tokens: [Token] = []
            tokens.reserveCapacity(buffer.count / 4)
            while true {
                let t = state.next()
                tokens.append(t)
                if t.kind == .endOfFile { break }
            }
            return LexedFile(tokens: tokens, comments: state.comments, diagnostics: state.diagnostics)
        }
    }

    /// The length of the valid UTF-8 sequence starting at `i`, or 0 when the bytes there
    /// are not valid UTF-8 (overlong forms, surrogates and values above U+10FFFF included).
    static func utf8SequenceLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let n = b.count
        let c0 = b[i]
        if c0 < 0x80 { return 1 }
        func cont(_ k: Int) -> Bool { k < n && b[k] & 0xC0 == 0x80 }
        switch c0 {
        case 0xC2...0xDF:
            return cont(i + 1) ? 2 : 0
        case 0xE0...0xEF:
            guard cont(i + 1), cont(i + 2) else { return 0 }
            let c1 = b[i + 1]
            if c0 == 0xE0 && c1 < 0xA0 { return 0 }  // overlong
            if c0 == 0xED && c1 > 0x9F { return 0 }  // surrogates
            return 3
        case 0xF0...0xF4:
            guard cont(i + 1), cont(i + 2), cont(i + 3) else { return 0 }
            let c1 = b[i + 1]
            if c0 == 0xF0 && c1 < 0x90 { return 0 }
            if c0 == 0xF4 && c1 > 0x8F { return 0 }
            return 4
        default:
            return 0
        }
    }

    package static func isIdentifierStart(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F
    }

    package static func isIdentifierContinue(_ c: UInt8) -> Bool {
        isIdentifierStart(c) || isDigit(c)
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// Whether a time of day starts at `k`, after any blanks.
    static func startsTime(_ b: UnsafeBufferPointer<UInt8>, after k: Int) -> Bool {
        var j = k
        while j < b.count && (b[j] == 0x20 || b[j] == 0x09) { j += 1 }
        return timeLength(b, j) > 0
    }

    /// The length of the time of day (`9:00`, `17:30`: one or two digits, ':', two
    /// digits) starting at `k`, or 0 when none starts there.
    static func timeLength(_ b: UnsafeBufferPointer<UInt8>, _ k: Int) -> Int {
        var j = k
        while j < b.count && j - k < 3 && isDigit(b[j]) { j += 1 }
        let digits = j - k
        guard digits == 1 || digits == 2, j + 2 < b.count, b[j] == 0x3A,
              isDigit(b[j + 1]), isDigit(b[j + 2]) else { return 0 }
        return digits + 3
    }

    /// The lexer's position in a file: `next()` gives one token at a time, so the parser
    /// can pull tokens as it goes instead of holding an array of them all.
    ///
    /// Comments and diagnostics collect as the tokens are taken. The buffer must outlive
    /// the state.
    package struct State {
        package let b: UnsafeBufferPointer<UInt8>
        var i = 0
        /// The token `lexOther` made, if it made one (a comment makes none).
        var produced: Token?
        package var comments: [Token] = []
        package var diagnostics: [Diagnostic] = []

        package init(bytes: UnsafeBufferPointer<UInt8>) {
            self.b = bytes
            if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { i = 3 }
        }

        mutating func add(_ kind: TokenKind, _ start: Int) {
            produced = Token(kind, SourceRange(start, i))
        }

        mutating func error(_ message: String, _ start: Int, _ end: Int, help: String? = nil, rule: String = "syntax") {
            diagnostics.append(Diagnostic(rule: rule, severity: .error, message: message,
                                          range: SourceRange(start, end), help: help))
        }

        /// The next token; `.endOfFile` at the end, and again on every later call.
        package mutating func next() -> Token {
            let n = b.count
            while i < n {
                // The commonest bytes first, as plain branches: identifiers, blanks (a run
                // at once; indentation is most of them) and line feeds are most of a file,
                // and a jump table over every byte mispredicts. `lexOther` takes the rest.
                let c = b[i]
                let start = i
                if Lexer.isIdentifierStart(c) {
                    i += 1
                    while i < n && Lexer.isIdentifierContinue(b[i]) { i += 1 }
                    return Token(.identifier, SourceRange(start, i))
                }
                if c == 0x20 || c == 0x09 {
                    i += 1
                    while i < n && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
                    continue
                }
                if c == 0x0A {
                    i += 1
                    return Token(.newline, SourceRange(start, i))
                }
                lexOther()
                if let t = produced {
                    produced = nil
                    return t
                }
            }
            return Token(.endOfFile, SourceRange(n, n))
        }

        /// Consumes at least one byte that `next` does not take itself (it takes
        /// identifiers, blanks and line feeds): a carriage return, a comment, a string,
        /// punctuation, a number or stray bytes. Sets `produced` unless it read a comment.
        mutating func lexOther() {
            let n = b.count
            let c = b[i]
            let start = i
            switch c {
            case 0x0D:
                i += 1
                if i < n && b[i] == 0x0A { i += 1 }
                add(.newline, start)
            case 0x23:  // #
                lexComment()
            case 0x22:  // "
                lexString()
            case 0x7B: i += 1; add(.leftBrace, start)
            case 0x7D: i += 1; add(.rightBrace, start)
            case 0x28: i += 1; add(.leftParen, start)
            case 0x29: i += 1; add(.rightParen, start)
            case 0x5B: i += 1; add(.leftBracket, start)
            case 0x5D: i += 1; add(.rightBracket, start)
            case 0x2C: i += 1; add(.comma, start)
            case 0x3B: i += 1; add(.semicolon, start)
            case 0x3A: i += 1; add(.colon, start)
            case 0x3D:  // =
                i += 1
                if i < n && b[i] == 0x3D { i += 1; add(.equalEqual, start) } else { add(.equal, start) }
            case 0x21:  // !
                i += 1
                if i < n && b[i] == 0x3D {
                    i += 1
                    add(.bangEqual, start)
                } else {
                    add(.invalid, start)
                    error("unexpected '!'", start, i, help: "write 'not' to negate a condition")
                }
            case 0x3C:  // <
                i += 1
                if i < n && b[i] == 0x3D { i += 1; add(.lessEqual, start) } else { add(.less, start) }
            case 0x3E:  // >
                i += 1
                if i < n && b[i] == 0x3D { i += 1; add(.greaterEqual, start) } else { add(.greater, start) }
            case 0x2D:  // -
                if i + 1 < n && b[i + 1] == 0x3E {
                    i += 2
                    add(.arrow, start)
                } else if Lexer.startsTime(b, after: i + 1) {
                    // The dash of `09:00-17:00`: a number never has the shape of a time.
                    i += 1
                    add(.dash, start)
                } else if i + 1 < n && Lexer.isDigit(b[i + 1]) {
                    i += 1
                    lexNumber(start: start)
                } else {
                    i += 1
                    add(.invalid, start)
                    var next = i
                    while next < n && (b[next] == 0x20 || b[next] == 0x09) { next += 1 }
                    error("unexpected '-'", start, i,
                          help: next < n && Lexer.isDigit(b[next])
                              ? "working hours are written as two times of day, as in hours 09:00-17:00"
                              : "a rework route is written 'on reject -> ID'")
                }
            case 0x2E:  // .
                if i + 1 < n && b[i + 1] == 0x2E {
                    i += 2
                    add(.dotDot, start)
                } else {
                    i += 1
                    add(.invalid, start)
                    error("unexpected '.'", start, i, help: "a range is written with two dots, as in 'estimate 2bd..5bd'")
                }
            default:
                if Lexer.isDigit(c) {
                    lexNumber(start: start)
                } else {
                    lexStray()
                }
            }
        }

        mutating func lexComment() {
            let start = i
            let n = b.count
            var reported = false
            while i < n && b[i] != 0x0A && b[i] != 0x0D {
                if b[i] < 0x80 {
                    i += 1
                } else {
                    let len = Lexer.utf8SequenceLength(b, i)
                    if len == 0 {
                        if !reported {
                            error("invalid UTF-8 in comment", i, i + 1)
                            reported = true
                        }
                        i += 1
                    } else {
                        i += len
                    }
                }
            }
            comments.append(Token(.comment, SourceRange(start, i)))
        }

        mutating func lexString() {
            let start = i
            let n = b.count
            i += 1
            while true {
                if i >= n || b[i] == 0x0A || b[i] == 0x0D {
                    add(.invalid, start)
                    error("unterminated string", start, i, help: "close the string with '\"' on the same line; write a line break as \\n")
                    return
                }
                let c = b[i]
                if c == 0x22 {
                    i += 1
                    add(.string, start)  // reported already; the parser can go on
                    return
                }
                if c == 0x5C {  // backslash
                    let escStart = i
                    i += 1
                    guard i < n else { continue }
                    switch b[i] {
                    case 0x22, 0x5C, 0x6E, 0x74:  // " \ n t
                        i += 1
                    case 0x75:  // u
                        let escape = Lexer.unicodeEscape(b, i + 1)
                        i = escape.end
                        if escape.scalar == nil {
                            error("invalid Unicode escape", escStart, i, help: "write a Unicode escape as \\u{1F680}: 1 to 6 hex digits naming a Unicode scalar")
                        }
                    case 0x0A, 0x0D:
                        continue
                    default:
                        let len = max(1, b[i] < 0x80 ? 1 : Lexer.utf8SequenceLength(b, i))
                        i += len
                        error("unknown escape sequence", escStart, i, help: "the escapes are \\\" \\\\ \\n \\t and \\u{…}")
                    }
                    continue
                }
                if c < 0x80 {
                    i += 1
                    continue
                }
                let len = Lexer.utf8SequenceLength(b, i)
                if len == 0 {
                    error("invalid UTF-8 in string", i, i + 1, help: "save the file as UTF-8")
                    i += 1
                } else {
                    i += len
                }
            }
        }

        mutating func lexNumber(start: Int) {
            let n = b.count
            let digitsStart = i
            while i < n && Lexer.isDigit(b[i]) { i += 1 }
            var literal: (kind: TokenKind, what: String, help: String)?
            // A date: exactly four digits, '-', two digits, '-', two digits.
            if b[start] != 0x2D && i - digitsStart == 4 && i + 5 < n && b[i] == 0x2D
                && Lexer.isDigit(b[i + 1]) && Lexer.isDigit(b[i + 2]) && b[i + 3] == 0x2D
                && Lexer.isDigit(b[i + 4]) && Lexer.isDigit(b[i + 5]) {
                i += 6
                literal = (.date, "date", "write dates as YYYY-MM-DD")
            } else if i < n && b[i] == 0x3A && b[start] != 0x2D && Lexer.timeLength(b, start) > 0 {
                // A time of day: one or two digits, ':', two digits.
                i = start + Lexer.timeLength(b, start)
                literal = (.time, "time of day", "write times of day as HH:MM, as in 09:00")
            }
            if let literal {
                // A letter or digit right behind the literal makes the whole run one malformed token.
                if i < n && Lexer.isIdentifierContinue(b[i]) {
                    while i < n && Lexer.isIdentifierContinue(b[i]) { i += 1 }
                    add(.invalid, start)
                    error("malformed \(literal.what)", start, i, help: literal.help)
                } else {
                    add(literal.kind, start)
                }
                return
            }
            if i + 1 < n && b[i] == 0x2E && Lexer.isDigit(b[i + 1]) {
                i += 1
                while i < n && Lexer.isDigit(b[i]) { i += 1 }
            }
            if i < n && b[i] == 0x25 {  // %
                i += 1
                add(.percent, start)
                return
            }
            if i < n && Lexer.isIdentifierStart(b[i]) {
                let unitStart = i
                while i < n && Lexer.isIdentifierContinue(b[i]) { i += 1 }
                if DurationUnit.spelled(b, unitStart, i) != nil {
                    add(.duration, start)
                } else {
                    let unit = String(decoding: UnsafeBufferPointer(rebasing: b[unitStart..<i]), as: UTF8.self)
                    add(.invalid, start)
                    error("unknown duration unit '\(unit)'", unitStart, i,
                          help: "the units are m (minutes), h (hours), d (days), w (weeks) and bd (business days)",
                          rule: "invalid-duration")
                }
                return
            }
            add(.number, start)
        }

        /// A run of bytes that cannot start any token: report it once.
        mutating func lexStray() {
            let start = i
            let n = b.count
            var invalidUTF8 = false
            repeat {
                let c = b[i]
                if c >= 0x80 {
                    let len = Lexer.utf8SequenceLength(b, i)
                    if len == 0 { invalidUTF8 = true }
                    i += max(1, len)
                } else {
                    i += 1
                }
            } while i < n && Lexer.startsStray(b[i])
            add(.invalid, start)
            if invalidUTF8 {
                error("invalid UTF-8", start, i, help: "save the file as UTF-8")
            } else {
                let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                let shown = text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F || $0.properties.generalCategory == .format ? "U+" + String($0.value, radix: 16, uppercase: true) : String($0) }.joined()
                error("unexpected character\(text.unicodeScalars.count > 1 ? "s" : "") '\(shown)'", start, i)
            }
        }
    }

    /// Bytes that begin no token (and are not white space or a line end).
    static func startsStray(_ c: UInt8) -> Bool {
        if c >= 0x80 { return true }
        if isIdentifierContinue(c) { return false }
        switch c {
        case 0x20, 0x09, 0x0A, 0x0D, 0x23, 0x22, 0x7B, 0x7D, 0x28, 0x29, 0x5B, 0x5D, 0x2C, 0x3B, 0x3A,
             0x3D, 0x21, 0x3C, 0x3E, 0x2D, 0x2E:
            return false
        default:
            return true
        }
    }

    /// The escape after `\u` at `j`: `{`, 1–6 hex digits naming a scalar, `}`. Returns the
    /// scalar (nil when the escape is invalid) and where reading stopped (past the `}`).
    static func unicodeEscape<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes, _ j: Int) -> (scalar: Unicode.Scalar?, end: Int)
    where Bytes.Index == Int {
        var k = j
        guard k < b.endIndex, b[k] == 0x7B else { return (nil, k) }
        k += 1
        var value: UInt32 = 0
        var digits = 0
        while k < b.endIndex, let d = hexValue(b[k]) {
            if digits < 6 { value = value &* 16 &+ UInt32(d) }
            digits += 1
            k += 1
        }
        guard k < b.endIndex, b[k] == 0x7D else { return (nil, k) }
        return (digits >= 1 && digits <= 6 ? Unicode.Scalar(value) : nil, k + 1)
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    /// The value of a string token's text (with its quotes), escapes decoded.
    ///
    /// Tolerant: an invalid escape is kept as written, invalid UTF-8 becomes U+FFFD.
    public static func stringValue<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> String where Bytes.Index == Int {
        var lo = bytes.startIndex
        var hi = bytes.endIndex
        if lo < hi && bytes[lo] == 0x22 { lo += 1 }
        if lo < hi && bytes[hi - 1] == 0x22 { hi -= 1 }
        let inner = bytes[lo..<hi]
        // Most strings have no escapes: decode them in place.
        if !inner.contains(0x5C) { return String(decoding: inner, as: UTF8.self) }
        let body = Array(inner)
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var i = 0
        while i < body.count {
            let c = body[i]
            guard c == 0x5C, i + 1 < body.count else {
                out.append(c)
                i += 1
                continue
            }
            let e = body[i + 1]
            switch e {
            case 0x22: out.append(0x22); i += 2
            case 0x5C: out.append(0x5C); i += 2
            case 0x6E: out.append(0x0A); i += 2
            case 0x74: out.append(0x09); i += 2
            case 0x75:
                let escape = unicodeEscape(body, i + 2)
                if let scalar = escape.scalar {
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    i = escape.end
                } else {
                    out.append(c)
                    i += 1
                }
            default:
                out.append(c)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
