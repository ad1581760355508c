import StagecraftLanguage
import StagecraftOutput

/// `stagecraft explain RULE | --list | --markdown-table`.
enum ExplainCommand {
    static let spec = CommandSpec(
        usage: """
        Usage: stagecraft explain RULE
               stagecraft explain --list
               stagecraft explain --markdown-table

        Describe a rule: what it checks, why it matters, its default severity, a wrong example
        with what 'stagecraft check' reports on it, and a right example. The examples are the
        rule's own tests.
        """,
        options: [
            OptionSpec("list", .flag, "every rule with its default severity and summary"),
            OptionSpec("markdown-table", .flag, "the rule table of README.md (between <!-- rules:begin/end -->)"),
        ],
        epilogue: "")

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try spec.parse(arguments)
        if args.has("list") {
            output.stdout += RuleDocumentation.list()
            return
        }
        if args.has("markdown-table") {
            output.stdout += RuleDocumentation.markdownTable()
            return
        }
        let id = try args.file(of: "explain", "RULE", example: "stagecraft explain --list lists every rule")
        guard let rule = RuleRegistry.descriptions[id] else {
            throw UsageError("unknown rule '\(id)'",
                             help: didYouMean(id, in: RuleRegistry.ids) ?? "stagecraft explain --list lists every rule")
        }
        output.stdout += RuleDocumentation.text(for: rule)
    }
}
