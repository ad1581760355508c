import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftOutput
@testable import StagecraftCLI

/// No input may trap, hang or overflow the stack: prefixes of real files, random bytes
/// and random token soups all go through lex + parse + check.
@Suite struct FrontEndRobustnessTests {
    /// The corpus, the shipped workflows and examples, as bytes.
    static func sources() -> [[UInt8]] {
        var files = corpusFiles()
        files += (try? Files.flowFiles([repositoryRoot + "/workflows", repositoryRoot + "/examples"])) ?? []
        return files.compactMap { try? Files.read($0) }
    }

    @Test func everyPrefixOfEveryCorpusFile() {
        for bytes in corpusFiles().compactMap({ try? Files.read($0) }) {
            for end in 0...bytes.count {
                let r = Checker.check(SourceFile(path: "p", bytes: Array(bytes[0..<end])))
                _ = DiagnosticFormatter.text([r], color: false)
            }
        }
    }

    @Test func prefixesOfTheShippedWorkflows() {
        let files = (try? Files.flowFiles([repositoryRoot + "/workflows", repositoryRoot + "/examples"])) ?? []
        for bytes in files.compactMap({ try? Files.read($0) }) {
            // A stride keeps the larger shipped files quick; the corpus gets every prefix.
            let step = max(1, bytes.count / 300)
            for end in stride(from: 0, through: bytes.count, by: step) {
                let r = Checker.check(SourceFile(path: "p", bytes: Array(bytes[0..<end])))
                _ = DiagnosticFormatter.text([r], color: false)
            }
        }
    }

    @Test func randomBytes() {
        var rng = TestRandom(state: 42)
        for _ in 0..<2000 {
            let n = rng.below(200)
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let r = Checker.check(SourceFile(path: "r", bytes: bytes))
            _ = DiagnosticFormatter.json([r])
        }
    }

    @Test func randomTokenSoups() {
        let words = ["workflow", "\"T\"", "{", "}", "stage", "gate", "owner", "after", "when", "sla", "5bd", "-2d",
                     "estimate", "..", "matches", "checklist", "by", "approvers", "quorum", "all", "reject", "20%",
                     "on", "->", "a", "b", "pm", "param", "x", ":", "bool", "=", "true", "not", "and", "or", "in",
                     "[", "]", "(", ")", ",", ";", "\n", "==", "<", "3", "2026-12-25", "calendar", "workdays", "mon",
                     "holiday", "deadline", "description", "# stagecraft-ignore missing-sla -- r\n", "capacity", "members"]
        var rng = TestRandom(state: 7)
        for _ in 0..<3000 {
            let n = rng.below(80)
            let text = (0..<n).map { _ in words[rng.below(words.count)] }.joined(separator: " ")
            let r = Checker.check(SourceFile(path: "s", text: text))
            _ = DiagnosticFormatter.text([r], color: false)
        }
    }

    @Test func deeplyNestedParenthesesGiveADiagnostic() {
        let depth = 10_000
        let text = "workflow \"x\" {\n param p: bool = true\n owner o\n stage a { owner o; sla 1bd; when "
            + String(repeating: "(", count: depth) + "p" + String(repeating: ")", count: depth) + " }\n}\n"
        let r = Checker.check(SourceFile(path: "deep", text: text))
        #expect(r.diagnostics.contains { $0.rule == "syntax" && $0.message.contains("nested too deeply") })
        let nots = "workflow \"x\" {\n param p: bool = true\n owner o\n stage a { owner o; sla 1bd; when "
            + String(repeating: "not ", count: depth) + "p }\n}\n"
        let r2 = Checker.check(SourceFile(path: "deep", text: nots))
        #expect(r2.diagnostics.contains { $0.message.contains("nested too deeply") })
    }

    @Test func errorsStopAfterFifty() {
        let text = "workflow \"x\" {\n" + String(repeating: "  bogus\n", count: 200) + "}\n"
        let r = Checker.check(SourceFile(path: "many", text: text))
        #expect(r.diagnostics.filter { $0.rule == "syntax" && $0.severity == .error }.count == Parser.maxErrors)
        #expect(r.diagnostics.contains { $0.severity == .note && $0.message.contains("too many errors") })
    }

    @Test func longChainsDoNotRecurse() {
        var text = "workflow \"chain\" {\n owner o { capacity 1 }\n stage n0 { owner o; sla 1bd }\n"
        for i in 1..<20_000 { text += " stage n\(i) { after n\(i - 1); owner o; sla 1bd }\n" }
        text += "}\n"
        let r = Checker.check(SourceFile(path: "chain", text: text))
        #expect(r.errorCount == 0)
    }

    @Test func longPathsAreElidedInMessages() {
        // A chain of 20 one-day stages against a 5bd deadline, closed into a cycle.
        var text = "workflow \"chain\" {\n deadline 5bd\n owner o { capacity 1 }\n stage n0 { owner o; sla 1bd }\n"
        for i in 1..<20 { text += " stage n\(i) { after n\(i - 1); owner o; sla 1bd }\n" }
        text += "}\n"
        let late = Checker.check(SourceFile(path: "chain", text: text)).diagnostics.filter { $0.rule == "deadline-unreachable" }
        #expect(late.map(\.message) == ["the SLA critical path n0 -> n1 -> n2 -> n3 -> n4 -> n5 -> … 9 more … -> n15 -> n16 -> n17 -> n18 -> n19 takes 20bd, over the deadline of 5bd"])
        let cyclic = text.replacingOccurrences(of: "stage n0 { owner o", with: "stage n0 { after n19; owner o")
        let cycle = Checker.check(SourceFile(path: "cycle", text: cyclic)).diagnostics.filter { $0.rule == "dependency-cycle" }
        #expect(cycle.map(\.message) == ["dependency cycle: n0 -> n1 -> n2 -> n3 -> n4 -> n5 -> … 10 more … -> n16 -> n17 -> n18 -> n19 -> n0"])
    }
}
