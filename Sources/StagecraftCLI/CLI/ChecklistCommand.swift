import StagecraftLanguage
import StagecraftOutput

/// `stagecraft checklist FILE --start DATE [--set NAME=VALUE…] [--format markdown|json|csv|ics]`.
enum ChecklistCommand {
    static let formats = ["markdown", "json", "csv", "ics"]

    static let spec = CommandSpec(
        usage: """
        Usage: stagecraft checklist FILE --start DATE [--set NAME=VALUE]... [--format markdown|json|csv|ics]
                                    [--stdin-filename NAME]

        Print the launch plan: every node in dependency order with its owner or approvers,
        quorum, planned start and due date, SLA and checklist items as task-list lines, the
        critical path marked, and skipped nodes with the condition that skipped them.

        Dates are forward-scheduled from --start in whole days on the workflow calendar:
        bd SLAs skip weekends and holidays, d/w SLAs count calendar days, h/m round up to a
        day; a node without an SLA uses its estimate's likely value; an owner works on at most
        `capacity` nodes at once. FILE may be - for standard input.
        """,
        options: [
            SimulationCLIOptions.start("the kickoff date, YYYY-MM-DD (required)"),
            SimulationCLIOptions.set(),
            .format(formats, """
                markdown is GitHub task lists, csv RFC 4180, ics iCalendar (one all-day event per due date)
                """),
            .stdinFilename,
        ],
        epilogue: "Exit codes: 0 success; 1 the file has errors (printed to stderr); 2 usage or I/O error.")

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try spec.parse(arguments)
        let format = try args.choice("format")
        let path = try args.file(of: "checklist", example: "stagecraft checklist launch.flow --start 2026-12-21")
        guard let start = try SimulationCLIOptions.start(in: args) else {
            throw UsageError("checklist needs --start DATE", help: "give the kickoff date, as in --start 2026-12-21")
        }
        guard let (result, model) = try WorkflowInput.load(path, stdinName: args.value("stdin-filename"), verb: "planning it",
                                                            environment: environment, output: &output) else { return }
        let overrides = try ParamOverrides.parse(args.values("set"), model: model)
        guard let schedule = Schedule(model: model, start: start, values: model.paramValues(overrides: overrides),
                                      source: result.source) else {
            // `check` reports cycles as errors, so this is only a safety net.
            output.stderr += "\(result.source.path): the dependency graph has a cycle\n"
            output.exitCode = 1
            return
        }
        let plan = ChecklistPlan(model: model, schedule: schedule)
        switch format {
        case "json": output.stdout += ChecklistFormatter.json(plan)
        case "csv": output.stdout += ChecklistFormatter.csv(plan)
        case "ics": output.stdout += ChecklistFormatter.ics(plan)
        default: output.stdout += ChecklistFormatter.markdown(plan)
        }
    }
}
