import StagecraftSyntax
import StagecraftLanguage
import StagecraftHistory
import StagecraftAnalysis
import StagecraftSimulation
import StagecraftOutput

/// `stagecraft report FILE -o report.html [--history LOG] [--start DATE] [--runs N] [--seed S] [--set …]`.
enum ReportCommand {
    static let help = """
    Usage: stagecraft report FILE -o report.html [--history LOG] [--start DATE]
                             [--runs N] [--seed S] [--set NAME=VALUE ...] [history options]

    Write one self-contained HTML page about the process: the process graph, the planned
    schedule as a Gantt chart with the critical path and the deadline, and a table of
    planned dates; with --history, where recorded runs spent their time (waiting vs
    processing per stage), SLA breach rates and case lead times; with --history or
    estimates in the file, a Monte Carlo forecast of the lead time (histogram and
    cumulative curve with P50/P85/P95 and the deadline). Charts are inline SVG; the page
    loads nothing and runs no scripts, so it can be attached to an email or printed (A4).

    Options:
      -o, --output FILE     where to write the page (required; a file is replaced
                            atomically, a device or pipe written through; - writes it
                            to standard output)
      --history LOG         an event log of past runs (CSV, XES or JSONL; .gz too)
      --start DATE          kickoff date, YYYY-MM-DD (default 2024-01-01, the simulator's
                            default kickoff, so the same file always gives the same page;
                            the page says which kickoff it used). Runs start at 09:00 UTC.
      --runs N              simulated runs for the forecast (default 10000)
      --seed S              random seed for the forecast (default 1); same seed, same page
      --no-forecast         leave the forecast out
      --set NAME=VALUE      give a param a value (repeatable); defaults come from the file
      --stdin-filename NAME the name to show when FILE is -

    \(HistoryCLIOptions.help)
    Exit codes: 0 written; 1 the file has errors (shown on stderr); 2 usage or I/O error.

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try ParsedArguments.parse(
            arguments, flags: ["no-forecast"] + HistoryCLIOptions.flags,
            options: ["output", "start", "set", "stdin-filename", "history", "runs", "seed"] + HistoryCLIOptions.valueOptions,
            aliases: ["o": "output"])
        guard args.positional.count == 1, let path = args.positional.first else {
            throw UsageError(args.positional.isEmpty ? "report needs a FILE" : "report takes one FILE",
                             help: "stagecraft report launch.flow -o report.html")
        }
        guard let out = args.value("output"), !out.isEmpty else {
            throw UsageError("report needs -o FILE to write the page to", help: "stagecraft report \(path) -o report.html")
        }
        let givenStart = try args.date("start", help: "--start 2026-12-01")
        let start = givenStart ?? ReportBuilder.defaultStart
        let startGiven = givenStart != nil
        let runs = try args.int("runs", default: 10_000, range: 1...1_000_000)
        let seed = try args.seed()
        let historyOptions = try HistoryCLIOptions.options(from: args)
        if args.value("history") == nil,
           let stray = (HistoryCLIOptions.valueOptions.filter { args.value($0) != nil }
                        + HistoryCLIOptions.flags.filter { args.has($0) }).first {
            throw UsageError("--\(stray) needs --history LOG")
        }
        if path == "-" && args.value("history") == "-" {
            throw UsageError("FILE and --history cannot both be standard input")
        }

        guard let (result, model) = try WorkflowInput.load(path, stdinName: args.value("stdin-filename"), verb: "reporting on it",
                                                            environment: environment, output: &output) else { return }
        let name = result.source.path
        let overrides = try ParamOverrides.parse(args.values("set"), model: model)
        let values = model.paramValues(overrides: overrides)
        var document = ReportBuilder.document(
            model: model, source: result.source, sourceName: name, values: values, overrides: overrides,
            start: start, startGiven: startGiven)

        var log: EventLog?
        var recordedCases: Int?
        if let historyPath = args.value("history") {
            let read = try HistoryCLIOptions.readLog(historyPath, options: historyOptions, environment: environment)
            log = read
            let replay = Replay.run(model: model, log: read)
            recordedCases = replay.caseCount
            var history = ReportBuilder.historySection(replay: replay, model: model, log: read)
            if read.skipped.count > 0 {
                history.notes.append("\(read.skipped.count) malformed row\(read.skipped.count == 1 ? " was" : "s were") skipped.")
            }
            document.history = history
            document.notes.append("History: \(historyPath).")
        }

        let skipped = model.skipped(values: values)
        let hasEstimates = model.nodes.indices.contains { !skipped[$0] && model.nodes[$0].estimate != nil }
        if !args.has("no-forecast") && !model.nodes.isEmpty && (log != nil || hasEstimates) {
            let built = PlanBuilder.build(model: model, values: values,
                                          calibration: log.map { HistoryCalibration(log: $0, model: model) })
            let kickoff = Double(start.dayNumber) * secondsPerDay + 9 * 3600
            let simulation: SimulationResult
            do {
                simulation = try Simulator.simulate(built.plan, options: SimulationOptions(runs: runs, seed: seed, start: kickoff))
            } catch {
                throw InputError("cannot simulate: \(error.description)")
            }
            document.forecast = ReportBuilder.forecastSection(
                result: simulation, model: model, values: values,
                notes: ["\(runs) runs with seed \(seed), kickoff \(start) 09:00 UTC; the same seed gives the same forecast."]
                    + ReportBuilder.provenanceNotes(built),
                sample: ReportBuilder.forecastSampleNote(built: built, recordedCases: recordedCases, model: model))
            // The first screen leads with the forecast; the plan's dates move to the details.
            document.details = document.facts + document.details
            let plan = Schedule(model: model, start: start, values: values, source: result.source)
            document.facts = ReportBuilder.headlineFacts(result: simulation, model: model, built: built,
                                                         recordedCases: recordedCases,
                                                         deadlineDate: plan?.deadline.map { CivilDate(dayNumber: $0) })
        }
        if document.history != nil || document.forecast != nil { document.notes.insert(ReportText.unitNote, at: 0) }

        let html = HTMLReport.render(document)
        if out == "-" {
            output.stdout += html
        } else {
            try Files.write(Array(html.utf8), to: out)
            output.stderr += "stagecraft: wrote \(out)\n"
        }
    }
}

extension ReportBuilder {
    /// The page for a checked workflow without history or forecast: header facts, process
    /// graph and plan. `report` adds the other sections.
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
            details: structureFacts(model: model),
            notes: notes,
            graph: graphNodes(model: model, skipped: skipped, critical: critical),
            plan: schedule.map { planSection(model: model, schedule: $0) })
    }
}
