import Testing
@testable import StagecraftCore

/// The line table is filled on demand, a step at a time: whatever the step and whatever
/// order the questions come in, the answers are those of the whole table.
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

    @Test(arguments: [1, 2, 3, 7, 8, 9, 16, 1 << 16])
    func questionsInAnyOrderGetTheWholeTablesAnswers(step: Int) {
        var rng = TestRandom(state: UInt64(step))
        let alphabet: [UInt8] = [0x0A, 0x0D, 0x61, 0x62, 0x20, 0xC3, 0x8A, 0x0D, 0x0A]
        for _ in 0..<400 {
            let bytes = (0..<rng.below(90)).map { _ in alphabet[rng.below(alphabet.count)] }
            let starts = expectedStarts(bytes)
            let source = SourceFile(path: "r", bytes: SourceBytes(bytes), lineScanStep: step)
            for _ in 0..<12 {
                switch rng.below(4) {
                case 0:
                    let offset = rng.below(bytes.count + 1)
                    let line = starts.lastIndex { $0 <= offset } ?? 0
                    #expect(source.lineIndex(of: offset) == line, "\(bytes) offset \(offset)")
                case 1:
                    let index = rng.below(starts.count + 2)
                    #expect(source.lineStart(index) == (index < starts.count ? starts[index] : bytes.count),
                            "\(bytes) line index \(index)")
                case 2:
                    let line = rng.below(starts.count + 2)
                    #expect(source.hasLine(line) == (line >= 1 && line <= starts.count), "\(bytes) line \(line)")
                default:
                    let offset = rng.below(bytes.count + 1)
                    let line = (starts.lastIndex { $0 <= offset } ?? 0) + 1
                    #expect(source.location(of: offset).line == line, "\(bytes) offset \(offset)")
                }
            }
            #expect(source.lineStarts.map(Int.init) == starts, "\(bytes)")
        }
    }

    @Test func aDiagnosticNearTheTopScansOnlyTheFirstStep() {
        // A carriage return ends the step, its line feed starts the next: the question
        // about the top is answered, and the line after the pair starts after the feed.
        var bytes = Array("a\nb\r\nc".utf8)
        bytes += [UInt8](repeating: 0x78, count: 100)
        let source = SourceFile(path: "t", bytes: SourceBytes(bytes), lineScanStep: 4)
        #expect(source.location(of: 2) == SourceLocation(line: 2, column: 1))
        #expect(source.lineStart(2) == 5)
        #expect(source.lineRange(2) == SourceRange(2, 3))
        #expect(source.lineRange(3) == SourceRange(5, bytes.count))
        #expect(!source.hasLine(4))
        #expect(source.lineStarts == [0, 2, 5])
    }

    @Test func theTableIsSharedByCopiesOnManyThreads() {
        // Copies share one table; questions from several threads at once must agree.
        let text = (0..<5000).map { "line \($0)\($0 % 3 == 0 ? "\r\n" : "\n")" }.joined()
        let source = SourceFile(path: "t", bytes: SourceBytes(Array(text.utf8)), lineScanStep: 64)
        let starts = expectedStarts(source.bytes.array)
        let answers = concurrentMap(8) { k in
            stride(from: 4999 - k, through: 0, by: -8).allSatisfy { source.lineStart($0) == starts[$0] }
        }
        #expect(answers == [Bool](repeating: true, count: 8))
    }
}
