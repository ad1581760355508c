import StagecraftLanguage
import StagecraftOutput

/// `stagecraft explain RULE | --list | --markdown-table`.
enum ExplainCommand {
    static let help = """
    Usage: stagecraft explain RULE
           stagecraft explain --list
           stagecraft explain --markdown-table

    Describe a rule: what it checks, why it matters, its default severity, a wrong example
    with what 'stagecraft check' reports on it, and a right example. The examples are the
    rule's own tests.

    Options:
      --list            every rule with its default severity and summary
      --markdown-table  the rule table of README.md (between <!-- rules:begin/end -->)

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try ParsedArguments.parse(arguments, flags: ["list", "markdown-table"], options: [])
        if args.has("list") {
            output.stdout += RuleDocumentation.list()
            return
        }
        if args.has("markdown-table") {
            output.stdout += RuleDocumentation.markdownTable()
            return
        }
        guard args.positional.count == 1, let id = args.positional.first else {
            throw UsageError(args.positional.isEmpty ? "explain needs a RULE" : "explain takes one RULE",
                             help: "stagecraft explain --list lists every rule")
        }
        guard let rule = RuleRegistry.descriptions[id] else {
            throw UsageError("unknown rule '\(id)'",
                             help: closestName(to: id, in: RuleRegistry.ids).map { "did you mean '\($0)'?" }
                                 ?? "stagecraft explain --list lists every rule")
        }
        output.stdout += RuleDocumentation.text(for: rule)
    }
}
