/// `stagecraft report FILE -o report.html [--start DATE] [--set NAME=VALUE …]`.
enum ReportCommand {
    static let help = """
    Usage: stagecraft report FILE -o report.html [--start DATE] [--set NAME=VALUE ...]

    Write one self-contained HTML page about the process: the process graph, the planned
    schedule as a Gantt chart with the critical path and the deadline, and a table of
    planned dates. Charts are inline SVG; the page loads nothing and runs no scripts, so
    it can be attached to an email or printed (A4).

    Options:
      -o, --output FILE     where to write the page (required; replaced atomically)
      --start DATE          kickoff date, YYYY-MM-DD (default 2024-01-01, the simulator's
                            default kickoff, so the same file always gives the same page;
                            the page says which kickoff it used)
      --set NAME=VALUE      give a param a value (repeatable); defaults come from the file
      --stdin-filename NAME the name to show when FILE is -

    Exit codes: 0 written; 1 the file has errors (shown on stderr); 2 usage or I/O error.

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try ParsedArguments.parse(arguments, flags: [], options: ["output", "start", "set", "stdin-filename"],
                                             aliases: ["o": "output"])
        guard args.positional.count == 1, let path = args.positional.first else {
            throw UsageError(args.positional.isEmpty ? "report needs a FILE" : "report takes one FILE",
                             help: "stagecraft report launch.flow -o report.html")
        }
        guard let out = args.value("output"), !out.isEmpty else {
            throw UsageError("report needs -o FILE to write the page to", help: "stagecraft report \(path) -o report.html")
        }
        var start = ReportBuilder.defaultStart
        let startGiven = args.value("start") != nil
        if let s = args.value("start") {
            guard let date = CivilDate.parse(s) else {
                throw UsageError("--start takes a date as YYYY-MM-DD, not '\(s)'", help: "--start 2026-12-01")
            }
            start = date
        }
        let name = path == "-" ? (args.value("stdin-filename") ?? "<stdin>") : path
        let bytes = path == "-" ? environment.readStandardInput() : try Files.read(path)
        let result = Checker.check(SourceFile(path: name, bytes: bytes))
        guard result.errorCount == 0, let model = result.model else {
            output.stderr += DiagnosticFormatter.text(result.errorCount == 0 ? [] : [result], color: false)
            if result.errorCount == 0 { output.stderr += "stagecraft: error: \(name) holds no workflow\n" }
            output.exitCode = 1
            return
        }
        let overrides = try ParamOverrides.parse(args.values("set"), model: model)
        let values = model.paramValues(overrides: overrides)
        let document = ReportBuilder.document(
            model: model, source: result.source, sourceName: name, values: values, overrides: overrides,
            start: start, startGiven: startGiven)
        try Files.writeAtomically(Array(HTMLReport.render(document).utf8), to: out)
        output.stderr += "stagecraft: wrote \(out)\n"
    }
}

extension ReportBuilder {
    /// The whole page for a checked workflow: header facts, process graph and plan.
    public static func document(model: WorkflowModel, source: SourceFile, sourceName: String, values: [String: Value],
                                overrides: [String: Value], start: CivilDate, startGiven: Bool) -> ReportDocument {
        let schedule = Schedule(model: model, start: start, values: values, source: source)
        let skipped = model.skipped(values: values)
        var notes: [String] = []
        if !startGiven {
            notes.append("Planned from the default kickoff \(start); pass --start DATE to plan from another day.")
        }
        if !model.params.isEmpty {
            let shown = model.params.map { p -> String in
                let v = values[p.name.name].map(\.description) ?? "unset"
                return "\(p.name.name) = \(v)" + (overrides[p.name.name] != nil ? " (--set)" : "")
            }
            notes.append("Params: " + shown.joined(separator: ", ") + ".")
        }
        let critical = Set(schedule?.criticalPath ?? [])
        return ReportDocument(
            title: model.workflow.title?.value ?? "Workflow",
            description: model.workflow.descriptionText?.value,
            source: sourceName,
            facts: workflowFacts(model: model, schedule: schedule),
            notes: notes,
            graph: graphNodes(model: model, skipped: skipped, critical: critical),
            plan: schedule.map { planSection(model: model, schedule: $0) })
    }
}
