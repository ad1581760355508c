import Testing
@testable import StagecraftSyntax

/// The line table and the questions answered from it agree with a plain scan of the
/// bytes, whatever mix of LF, CR LF and lone CR the file has.
@Suite struct LineTableTests {
    /// Line starts by a plain byte-by-byte scan: LF, CR LF and a lone CR end a line.
    func expectedStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                starts.append(i + 1)
            } else if bytes[i] == 0x0D {
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                starts.append(i + 1)
            }
            i += 1
        }
        return starts
    }

    @Test func randomFilesGetThePlainScansAnswers() {
        var rng = TestRandom(state: 7)
        let alphabet: [UInt8] = [0x0A, 0x0D, 0x61, 0x62, 0x20, 0xC3, 0x8A, 0x0D, 0x0A]
        for _ in 0..<400 {
            let bytes = (0..<rng.below(90)).map { _ in alphabet[rng.below(alphabet.count)] }
            let starts = expectedStarts(bytes)
            let source = SourceFile(path: "r", bytes: bytes)
            #expect(source.lineStarts.map(Int.init) == starts, "\(bytes)")
            for offset in 0...bytes.count {
                let line = starts.lastIndex { $0 <= offset } ?? 0
                #expect(source.lineIndex(of: offset) == line, "\(bytes) offset \(offset)")
                #expect(source.location(of: offset).line == line + 1, "\(bytes) offset \(offset)")
            }
            for index in -1...(starts.count + 1) {
                let start = index >= 0 && index < starts.count ? starts[index] : bytes.count
                #expect(source.lineStart(index) == start, "\(bytes) line index \(index)")
                #expect(source.hasLine(index) == (index >= 1 && index <= starts.count), "\(bytes) line \(index)")
            }
        }
    }

    @Test func linesAndColumnsOfAMixedFile() {
        // "a", "b" (ended by CR LF), "ó" and "c": columns count scalars, not bytes.
        let bytes = Array("a\nb\r\n\u{F3}x\rc".utf8)
        let source = SourceFile(path: "t", bytes: bytes)
        #expect(source.lineStarts == [0, 2, 5, 9])
        #expect(source.location(of: 2) == SourceLocation(line: 2, column: 1))
        #expect(source.location(of: 7) == SourceLocation(line: 3, column: 2))
        #expect(source.lineRange(2) == SourceRange(2, 3))
        #expect(source.lineRange(3) == SourceRange(5, 8))
        #expect(source.lineText(4) == "c")
        #expect(!source.hasLine(5) && source.lineRange(5) == SourceRange(10, 10))
        #expect(SourceFile(path: "e", bytes: []).lineStarts == [0] && SourceFile(path: "e", bytes: []).hasLine(1))
    }
}
