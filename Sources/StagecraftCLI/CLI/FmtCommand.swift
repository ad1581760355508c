import StagecraftSyntax
import StagecraftLanguage
import StagecraftOutput

/// `stagecraft fmt PATH… [--check] [--diff] [--stdin-filename NAME]`.
enum FmtCommand {
    static let spec = CommandSpec(
        usage: """
        Usage: stagecraft fmt PATH... [--check] [--diff] [--stdin-filename NAME] [--allow-empty]

        Rewrite .flow files in the one canonical layout, keeping every comment.
        PATH is a file, a directory (every *.flow below it, skipping hidden folders and .build)
        or - for standard input (the formatted text goes to standard output).
        Files are rewritten atomically (temporary file + rename, permissions kept), and only
        when their content changes; the names of rewritten files are printed.
        A file with syntax errors is reported on standard error and left untouched.
        """,
        options: [
            OptionSpec("check", .flag, "write nothing; list the files that are not formatted, exit 1 if any"),
            OptionSpec("diff", .flag,
                       "write nothing; print a unified diff of the changes instead (exit 0 unless combined with --check)"),
            .stdinFilename,
            .allowEmpty,
        ],
        epilogue: """
        Exit codes: 0 success; 1 --check found files to format, or a file has syntax errors;
        2 usage or I/O error, or a directory PATH without .flow files (unless --allow-empty).
        """)

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try spec.parse(arguments)
        guard !args.positional.isEmpty else {
            throw UsageError("fmt needs at least one PATH", help: "stagecraft fmt workflows, or stagecraft fmt - < file.flow")
        }
        let check = args.has("check")
        let diff = args.has("diff")
        var walked: [String] = []
        for argument in args.positional {
            let found = try Files.flowFiles([argument])
            try Files.requireFlowFiles(in: argument, found: found, allowEmpty: args.has("allow-empty"))
            walked += found
        }
        let paths = walked
        var syntaxErrors = false
        var unformatted = false
        var ioErrors = false
        let stdinName = args.value("stdin-filename") ?? "<stdin>"
        let stdin = paths.contains("-") ? environment.readStandardInput() : []
        // Reading, formatting and verifying run on all cores; output and writes follow in order.
        let outcomes = concurrentMap(paths.count) { i -> FileOutcome in
            let path = paths[i]
            let name = path == "-" ? stdinName : path
            let bytes: [UInt8]
            do {
                bytes = path == "-" ? stdin : try Files.read(path)
            } catch {
                return .unreadable(name: name, message: (error as? InputError)?.message ?? "\(error)")
            }
            let result = FlowFormatter.format(SourceFile(path: name, bytes: bytes))
            guard let formatted = result.formatted else {
                return .syntaxErrors(CheckResult(parsed: result.parsed, diagnostics: result.parsed.diagnostics, model: nil))
            }
            let newBytes = Array(formatted.utf8)
            let changed = newBytes != bytes
            // A formatter bug must never cost a user their file: check every change.
            if changed, let problem = verify(formatted, against: result.parsed) {
                return .unsafe(name: name, problem: problem)
            }
            return .formatted(name: name, old: bytes, new: newBytes, changed: changed)
        }
        for (path, outcome) in zip(paths, outcomes) {
            switch outcome {
            case .unreadable(_, let message):
                output.stderr += "stagecraft: error: \(message)\n"
                ioErrors = true
            case .syntaxErrors(let report):
                output.stderr += DiagnosticFormatter.text([report], color: false)
                syntaxErrors = true
            case .unsafe(let name, let problem):
                output.stderr += "stagecraft: error: \(name): not formatted: \(problem); please report this\n"
                ioErrors = true
            case .formatted(let name, let bytes, let newBytes, let changed):
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
                if path == "-" {
                    output.stdout += String(decoding: newBytes, as: UTF8.self)
                } else if changed {
                    do {
                        try Files.write(newBytes, to: path)
                        output.stdout += name + "\n"
                    } catch let e as InputError {
                        output.stderr += "stagecraft: error: \(e.message)\n"
                        ioErrors = true
                    }
                }
            }
        }
        if ioErrors {
            output.exitCode = 2
        } else if syntaxErrors || (check && unformatted) {
            output.exitCode = 1
        }
    }

    /// What formatting one file came to.
    enum FileOutcome: Sendable {
        case unreadable(name: String, message: String)
        case syntaxErrors(CheckResult)
        case unsafe(name: String, problem: String)
        case formatted(name: String, old: [UInt8], new: [UInt8], changed: Bool)
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
