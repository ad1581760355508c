/// `stagecraft history inspect LOG` and `stagecraft history draft LOG [-o FILE]`.
enum HistoryCommand {
    static let help = """
    Usage: stagecraft history inspect LOG [history options]
           stagecraft history draft LOG [-o FILE] [history options]

    inspect  Read an event log and report how it was read: format, columns chosen, timestamp
             layouts, cases, events, occurrences, resources, lifecycle values, duplicates,
             skipped rows, and the activities with their event counts.
    draft    Write a starting .flow file from the log: one stage per frequent activity (at
             least 1% of the events, at most 30), `after` edges from the dominant order,
             `matches` filled in, SLAs at the observed p85 of sojourn, owners from the
             resources. Written to FILE (see "Writing files" in the README), or to standard
             output without -o or with -o -.

    LOG is a CSV, XES or JSON Lines file (optionally .gz), or - for standard input.

    Options:
      -o, --output FILE     draft: where to write the .flow file (- for standard output)

    \(HistoryCLIOptions.help)
    Exit codes: 0 success; 1 the draft did not pass check; 2 usage error, unreadable file or
    malformed log row.

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        guard let action = arguments.first else {
            throw UsageError("history needs an action: inspect or draft", help: "stagecraft history inspect runs.csv")
        }
        guard action == "inspect" || action == "draft" else {
            throw UsageError("unknown history action '\(action)'",
                             help: closestName(to: action, in: ["inspect", "draft"]).map { "did you mean '\($0)'?" }
                                 ?? "use inspect or draft")
        }
        let extra = action == "draft" ? ["output"] : []
        let args = try ParsedArguments.parse(Array(arguments.dropFirst()), flags: HistoryCLIOptions.flags,
                                             options: extra + HistoryCLIOptions.valueOptions, aliases: ["o": "output"])
        guard args.positional.count == 1, let path = args.positional.first else {
            throw UsageError(args.positional.isEmpty ? "history \(action) needs a LOG" : "history \(action) takes one LOG")
        }
        let options = try HistoryCLIOptions.options(from: args)
        let log = try HistoryCLIOptions.readLog(path, options: options, environment: environment)
        if action == "inspect" {
            output.stdout += inspect(log).render() + "\n"
            return
        }
        guard log.occurrenceCount > 0 else {
            throw InputError("\(path): no completed events to draft from")
        }
        let text = HistoryDraft.draft(log: log, name: path == "-" ? "standard input" : path)
        let target = args.value("output")
        let checked = Checker.check(SourceFile(path: target.flatMap { $0 == "-" ? nil : $0 } ?? "<draft>", text: text))
        if checked.errorCount > 0 {
            // Never write a draft that does not check; show what went wrong.
            output.stderr += DiagnosticFormatter.text([checked], color: false)
            output.stderr += "stagecraft: error: the drafted file does not pass check (please report this)\n"
            output.exitCode = 1
            return
        }
        if let target, target != "-" {
            try Files.write(Array(text.utf8), to: target)
            output.stderr += "wrote \(target): \(checked.model?.nodes.count ?? 0) stages from \(log.cases.count) cases\n"
        } else {
            output.stdout += text
        }
    }
}
