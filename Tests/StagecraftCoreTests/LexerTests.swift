import Testing
@testable import StagecraftSyntax

@Suite struct LexerTests {
    func kinds(_ text: String) -> [TokenKind] {
        Lexer.lex(SourceFile(path: "t", text: text)).tokens.map(\.kind)
    }

    func lex(_ bytes: [UInt8]) -> LexedFile { Lexer.lex(SourceFile(path: "t", bytes: bytes)) }

    @Test func punctuationAndOperators() {
        #expect(kinds("{ } ( ) [ ] , ; : = -> .. == != < <= > >=") == [
            .leftBrace, .rightBrace, .leftParen, .rightParen, .leftBracket, .rightBracket, .comma, .semicolon,
            .colon, .equal, .arrow, .dotDot, .equalEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual,
            .endOfFile,
        ])
    }

    @Test func literals() {
        #expect(kinds("3 2.5 20% 30m 4h 2d 1w 5bd 2026-12-25 name_1 \"s\"") == [
            .number, .number, .percent, .duration, .duration, .duration, .duration, .duration, .date, .identifier,
            .string, .endOfFile,
        ])
        #expect(kinds("8bd..20bd") == [.duration, .dotDot, .duration, .endOfFile])
        #expect(kinds("-3bd") == [.duration, .endOfFile])
    }

    @Test func everyEscape() {
        let lexed = Lexer.lex(SourceFile(path: "t", text: #""a\"b\\c\nd\te\u{1F680}f""#))
        #expect(lexed.diagnostics.isEmpty)
        let t = lexed.tokens[0]
        let value = Lexer.stringValue(SourceFile(path: "t", text: #""a\"b\\c\nd\te\u{1F680}f""#).bytes[t.range.start..<t.range.end])
        #expect(value == "a\"b\\c\nd\te🚀f")
    }

    @Test func badEscapesAreReportedAndLexingGoesOn() {
        let lexed = lex(Array(#""a\qb" "\u{D800}" "\u{110000}" x"#.utf8))
        #expect(lexed.diagnostics.map(\.message) == ["unknown escape sequence", "invalid Unicode escape", "invalid Unicode escape"])
        #expect(lexed.tokens.map(\.kind) == [.string, .string, .string, .identifier, .endOfFile])
    }

    @Test func unknownDurationUnit() {
        let lexed = lex(Array("3x 2days".utf8))
        #expect(lexed.diagnostics.map(\.rule) == ["invalid-duration", "invalid-duration"])
        #expect(lexed.diagnostics.map(\.range.start) == [1, 4])
    }

    @Test func unterminatedString() {
        let lexed = lex(Array("\"abc\nowner".utf8))
        #expect(lexed.tokens.map(\.kind) == [.invalid, .newline, .identifier, .endOfFile])
        #expect(lexed.diagnostics.first?.message == "unterminated string")
    }

    @Test func lineEndingsBOMAndTabs() {
        let lexed = lex([0xEF, 0xBB, 0xBF] + Array("a\r\n\tb\rc\n".utf8))
        #expect(lexed.tokens.map(\.kind) == [.identifier, .newline, .identifier, .newline, .identifier, .newline, .endOfFile])
        #expect(lexed.tokens[0].range == SourceRange(3, 4))
        let file = SourceFile(path: "t", bytes: [0xEF, 0xBB, 0xBF] + Array("a\r\n\tb\rc\n".utf8))
        #expect(file.location(of: 7) == SourceLocation(line: 2, column: 2))
        #expect(file.location(of: 9) == SourceLocation(line: 3, column: 1))
    }

    @Test func columnsCountUnicodeScalars() {
        let file = SourceFile(path: "t", text: "stage r \"Revisión\" x")
        let lexed = Lexer.lex(file)
        let x = lexed.tokens[3]
        #expect(file.location(of: x.range.start) == SourceLocation(line: 1, column: 20))
    }

    @Test func invalidUTF8AndStrayBytes() {
        let lexed = lex([0x61, 0x20, 0xFF, 0xFE, 0x20, 0x40, 0x20, 0x22, 0xC3, 0x28, 0x22, 0x20, 0x23, 0xFF])
        #expect(lexed.tokens.map(\.kind) == [.identifier, .invalid, .invalid, .string, .endOfFile])
        #expect(lexed.diagnostics.map(\.message) == ["invalid UTF-8", "unexpected character '@'", "invalid UTF-8 in string", "invalid UTF-8 in comment"])
        #expect(lexed.comments.count == 1)
    }

    @Test func datesAndMalformedDates() {
        #expect(kinds("2026-12-25") == [.date, .endOfFile])
        let lexed = lex(Array("2026-12-25x".utf8))
        #expect(lexed.tokens.map(\.kind) == [.invalid, .endOfFile])
    }

    @Test func commentsAreTrivia() {
        let lexed = lex(Array("a # note\n# own line\nb".utf8))
        #expect(lexed.tokens.map(\.kind) == [.identifier, .newline, .newline, .identifier, .endOfFile])
        #expect(lexed.comments.map(\.range) == [SourceRange(2, 8), SourceRange(9, 19)])
    }

    @Test func singleCharactersThatStartNoToken() {
        let lexed = lex(Array("! . -".utf8))
        #expect(lexed.tokens.map(\.kind) == [.invalid, .invalid, .invalid, .endOfFile])
        #expect(lexed.diagnostics.count == 3)
    }

    @Test func lineStartsFollowLineFeedsCarriageReturnsAndBoth() {
        // LF, CR LF, a lone CR, CR LF across an eight-byte boundary, and text after the end.
        let text = "ab\ncd\r\nef\rgh\n\n1234\r\n56789012345\r\nx"
        let source = SourceFile(path: "t", text: text)
        #expect(source.lineStarts == [0, 3, 7, 10, 13, 14, 20, 33])
        #expect(SourceFile(path: "t", text: "").lineStarts == [0])
        #expect(SourceFile(path: "t", text: "\r").lineStarts == [0, 1])
    }

    @Test func lineStartsMatchAByteByByteScan() {
        // Random runs of text, LF and CR of every length around the eight-byte words.
        var rng = TestRandom(state: 11)
        let alphabet: [UInt8] = [0x0A, 0x0D, 0x61, 0x62, 0x20, 0xC3, 0x8A, 0x0A, 0x0D]
        for _ in 0..<3000 {
            let bytes = (0..<rng.below(70)).map { _ in alphabet[rng.below(alphabet.count)] }
            var expected: [UInt32] = [0]
            var i = 0
            while i < bytes.count {
                if bytes[i] == 0x0A {
                    expected.append(UInt32(i + 1))
                } else if bytes[i] == 0x0D {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                    expected.append(UInt32(i + 1))
                }
                i += 1
            }
            #expect(SourceFile(path: "r", bytes: bytes).lineStarts == expected, "\(bytes)")
        }
    }
}
