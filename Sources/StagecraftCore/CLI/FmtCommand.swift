/// `stagecraft fmt PATH… [--check] [--diff] [--stdin-filename NAME]`.
enum FmtCommand {
    static let help = """
    Usage: stagecraft fmt PATH... [--check] [--diff] [--stdin-filename NAME]

    Rewrite .flow files in the one canonical layout, keeping every comment.
    PATH is a file, a directory (every *.flow below it, skipping hidden folders and .build)
    or - for standard input (the formatted text goes to standard output).
    Files are rewritten atomically (temporary file + rename, permissions kept), and only
    when their content changes; the names of rewritten files are printed.
    A file with syntax errors is reported on standard error and left untouched.

    Options:
      --check               write nothing; list the files that are not formatted, exit 1 if any
      --diff                write nothing; print a unified diff of the changes instead
                            (exit 0 unless combined with --check)
      --stdin-filename NAME the name to report for standard input

    Exit codes: 0 success; 1 --check found files to format, or a file has syntax errors;
    2 usage or I/O error.

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try ParsedArguments.parse(arguments, flags: ["check", "diff"], options: ["stdin-filename"])
        guard !args.positional.isEmpty else {
            throw UsageError("fmt needs at least one PATH", help: "stagecraft fmt workflows, or stagecraft fmt - < file.flow")
        }
        let check = args.has("check")
        let diff = args.has("diff")
        let paths = try Files.flowFiles(args.positional)
        var syntaxErrors = false
        var unformatted = false
        var ioErrors = false
        for path in paths {
            let isStdin = path == "-"
            let name = isStdin ? (args.value("stdin-filename") ?? "<stdin>") : path
            let bytes: [UInt8]
            do {
                bytes = isStdin ? environment.readStandardInput() : try Files.read(path)
            } catch let e as InputError {
                output.stderr += "stagecraft: error: \(e.message)\n"
                ioErrors = true
                continue
            }
            let result = FlowFormatter.format(SourceFile(path: name, bytes: bytes))
            guard let formatted = result.formatted else {
                let report = CheckResult(parsed: result.parsed, diagnostics: result.parsed.diagnostics, model: nil)
                output.stderr += DiagnosticFormatter.text([report], color: false)
                syntaxErrors = true
                continue
            }
            let newBytes = Array(formatted.utf8)
            let changed = newBytes != bytes
            // A formatter bug must never cost a user their file: check every change.
            if changed, let problem = verify(formatted, against: result.parsed) {
                output.stderr += "stagecraft: error: \(name): not formatted: \(problem); please report this\n"
                ioErrors = true
                continue
            }
            if diff {
                output.stdout += FormatDiff.unified(old: bytes, new: newBytes, oldName: name, newName: name)
            }
            if check || diff {
                if changed {
                    unformatted = true
                    if !diff { output.stdout += name + "\n" }
                }
                continue
            }
            if isStdin {
                output.stdout += formatted
            } else if changed {
                do {
                    try Files.writeAtomically(newBytes, to: path)
                    output.stdout += name + "\n"
                } catch let e as InputError {
                    output.stderr += "stagecraft: error: \(e.message)\n"
                    ioErrors = true
                }
            }
        }
        if ioErrors {
            output.exitCode = 2
        } else if syntaxErrors || (check && unformatted) {
            output.exitCode = 1
        }
    }

    /// Why the formatted text may not replace the input, or nil when it may: it must
    /// parse cleanly to the same tree and keep every comment.
    static func verify(_ formatted: String, against parsed: ParsedFile) -> String? {
        let again = Parser.parse(SourceFile(path: parsed.source.path, text: formatted))
        if again.hasErrors { return "the formatted text does not parse" }
        if FormatDump.dump(again.tree) != FormatDump.dump(parsed.tree) { return "the formatted text changes the meaning" }
        if again.comments.count != parsed.comments.count { return "a comment would be lost" }
        return nil
    }
}
