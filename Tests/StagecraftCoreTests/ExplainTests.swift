import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftOutput
@testable import StagecraftCLI

@Suite struct ExplainTests {
    static let ids = RuleRegistry.ids

    /// Every rule explains itself from its own examples, and the wrong example really
    /// triggers the rule in the output shown.
    @Test(arguments: ids)
    func explainEveryRule(_ id: String) throws {
        let rule = try #require(RuleRegistry.descriptions[id])
        let out = runCLI(["explain", id])
        #expect(out.exitCode == 0)
        #expect(out.stderr == "")
        let text = out.stdout
        #expect(text.hasPrefix("\(id) (\(rule.severity.rawValue) by default)\n\n"))
        let words = { (s: String) in s.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ") }
        #expect(words(text).contains(words(rule.summary)))
        #expect(words(text).contains(words(rule.rationale)))
        let wrong = try #require(rule.triggering.first).text
        let right = try #require(rule.nonTriggering.first).text
        #expect(!wrong.contains("↓"))
        #expect(text.contains("Wrong:\n" + RuleDocumentation.indented(wrong, by: "    ")))
        #expect(text.contains("Right:\n" + RuleDocumentation.indented(right, by: "    ")))
        let report = DiagnosticFormatter.text([Checker.check(SourceFile(path: "example.flow", text: wrong))], color: false)
        #expect(report.contains("[\(id)]\n"), "the wrong example must show the rule firing")
        #expect(text.contains("  stagecraft check example.flow reports:\n" + RuleDocumentation.indented(report, by: "    ")))
    }

    @Test func goldenSelfApproval() {
        expectGolden(runCLI(["explain", "self-approval"]).stdout, "explain/self-approval.txt")
    }

    @Test func list() {
        let out = runCLI(["explain", "--list"])
        #expect(out.exitCode == 0)
        let lines = out.stdout.split(separator: "\n")
        #expect(lines.count == RuleRegistry.all.count)
        #expect(lines.first == "syntax                    error    The file must follow the .flow grammar.")
        #expect(lines.contains("missing-sla               warning  A stage or gate has no `sla`."))
        // Aligned: every summary starts in the same column.
        let column = "syntax                    error    ".count
        for (line, id) in zip(lines, RuleRegistry.ids) {
            #expect(line.hasPrefix(id))
            #expect(line.dropFirst(column).first != " ")
            #expect(line.prefix(column).hasSuffix("  "))
        }
    }

    @Test func unknownRuleIsAUsageErrorWithASuggestion() {
        let out = runCLI(["explain", "self-aproval"])
        #expect(out.exitCode == 2)
        #expect(out.stdout == "")
        #expect(out.stderr == "stagecraft: error: unknown rule 'self-aproval'\nhelp: did you mean 'self-approval'?\n")
        let far = runCLI(["explain", "zzzzzzzzzz"])
        #expect(far.exitCode == 2)
        #expect(far.stderr.contains("help: stagecraft explain --list lists every rule"))
        #expect(runCLI(["explain"]).exitCode == 2)
        #expect(runCLI(["explain", "syntax", "missing-sla"]).exitCode == 2)
    }

    @Test func readmeRuleTableIsCurrent() throws {
        let readme = String(decoding: try Files.read(repositoryRoot + "/README.md"), as: UTF8.self)
        let table = try #require(RuleDocumentation.readmeTable(in: readme),
                                 "README.md needs \(RuleDocumentation.tableBegin) and \(RuleDocumentation.tableEnd) around the rule table")
        #expect(table == RuleDocumentation.markdownTable(),
                "README.md's rule table is stale: replace the lines between the rules markers with the output of `swift run stagecraft explain --markdown-table`")
        #expect(RuleDocumentation.updatingReadme(readme) == readme)
    }

    @Test func markdownTableHasOneRowPerRule() {
        let table = runCLI(["explain", "--markdown-table"]).stdout
        #expect(table == RuleDocumentation.markdownTable())
        let rows = table.split(separator: "\n")
        #expect(rows.count == RuleRegistry.all.count + 2)
        #expect(rows[2] == "| `syntax` | error | The file must follow the .flow grammar. |")
        #expect(RuleDocumentation.updatingReadme("a\n<!-- rules:begin -->\nold\n<!-- rules:end -->\nb\n")
                == "a\n<!-- rules:begin -->\n" + table + "<!-- rules:end -->\nb\n")
    }
}
