import StagecraftSyntax
import StagecraftLanguage
import StagecraftHistory
import StagecraftAnalysis
import StagecraftSimulation
import StagecraftOutput

/// `stagecraft report FILE -o report.html [--history LOG] [--start DATE] [--runs N] [--seed S] [--set …]`.
enum ReportCommand {
    static let runs = SimulationCLIOptions.Runs(standard: SimulationOptions().runs, max: 1_000_000,
                                                about: "simulated runs for the forecast")

    static let spec = CommandSpec(
        usage: """
        Usage: stagecraft report FILE -o report.html [--history LOG] [--start DATE]
                                 [--runs N] [--seed S] [--set NAME=VALUE ...] [history options]

        Write one self-contained HTML page about the process: the process graph, the planned
        schedule as a Gantt chart with the critical path and the deadline, and a table of
        planned dates; with --history, where recorded runs spent their time (waiting vs
        processing per stage), SLA breach rates and case lead times; with --history or
        estimates in the file, a Monte Carlo forecast of the lead time (histogram and
        cumulative curve with P50/P85/P95 and the deadline). Charts are inline SVG; the page
        loads nothing and runs no scripts, so it can be attached to an email or printed (A4).
        """,
        options: [
            OptionSpec("output", short: "o", .value("FILE"), """
                where to write the page (required; a file is replaced atomically, a device or pipe written \
                through; - writes it to standard output)
                """),
            OptionSpec("history", .value("LOG"), "an event log of past runs (CSV, XES or JSONL; .gz too)"),
            SimulationCLIOptions.start("""
                kickoff date, YYYY-MM-DD (default \(ReportBuilder.defaultStart), the simulator's default kickoff, \
                so the same file always gives the same page; the page says which kickoff it used). Runs start \
                at 09:00 UTC.
                """),
            runs.spec,
            SimulationCLIOptions.seed,
            OptionSpec("no-forecast", .flag, "leave the forecast out"),
            SimulationCLIOptions.set("defaults come from the file"),
            .stdinFilename,
        ],
        groups: [HistoryCLIOptions.group],
        epilogue: "Exit codes: 0 written; 1 the file has errors (shown on stderr); 2 usage or I/O error.")

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try spec.parse(arguments)
        let path = try args.file(of: "report", example: "stagecraft report launch.flow -o report.html")
        guard let out = args.value("output"), !out.isEmpty else {
            throw UsageError("report needs -o FILE to write the page to", help: "stagecraft report \(path) -o report.html")
        }
        let givenStart = try SimulationCLIOptions.start(in: args)
        let start = givenStart ?? ReportBuilder.defaultStart
        let startGiven = givenStart != nil
        let runs = try Self.runs.value(in: args)
        let seed = try args.seed()
        let historyOptions = try HistoryCLIOptions.options(from: args, requireLog: true)
        let historyLog = try args.history(file: path)

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
        if let historyPath = historyLog {
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
            let kickoff = SimulationCLIOptions.kickoff(start)
            let simulation = try WorkflowInput.simulating {
                try Simulator.simulate(built.plan, options: SimulationOptions(runs: runs, seed: seed, start: kickoff))
            }
            document.forecast = ReportBuilder.forecastSection(
                result: simulation, model: model, values: values,
                notes: ["\(runs) runs with seed \(seed), kickoff \(start) 09:00 UTC; the same seed gives the same forecast."]
                    + ReportBuilder.provenanceNotes(built),
                sample: ReportBuilder.forecastSampleNote(built: built, recordedCases: recordedCases, model: model))
            // The first screen leads with the forecast; the plan's dates move to the details.
            document.details = document.facts + document.details
            document.facts = ReportBuilder.headlineFacts(result: simulation, model: model, built: built,
                                                         recordedCases: recordedCases, deadlineDate: document.plan?.gantt.deadline)
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
