import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftOutput
@testable import StagecraftCLI

/// The formatter: golden before/after pairs, properties over every real file, edge cases.
@Suite struct FormatterTests {
    static let goldenDirectory = repositoryRoot + "/Tests/StagecraftCoreTests/Golden/fmt"

    /// The names of the golden pairs: `NAME.in.flow` formats to `NAME.out.flow`.
    static let goldenNames: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: goldenDirectory)) ?? [])
        .filter { $0.hasSuffix(".in.flow") }.map { String($0.dropLast(".in.flow".count)) }.sorted()

    /// Every file the properties are checked on: the corpus (without syntax errors), the
    /// shipped workflows, the examples and the golden inputs.
    static let propertyFiles: [String] = {
        var files = corpusFiles()
        files += (try? Files.flowFiles([repositoryRoot + "/workflows", repositoryRoot + "/examples"])) ?? []
        files += goldenNames.map { goldenDirectory + "/" + $0 + ".in.flow" }
        return files
    }()

    static func format(_ text: String) -> String? {
        FlowFormatter.format(SourceFile(path: "t.flow", text: text)).formatted
    }

    static func commentTexts(_ parsed: ParsedFile) -> [String] {
        parsed.comments.map { c -> String in
            var s = parsed.source.text(of: c.range)
            while s.last == " " || s.last == "\t" { s.removeLast() }
            return s
        }.sorted()
    }

    // MARK: - Golden files

    @Test func thereAreEnoughGoldenPairs() {
        #expect(Self.goldenNames.count >= 6)
        #expect(Set(Self.goldenNames).isSuperset(of: ["messy-spacing", "semicolons", "comments", "lists", "expressions",
                                                      "strings", "crlf-bom"]))
    }

    @Test(arguments: goldenNames)
    func golden(_ name: String) throws {
        let input = try Files.read(Self.goldenDirectory + "/" + name + ".in.flow")
        let expected = try Files.read(Self.goldenDirectory + "/" + name + ".out.flow")
        let result = FlowFormatter.format(SourceFile(path: name, bytes: input))
        let formatted = try #require(result.formatted, "\(result.parsed.diagnostics)")
        #expect(Array(formatted.utf8) == expected, "\(formatted)")
        #expect(Array(formatted.utf8) != input)
        let again = FlowFormatter.format(SourceFile(path: name, bytes: expected))
        #expect(again.formatted.map { Array($0.utf8) } == expected)
    }

    @Test func crlfAndBOMInputReallyHasThem() throws {
        let input = try Files.read(Self.goldenDirectory + "/crlf-bom.in.flow")
        #expect(input.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(String(decoding: input, as: UTF8.self).contains("\r\n"))
        let output = try Files.read(Self.goldenDirectory + "/crlf-bom.out.flow")
        #expect(!output.contains(0x0D) && !output.starts(with: [0xEF]))
    }

    // MARK: - Properties over every real file

    @Test(arguments: propertyFiles)
    func idempotentAndMeaningPreserving(_ path: String) throws {
        let bytes = try Files.read(path)
        let source = SourceFile(path: path, bytes: bytes)
        let result = FlowFormatter.format(source)
        guard let formatted = result.formatted else {
            // Only corpus files may have syntax errors; they are skipped.
            #expect(path.contains("/Corpus/"), "\(result.parsed.diagnostics)")
            return
        }
        let reparsed = Parser.parse(SourceFile(path: path, text: formatted))
        #expect(!reparsed.hasErrors, "\(reparsed.diagnostics)")
        #expect(FormatDump.dump(reparsed.tree) == FormatDump.dump(result.parsed.tree))
        #expect(Self.commentTexts(reparsed) == Self.commentTexts(result.parsed))
        #expect(Self.format(formatted) == formatted)
        // Suppressions still silence what they silenced: the same findings, rule by rule.
        let before = Checker.check(source).diagnostics.map { "\($0.rule) \($0.severity)" }.sorted()
        let after = Checker.check(SourceFile(path: path, text: formatted)).diagnostics.map { "\($0.rule) \($0.severity)" }.sorted()
        #expect(before == after)
    }

    @Test func propertiesCoverEnoughFiles() {
        let clean = Self.propertyFiles.filter { path in
            guard let bytes = try? Files.read(path) else { return false }
            return !Parser.parse(SourceFile(path: path, bytes: bytes)).hasErrors
        }
        #expect(clean.count >= 20)
    }

    /// Shipped files are canonical, so mangling their white space (indentation, spaces
    /// between tokens, trailing blanks, tabs) must format back to exactly the original.
    @Test func mangledWhiteSpaceFormatsBackToTheShippedFile() throws {
        var rng = TestRandom(state: 2026)
        let files = (try Files.flowFiles([repositoryRoot + "/workflows", repositoryRoot + "/examples"]))
        #expect(files.count >= 10)
        for path in files {
            let original = String(decoding: try Files.read(path), as: UTF8.self)
            guard let canonical = Self.format(original) else {
                Issue.record("\(path) does not parse")
                continue
            }
            for _ in 0..<5 {
                let mangled = Self.mangle(canonical, &rng)
                #expect(mangled != canonical)
                #expect(Self.format(mangled) == canonical, "\(path)")
            }
        }
    }

    /// Changes white space outside strings and comments only.
    static func mangle(_ text: String, _ rng: inout TestRandom) -> String {
        let blanks: [String] = [" ", "  ", "\t", " \t ", "   "]
        var out = ""
        var inString = false
        var inComment = false
        var escaped = false
        var atLineStart = true
        for ch in text {
            if atLineStart && ch != "\n" {
                if ch == " " { continue }  // drop the canonical indentation…
                out += String(repeating: blanks[rng.below(blanks.count)], count: rng.below(4))  // …for a random one
                atLineStart = false
            }
            switch ch {
            case "\n":
                if rng.below(3) == 0 { out += blanks[rng.below(blanks.count)] }
                out += rng.below(4) == 0 ? "\r\n" : "\n"
                inComment = false
                inString = false
                atLineStart = true
                continue
            case " " where !inString && !inComment:
                out += blanks[rng.below(blanks.count)]
                continue
            case "#" where !inString:
                inComment = true
            case "\"" where !inComment && !escaped:
                inString.toggle()
            default:
                break
            }
            escaped = inString && ch == "\\" && !escaped
            out.append(ch)
        }
        return out
    }

    // MARK: - Edge cases

    @Test func emptyAndCommentOnlyFiles() {
        #expect(Self.format("") == "")
        #expect(Self.format("\n\n  \n") == "")
        #expect(Self.format("\u{FEFF}") == "")
        #expect(Self.format("# only\n\n\n#  a comment   \n") == "# only\n\n#  a comment\n")
        #expect(Self.format("workflow \"x\" {}") == "workflow \"x\" {}\n")
        #expect(Self.format("workflow \"x\" {\n\n}\n") == "workflow \"x\" {}\n")
        #expect(Self.format("workflow \"x\" {\n  # c\n}\n") == "workflow \"x\" {\n  # c\n}\n")
    }

    @Test func syntaxErrorsAreNotFormatted() {
        let result = FlowFormatter.format(SourceFile(path: "bad.flow", text: "workflow \"x\" {\n  stage a { owner }\n}\n"))
        #expect(result.formatted == nil)
        #expect(result.parsed.hasErrors)
        // An unknown param type is an error too: nothing to format.
        #expect(Self.format("workflow \"x\" { param p: text = 1 }") == nil)
    }

    @Test func stringsAreReEscapedCanonically() {
        #expect(FlowFormatter.quoted("plain é 🚀") == "\"plain é 🚀\"")
        #expect(FlowFormatter.quoted("a\"b\\c\nd\te") == #""a\"b\\c\nd\te""#)
        #expect(FlowFormatter.quoted("\u{0}\u{7}\u{1B}\u{7F}\u{85}\u{9F}\u{A0}") == "\"\\u{0}\\u{7}\\u{1B}\\u{7F}\\u{85}\\u{9F}\u{A0}\"")
        #expect(Self.format("workflow \"\\u{48}i\\u{1f680}\" {}") == "workflow \"Hi🚀\" {}\n")
    }

    @Test func numbersAndDurationsAreCanonical() {
        let text = """
        workflow "n" {
          deadline 007.50bd
          param a: number = 2.500
          param b: number = -0
          param c: number = 100000000000000000000000
          param d: number = 0.1000000000000000000000001
          owner o { capacity 03 }
          gate g { approvers o; quorum 2.0; reject 12.50%; estimate 1.0h 90m 0.5d; sla 1w }
        }
        """
        let formatted = Self.format(text)
        #expect(formatted == """
        workflow "n" {
          deadline 7.5bd

          param a: number = 2.5
          param b: number = -0
          param c: number = 100000000000000000000000
          param d: number = 0.1

          owner o {
            capacity 3
          }

          gate g {
            approvers o
            quorum 2
            reject 12.5%
            estimate 1h 90m 0.5d
            sla 1w
          }
        }

        """)
        let reparsed = Parser.parse(SourceFile(path: "n", text: formatted ?? ""))
        #expect(FormatDump.dump(reparsed.tree) == FormatDump.dump(Parser.parse(SourceFile(path: "n", text: text)).tree))
        #expect(FormatLayout.normalizedDecimal("-007.500") == "-7.5")
        #expect(FormatLayout.normalizedDecimal("000") == "0")
        #expect(FormatLayout.normalizedDecimal("12.000") == "12")
    }

    @Test func longConditionChainsDoNotOverflowTheStack() throws {
        let terms = (0..<20_000).map { _ in "p" }.joined(separator: " or ")
        let text = "workflow \"x\" {\n  param p: bool = true\n\n  owner o\n\n  stage a {\n    owner o\n    when \(terms)\n  }\n}\n"
        let formatted = try #require(Self.format(text))
        #expect(formatted == text)
    }

    /// Issue 16: a 40,000-term chain overflowed the stack in check (evaluation) and a
    /// 36,000-term one when its tree was freed after fmt. 60,000 terms of `and`, of `or`
    /// and of both go through check, evaluation, fmt and the release of every tree.
    @Test func chainsOfHundredsOfThousandsOfTermsAreCheckedFormattedAndFreed() throws {
        let andChain = (0..<60_000).map { _ in "p" }.joined(separator: " and ")
        let mixed = (0..<30_000).map { $0 % 3 == 0 ? "p or not q" : "p and q == false" }.joined(separator: " and ")
        for condition in [andChain, mixed, andChain.replacingOccurrences(of: " and ", with: " or ")] {
            let text = "workflow \"x\" {\n  param p: bool = true\n  param q: bool = false\n\n  owner o\n\n  stage a {\n    owner o\n    sla 1bd\n    when \(condition)\n  }\n}\n"
            let checked = runCLI(["check", "-", "--format", "json"], stdin: text)
            #expect(checked.exitCode == 0, "\(checked.stdout.prefix(300))")
            let formatted = runCLI(["fmt", "-"], stdin: text)
            #expect(formatted.exitCode == 0, "\(formatted.stderr.prefix(300))")
            #expect(formatted.stdout == text)
            let model = try #require(Checker.check(SourceFile(path: "c", text: text)).model)
            #expect(model.skipped(values: ["p": .bool(true), "q": .bool(false)]) == [false])
        }
    }

    /// The grouping of a long chain does not change what it means: the first term that is
    /// not true decides (false, or unknown), wherever it sits.
    @Test func aChainIsTrueOnlyWhenEveryTermIs() {
        for n in [1, 2, 3, 4, 5, 7, 8, 9, 16, 33] {
            for falseAt in [-1, 0, n / 2, n - 1] {
                let terms = (0..<n).map { $0 == falseAt ? "f" : "t" }
                let e = Parser.parse(SourceFile(path: "e", text: "workflow \"x\" { stage a { when \(terms.joined(separator: " and ")) } }"))
                let condition = e.tree.workflow?.nodes.first?.condition
                let value = condition.flatMap { Evaluator.evaluate($0, values: ["t": .bool(true), "f": .bool(false)]) }
                #expect(value == .bool(falseAt < 0), "n=\(n) falseAt=\(falseAt)")
                let ors = terms.map { $0 == "f" ? "t" : "f" }.joined(separator: " or ")
                let o = Parser.parse(SourceFile(path: "e", text: "workflow \"x\" { stage a { when \(ors) } }"))
                let orValue = o.tree.workflow?.nodes.first?.condition.flatMap { Evaluator.evaluate($0, values: ["t": .bool(true), "f": .bool(false)]) }
                #expect(orValue == .bool(falseAt >= 0), "n=\(n) trueAt=\(falseAt)")
            }
        }
    }

    @Test func dumpIgnoresPositionsButNotValues() {
        func dump(_ s: String) -> String { FormatDump.dump(Parser.parse(SourceFile(path: "d", text: s)).tree) }
        #expect(dump("workflow \"x\" { stage a { sla 1bd } }") == dump("workflow  \"x\"  {\n\n  stage a {\n sla 1bd\n}\n}"))
        #expect(dump("workflow \"x\" { stage a { sla 1bd } }") != dump("workflow \"x\" { stage a { sla 2bd } }"))
        #expect(dump("workflow \"x\" { param p: bool = (true) }") != dump("workflow \"x\" { stage a { when (p) } }"))
        #expect(dump("workflow \"x\" { stage a { when (p) } }") != dump("workflow \"x\" { stage a { when p } }"))
        #expect(dump("workflow \"é\" {}") != dump("workflow \"e\u{301}\" {}"))
        #expect(dump("workflow \"x\" { owner o {} }") != dump("workflow \"x\" { owner o }"))
    }

    @Test func endOfLineCommentOfAOneLineBlockStaysOnItsFirstLine() {
        let text = "workflow \"x\" {\n  owner o\n  stage a { owner o; sla 1bd } # about a\n  stage b {\n    owner o; sla 1bd } # about b's body\n}\n"
        #expect(Self.format(text) == """
        workflow "x" {
          owner o

          stage a { # about a
            owner o
            sla 1bd
          }

          stage b {
            owner o # about b's body
            sla 1bd
          }
        }

        """)
    }
}
