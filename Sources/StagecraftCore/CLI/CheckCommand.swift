/// `stagecraft check PATH… [--format text|json|sarif|github] [--strict] [--max-warnings N]`.
enum CheckCommand {
    static let help = """
    Usage: stagecraft check PATH... [--format text|json|sarif|github] [--strict] [--max-warnings N]
                            [--stdin-filename NAME]

    Lex, parse and validate .flow files and report every problem in one run.
    PATH is a file, a directory (every *.flow below it, skipping hidden folders and .build)
    or - for standard input (name it with --stdin-filename).

    Options:
      --format FORMAT       text (default), json, sarif or github
      --strict              warnings fail the run too (exit 1)
      --max-warnings N      fail when there are more than N warnings
      --stdin-filename NAME the name to report for standard input

    Exit codes: 0 clean; 1 errors (or warnings with --strict / over --max-warnings); 2 usage or I/O error.

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try ParsedArguments.parse(arguments, flags: ["strict"],
                                             options: ["format", "max-warnings", "stdin-filename", "print-config"])
        let format = args.value("format") ?? "text"
        guard ["text", "json", "sarif", "github"].contains(format) else {
            throw UsageError("unknown format '\(format)'", help: "use text, json, sarif or github")
        }
        let maxWarnings = try args.value("max-warnings").map { _ in try args.int("max-warnings", default: 0, range: 0...Int(Int32.max)) }
        guard !args.positional.isEmpty else {
            throw UsageError("check needs at least one PATH", help: "stagecraft check workflows")
        }
        let paths = try Files.flowFiles(args.positional)
        let stdinName = args.value("stdin-filename") ?? "<stdin>"
        let stdin = paths.contains("-") ? environment.readStandardInput() : []
        let results = try Checker.checkAll(paths.count) { i in
            paths[i] == "-" ? SourceFile(path: stdinName, bytes: stdin) : SourceFile(path: paths[i], bytes: try Files.read(paths[i]))
        }
        switch format {
        case "json":
            output.stdout += DiagnosticFormatter.json(results)
        default:
            output.stdout += DiagnosticFormatter.text(results, color: environment.useColor)
            output.stdout += DiagnosticFormatter.summary(results)
        }
        let errors = results.reduce(0) { $0 + $1.errorCount }
        let warnings = results.reduce(0) { $0 + $1.warningCount }
        if errors > 0 || (args.has("strict") && warnings > 0) || (maxWarnings.map { warnings > $0 } ?? false) {
            output.exitCode = 1
        }
    }
}
