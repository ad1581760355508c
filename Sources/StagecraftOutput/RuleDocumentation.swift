import StagecraftSyntax
import StagecraftLanguage

/// Documentation of the lint rules, generated from each rule's `RuleDescription`: the same
/// examples `RuleExampleTests` runs, so what `explain`, the README table and SARIF help
/// say cannot drift from what `check` does.
public enum RuleDocumentation {
    /// The file name the examples are checked under.
    public static let exampleFileName = "example.flow"
    /// The markers around the generated rule table in README.md.
    public static let tableBegin = "<!-- rules:begin -->"
    public static let tableEnd = "<!-- rules:end -->"

    /// The first triggering example, with its markers removed.
    public static func wrongExample(_ rule: RuleDescription) -> String? {
        rule.triggering.first?.text
    }

    /// The first non-triggering example.
    public static func rightExample(_ rule: RuleDescription) -> String? {
        rule.nonTriggering.first?.text
    }

    /// What `stagecraft check` prints for a source text (text format, no colour, no summary).
    public static func checkOutput(_ source: String) -> String {
        DiagnosticFormatter.text([Checker.check(SourceFile(path: exampleFileName, text: source))], color: false)
    }

    /// The full `stagecraft explain RULE` text.
    public static func text(for rule: RuleDescription) -> String {
        var out = "\(rule.id) (\(rule.severity.rawValue) by default)\n\n"
        out += wrap(rule.summary, indent: "") + "\n"
        out += "Why it matters:\n" + wrap(rule.rationale, indent: "  ") + "\n"
        if let wrong = wrongExample(rule) {
            out += "Wrong:\n" + indented(wrong, by: "    ") + "\n"
            out += "  stagecraft check \(exampleFileName) reports:\n" + indented(checkOutput(wrong), by: "    ") + "\n"
        }
        if let right = rightExample(rule) {
            out += "Right:\n" + indented(right, by: "    ") + "\n"
        }
        if rule.id == SyntaxRule.description.id {
            out += "Syntax errors are always errors; .stagecraft.json cannot turn them down.\n"
        } else {
            out += "Configure it in .stagecraft.json: {\"rules\": {\"\(rule.id)\": \"error\" | \"warning\" | \"off\"}}\n"
        }
        return out
    }

    /// The same content as Markdown (used as SARIF `help.markdown`).
    public static func markdown(for rule: RuleDescription) -> String {
        var out = "**\(rule.id)** (\(rule.severity.rawValue) by default): \(rule.summary)\n\n\(rule.rationale)\n"
        if let wrong = wrongExample(rule) {
            out += "\nWrong:\n\n```\n\(wrong)\n```\n\n`stagecraft check` reports:\n\n```\n\(checkOutput(wrong))```\n"
        }
        if let right = rightExample(rule) {
            out += "\nRight:\n\n```\n\(right)\n```\n"
        }
        return out
    }

    /// `explain --list`: every rule with its default severity and summary, aligned.
    public static func list() -> String {
        let rules = RuleRegistry.all.map { $0.description }
        let idWidth = (rules.map(\.id.count).max() ?? 0) + 2
        let severityWidth = (Severity.allCases.map(\.rawValue.count).max() ?? 0) + 2
        return rules.map { r in
            r.id.padding(idWidth) + r.severity.rawValue.padding(severityWidth) + r.summary + "\n"
        }.joined()
    }

    /// The README's rule table, Markdown, one row per rule in `RuleRegistry` order.
    public static func markdownTable() -> String {
        var out = "| Rule | Default | What it checks |\n| --- | --- | --- |\n"
        for r in RuleRegistry.all.map({ $0.description }) {
            out += "| `\(r.id)` | \(r.severity.rawValue) | \(r.summary.replacingOccurrences(of: "|", with: "\\|")) |\n"
        }
        return out
    }

    /// The text between the rule-table markers of a README, or nil when a marker is missing.
    public static func readmeTable(in readme: String) -> String? {
        guard let begin = readme.range(of: tableBegin), let end = readme.range(of: tableEnd),
              begin.upperBound <= end.lowerBound else { return nil }
        var table = String(readme[begin.upperBound..<end.lowerBound])
        while table.hasPrefix("\n") { table.removeFirst() }
        return table
    }

    /// `readme` with the text between the markers replaced by the current table.
    public static func updatingReadme(_ readme: String) -> String? {
        guard let begin = readme.range(of: tableBegin), let end = readme.range(of: tableEnd),
              begin.upperBound <= end.lowerBound else { return nil }
        return String(readme[..<begin.upperBound]) + "\n" + markdownTable() + String(readme[end.lowerBound...])
    }

    static func indented(_ text: String, by prefix: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.isEmpty ? "\n" : prefix + $0 + "\n" }.joined()
    }

    /// Greedy word wrap at 80 columns, each line prefixed by `indent`.
    package static func wrap(_ text: String, indent: String, width: Int = 80) -> String {
        var out = ""
        var line = indent
        for word in text.split(separator: " ") {
            if line.count > indent.count && line.count + 1 + word.count > width {
                out += line + "\n"
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + word
        }
        if line.count > indent.count { out += line + "\n" }
        return out
    }
}
