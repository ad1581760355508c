import Foundation
import Testing
@testable import StagecraftCore

/// Parsing in pieces on several cores (`ParseChunks.swift`) must give exactly what the
/// serial parser gives, wherever the file is cut: tree, comments and diagnostics.
@Suite struct ParseChunkTests {
    /// The offsets of every line that starts with `stage` or `gate` after spaces or tabs.
    static func nodeLines(_ bytes: [UInt8]) -> [Int] {
        bytes.withUnsafeBufferPointer { b in
            var out: [Int] = []
            var lineStart = 0
            while lineStart < b.count {
                var k = lineStart
                while k < b.count && (b[k] == 0x20 || b[k] == 0x09) { k += 1 }
                if lineStart > 0 && Parser.startsNode(b, k) { out.append(lineStart) }
                while lineStart < b.count && b[lineStart] != 0x0A && b[lineStart] != 0x0D { lineStart += 1 }
                while lineStart < b.count && (b[lineStart] == 0x0A || b[lineStart] == 0x0D) { lineStart += 1 }
            }
            return out
        }
    }

    /// Expects the file to parse the same cut near `targets` as serially; returns how
    /// many pieces the parse used. The failures name the file.
    @discardableResult
    static func expectSameParse(_ source: SourceFile, cuttingNear targets: [Int], _ label: String) -> Int {
        let serial = Parser.parse(source, chunkAbove: .max)
        let (cut, used) = Parser.parse(source, cuttingNear: targets, piecesDone: .max)
        #expect(cut.tree == serial.tree, "\(label) cut at \(targets)")
        #expect(cut.comments == serial.comments, "\(label) cut at \(targets)")
        #expect(cut.diagnostics == serial.diagnostics, "\(label) cut at \(targets)")
        // The same with the pieces on other threads, as `check` runs it.
        let threaded = Parser.parse(source, cuttingNear: targets).parsed
        #expect(threaded.tree == serial.tree && threaded.diagnostics == serial.diagnostics
                && threaded.comments == serial.comments, "\(label) cut at \(targets)")
        return used
    }

    @Test func everyCutOfEveryCorpusFileParsesAsTheWholeFile() {
        let shipped = (try? Files.flowFiles([repositoryRoot + "/workflows", repositoryRoot + "/examples"])) ?? []
        var cutsTried = 0
        for path in corpusFiles() + shipped {
            guard let bytes = try? Files.read(path) else { continue }
            let source = SourceFile(path: path, bytes: bytes)
            let lines = Self.nodeLines(bytes)
            var used = 0
            for line in lines { used += Self.expectSameParse(source, cuttingNear: [line], path) }
            let usedAtOnce = Self.expectSameParse(source, cuttingNear: lines, path)
            if shipped.contains(path) {
                // The shipped files are clean: every stage and gate line is a member boundary.
                #expect(used == lines.count, "\(path)")
                #expect(usedAtOnce == lines.count, "\(path)")
            }
            cutsTried += lines.count
        }
        #expect(cutsTried > 100)
    }

    @Test func cutsThatAreNotMemberBoundariesAreNotUsed() {
        // Lines starting with `stage` inside a list continued after a comma, inside a
        // broken node body, in a checklist, and after an unclosed brace: none of them is
        // the top of the workflow's member loop, so the serial parse must be kept.
        let text = """
            workflow "cuts" {
              owner pm
              stage a { owner pm; sla 1d }
              stage b {
                after a,
              stage
                owner pm
              }
              gate c { approvers pm,
              stage x }
              stage d { checklist {
              stage "item"
              } }
              stage e {
              stage f { owner pm }
              # stagecraft-ignore missing-sla -- cut after a comment
              stage g { owner pm; sla 1d }
            }
            stage h { owner pm }

            """
        let source = SourceFile(path: "cuts.flow", text: text)
        let lines = Self.nodeLines(source.bytes.array)
        #expect(lines.count == 10)
        // Used: a, b, c, d, e and h (h is inside the workflow: e's stray `}` closed e, not
        // the workflow). Not used: x (in the approvers list), "item" (in a checklist), f
        // and g (inside the unclosed e).
        let used = lines.map { Self.expectSameParse(source, cuttingNear: [$0], "cuts.flow") }
        #expect(used == [1, 1, 1, 0, 1, 0, 1, 0, 0, 1])
        for (i, line) in lines.enumerated() {
            Self.expectSameParse(source, cuttingNear: Array(lines[i...]), "cuts.flow")
            Self.expectSameParse(source, cuttingNear: [line] + lines.suffix(2), "cuts.flow")
        }
    }

    @Test func mutatedFilesParseTheSameCutAsWhole() {
        // Seeded byte and line mutations of the shipped workflows: errors, unclosed
        // blocks and stray braces land before, on and after the cuts.
        var files = (try? Files.flowFiles([repositoryRoot + "/workflows"])) ?? []
        files += corpusFiles().prefix(8)
        var rng = TestRandom(state: 2026)
        let noise: [[UInt8]] = ["{", "}", "\"", ",", "\n", "stage ", "gate x {", "# c", "after a,\n"].map { Array($0.utf8) }
        for path in files {
            guard let original = try? Files.read(path) else { continue }
            for _ in 0..<12 {
                var bytes = original
                for _ in 0..<(1 + rng.below(4)) where !bytes.isEmpty {
                    let at = rng.below(bytes.count)
                    if rng.below(2) == 0 {
                        bytes.insert(contentsOf: noise[rng.below(noise.count)], at: at)
                    } else {
                        bytes.removeSubrange(at..<min(bytes.count, at + 1 + rng.below(20)))
                    }
                }
                let source = SourceFile(path: path, bytes: bytes)
                let lines = Self.nodeLines(bytes)
                guard !lines.isEmpty else { continue }
                Self.expectSameParse(source, cuttingNear: lines, path)
                Self.expectSameParse(source, cuttingNear: [lines[rng.below(lines.count)]], path)
            }
        }
    }

    @Test func pieceParsesKeepNothingAlive() throws {
        // After a parse in pieces, the file's bytes must be referenced by nobody else: a
        // cycle between the pieces and their parsers once kept every big file for good.
        var text = "workflow \"w\" {\n  owner pm\n"
        for i in 0..<200 { text += "  stage s\(i) { owner pm; sla 1d }\n" }
        text += "}\n"
        var bytes = Array(text.utf8)
        let before = bytes.withUnsafeBufferPointer { $0.baseAddress }
        do {
            let source = SourceFile(path: "w", bytes: bytes)
            let lines = Self.nodeLines(source.bytes.array)
            let (parsed, used) = Parser.parse(source, cuttingNear: [lines[60], lines[130]], piecesDone: .max)
            #expect(used == 2)
            #expect(parsed.tree.workflow?.nodes.count == 200)
        }
        // Writing to a uniquely referenced array keeps its storage; a shared one is copied.
        bytes[0] = bytes[0]
        #expect(bytes.withUnsafeBufferPointer { $0.baseAddress } == before)
    }

    @Test func bigFilesAreCutIntoSmallPieces() {
        // Pieces of about 256 KiB: 38 of them for 10 MB, cut evenly.
        let ten = Parser.chunkTargets(size: 10_000_000, cores: 2)
        #expect(ten.count == 37)
        #expect(ten.first == 263_157 && ten.last == 9_736_842)
        #expect(zip(ten, ten.dropFirst()).allSatisfy { $1 - $0 >= 263_157 && $1 - $0 <= 263_158 })
        // The number of cores does not change the pieces, but one core parses alone.
        #expect(Parser.chunkTargets(size: 10_000_000, cores: 8) == ten)
        #expect(Parser.chunkTargets(size: 10_000_000, cores: 1) == [])
        #expect(Parser.chunkTargets(size: 1 << 20, cores: 2) == [262_144, 524_288, 786_432])
        #expect(Parser.chunkTargets(size: 600 << 10, cores: 8) == [307_200])
        // Under two pieces' worth, no cut; a huge file stops at the most pieces.
        #expect(Parser.chunkTargets(size: 500 << 10, cores: 8) == [])
        #expect(Parser.chunkTargets(size: 1 << 30, cores: 2).count == Parser.maximumPieces - 1)
    }

    @Test func theThreadsMeetWhereverTheWorkerGotTo() {
        // However far the workers got from the end, the parse from the start takes over
        // the pieces they finished and parses the rest itself; the result is the same.
        var text = "workflow \"w\" {\n  owner pm\n"
        for i in 0..<400 { text += "  stage s\(i) { owner pm; sla 1d }\n" }
        text += "}\n"
        let source = SourceFile(path: "w", text: text)
        let lines = Self.nodeLines(source.bytes.array)
        let targets = stride(from: 20, to: 400, by: 20).map { lines[$0] }
        let serial = Parser.parse(source, chunkAbove: .max)
        for done in 0...targets.count {
            let (parsed, used) = Parser.parse(source, cuttingNear: targets, piecesDone: done)
            #expect(used == done)
            #expect(parsed.tree == serial.tree && parsed.diagnostics == serial.diagnostics)
        }
        // The same with one to three worker threads, wherever they get to.
        for workers in 1...3 {
            for _ in 0..<10 {
                let (parsed, used) = Parser.parse(source, cuttingNear: targets, workers: workers)
                #expect(used <= targets.count)
                #expect(parsed.tree == serial.tree && parsed.diagnostics == serial.diagnostics
                        && parsed.comments == serial.comments)
            }
        }
    }

    @Test func cutsMoveToTheNextStageOrGateLine() {
        let text = "workflow \"w\" {\n  owner pm\n\tgate  g { }\n  stages x\n  stage s { }\n}\n"
        let bytes = Array(text.utf8)
        let found = bytes.withUnsafeBufferPointer { Parser.cuts(in: $0, targets: [1, 30, 31]) }
        let gate = text.utf8.distance(from: text.utf8.startIndex, to: text.range(of: "gate")!.lowerBound)
        let stage = text.utf8.distance(from: text.utf8.startIndex, to: text.range(of: "stage s")!.lowerBound)
        #expect(found.map(\.keyword) == [gate, stage])
        #expect(found.map(\.lineStart) == [gate - 1, stage - 2])
    }

    @Test func keywordsAreRecognisedFromBytes() {
        for keyword in Keyword.allCases {
            let bytes = Array(" \(keyword.rawValue) ".utf8)
            #expect(Keyword.spelled(bytes, 1, bytes.count - 1) == keyword)
            // One byte short, one byte long, and the wrong last letter are not keywords.
            #expect(Keyword.spelled(bytes, 1, bytes.count - 2) == nil)
            #expect(Keyword.spelled(bytes, 0, bytes.count - 1) == nil)
            var wrong = bytes
            wrong[bytes.count - 2] = UInt8(ascii: "Z")
            #expect(Keyword.spelled(wrong, 1, bytes.count - 1) == nil)
        }
        #expect(Keyword.spelled(Array("Stage".utf8), 0, 5) == nil)
        #expect(Keyword.spelled(Array("stage".utf8), 0, 0) == nil)
    }

    @Test func nodeStatementKeywordsMatchTheirLists() {
        for keyword in Keyword.allCases {
            #expect(Parser.starts(keyword, in: .stage) == Parser.stageKeywords.contains(keyword), "\(keyword)")
            #expect(Parser.starts(keyword, in: .gate) == Parser.gateKeywords.contains(keyword), "\(keyword)")
        }
        #expect(!Parser.starts(nil, in: .stage))
    }
}
