import Foundation
import StagecraftSyntax
import StagecraftLanguage
import StagecraftOutput

/// `stagecraft check PATH… [--format text|json|sarif|github] [--strict] [--max-warnings N]`.
enum CheckCommand {
    static let spec = CommandSpec(
        usage: """
        Usage: stagecraft check PATH... [--format text|json|sarif|github|codequality] [--strict] [--max-warnings N]
                                [--stdin-filename NAME] [--allow-empty] [--color WHEN]
               stagecraft check --print-config FILE

        Lex, parse and validate .flow files and report every problem in one run.
        PATH is a file, a directory (every *.flow below it, skipping hidden folders and .build)
        or - for standard input (name it with --stdin-filename).
        """,
        options: [
            .format(["text", "json", "sarif", "github", "codequality"]),
            OptionSpec("strict", .flag, "warnings fail the run too (exit 1)"),
            OptionSpec("max-warnings", .value("N"), "fail when there are more than N warnings"),
            .stdinFilename,
            .allowEmpty,
            OptionSpec("color", .value("WHEN"), choices: ["auto", "always", "never"], default: "auto"),
            OptionSpec("print-config", .value("FILE"), "print the settings that apply to FILE (or - for the current folder)"),
        ],
        epilogue: """
        Formats: sarif is SARIF 2.1.0 for GitHub code scanning; github prints workflow commands
        (::error file=...,line=...::message) that GitHub Actions shows as annotations;
        codequality is a GitLab Code Quality report (artifacts: reports: codequality).

        Configuration: the nearest .stagecraft.json in the file's folder or above it (the current
        folder for standard input): {"rules": {"RULE": "error"|"warning"|"off"}, "exclude": ["glob"]}.
        Excluded files are skipped when walking a directory; a file named on the command line
        is always checked.

        Exit codes: 0 clean; 1 errors (or warnings with --strict / over --max-warnings); 2 usage or I/O
        error, or a directory PATH without .flow files (unless --allow-empty).
        """)

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try spec.parse(arguments)
        let format = try args.choice("format")
        let maxWarnings = try args.value("max-warnings").map { _ in try args.int("max-warnings", default: 0, range: 0...Int(Int32.max)) }
        if let target = args.value("print-config") {
            guard args.positional.isEmpty else {
                throw UsageError("--print-config takes the one FILE to describe; give no other PATH")
            }
            let currentDirectory = FileManager.default.currentDirectoryPath
            var lookup = ConfigurationLookup(currentDirectory: currentDirectory)
            let config = try lookup.configuration(forFile: target)
            output.stdout += config.describe(currentDirectory: currentDirectory)
            if let problems = config.problemsResult(currentDirectory: currentDirectory) {
                output.stderr += DiagnosticFormatter.text([problems], color: false)
            }
            return
        }
        guard !args.positional.isEmpty else {
            throw UsageError("check needs at least one PATH", help: "stagecraft check workflows")
        }
        let currentDirectory = FileManager.default.currentDirectoryPath
        var lookup = ConfigurationLookup(currentDirectory: currentDirectory)
        var files: [(path: String, settings: RuleSettings)] = []
        var configs: [StagecraftConfiguration] = []
        for argument in args.positional {
            let walked = try Files.flowFiles([argument])
            try Files.requireFlowFiles(in: argument, found: walked, allowEmpty: args.has("allow-empty"))
            // A file named on the command line is checked even when excluded.
            let named = walked == [argument]
            for path in walked {
                let config = try lookup.configuration(forFile: path)
                if let source = config.source, !config.problems.isEmpty, !configs.contains(where: { $0.source?.path == source.path }) {
                    configs.append(config)
                }
                if !named && config.excludes(ArtifactPath.absolute(path, from: currentDirectory)) { continue }
                files.append((path, config.settings))
            }
        }
        // Reading and checking run on all cores; results keep the order of `files`.
        let stdinName = args.value("stdin-filename") ?? "<stdin>"
        let stdin = files.contains { $0.path == "-" } ? environment.readStandardInput() : []
        let toCheck = files
        var results = try Checker.checkAll(toCheck.count, settings: { toCheck[$0].settings }) { i in
            let path = toCheck[i].path
            return path == "-" ? SourceFile(path: stdinName, bytes: stdin)
                : SourceFile(path: path, bytes: try Files.read(path))
        }
        // Problems in configuration files come first, as results of their own.
        results = configs.compactMap { $0.problemsResult(currentDirectory: currentDirectory) } + results
        switch format {
        case "json":
            output.stdout += DiagnosticFormatter.json(results)
        case "sarif":
            output.stdout += SARIFFormatter.sarif(results, currentDirectory: currentDirectory,
                                                  extraRules: [StagecraftConfiguration.ruleDescription])
        case "codequality":
            output.stdout += CodeQualityFormatter.report(results, currentDirectory: currentDirectory)
        case "github":
            output.stdout += GitHubAnnotationFormatter.annotations(results, currentDirectory: currentDirectory)
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
