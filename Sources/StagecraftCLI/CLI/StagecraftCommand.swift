import StagecraftSyntax
import StagecraftLanguage

/// The `stagecraft` command line: parses the subcommand and runs it.
///
/// The executable target only forwards `CommandLine.arguments` and the process streams
/// here; everything else lives in the library so it can be tested.
public enum StagecraftCommand {
    /// The version `--version` prints (`StagecraftVersion.number`).
    public static let version = StagecraftVersion.number
    /// The project's home page, the base of every documentation link the tool prints.
    public static let homepage = StagecraftVersion.homepage

    /// The subcommands, with their one-line summaries, in `--help` order.
    static let subcommands: [(name: String, summary: String)] = [
        ("check", "Lex, parse and validate .flow files"),
        ("fmt", "Rewrite .flow files in the canonical layout"),
        ("explain", "Describe a rule, with a wrong and a right example"),
        ("graph", "Print the process as a Mermaid or Graphviz graph"),
        ("checklist", "Print the launch plan as a checklist or calendar"),
        ("replay", "Run the process against recorded history"),
        ("history", "Inspect an event log, or draft a .flow file from it"),
        ("simulate", "Forecast the completion date by Monte Carlo simulation"),
        ("backtest", "Check the forecast against recorded history it did not see"),
        ("status", "Where every case in flight stands and when it will finish"),
        ("report", "Write a self-contained HTML report"),
        ("lsp", "Run the language server for editors (stdio)"),
    ]

    /// Runs one invocation; `arguments` excludes the program name.
    public static func run(_ arguments: [String], environment: CommandEnvironment) -> CommandOutput {
        var output = CommandOutput()
        guard let first = arguments.first else {
            output.stderr = usage()
            output.exitCode = 2
            return output
        }
        var rest = Array(arguments.dropFirst())
        var environment = environment
        do {
            environment.colorChoice = try takeColorOption(&rest) ?? environment.colorChoice
            switch first {
            case "--version", "version":
                output.stdout = "stagecraft \(version)\n"
            case "--help", "-h", "help":
                if let topic = rest.first {
                    guard let text = help(for: topic) else {
                        throw UsageError("unknown subcommand '\(topic)'",
                                         help: didYouMean(topic, in: subcommands.map(\.name)))
                    }
                    output.stdout = text
                } else {
                    output.stdout = usage()
                }
            default:
                if let command = subcommand(first) {
                    if rest.contains("--help") || rest.contains("-h") {
                        output.stdout = command.spec().help
                    } else {
                        try command.run(rest, environment, &output)
                    }
                } else {
                    throw UsageError("unknown subcommand '\(first)'",
                                     help: didYouMean(first, in: subcommands.map(\.name)) ?? "stagecraft --help lists the subcommands")
                }
            }
        } catch let e as UsageError {
            output.stderr += "stagecraft: error: \(e.message)\n" + (e.help.map { "help: \($0)\n" } ?? "")
            output.exitCode = 2
        } catch let e as InputError {
            output.stderr += "stagecraft: error: \(e.message)\n"
            output.exitCode = 2
        } catch {
            output.stderr += "stagecraft: error: \(error)\n"
            output.exitCode = 2
        }
        return output
    }

    /// Removes `--color WHEN` / `--color=WHEN` (before any `--`) from a subcommand's
    /// arguments and returns the last one given: every subcommand accepts it, as any may
    /// colour its diagnostics.
    static func takeColorOption(_ arguments: inout [String]) throws -> ColorChoice? {
        var choice: ColorChoice?
        var kept: [String] = []
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if arg == "--" {
                kept += arguments[(i - 1)...]
                break
            }
            let value: String
            if arg == "--color" {
                guard i < arguments.count else { throw UsageError("--color needs a value", help: "use auto, always or never") }
                value = arguments[i]
                i += 1
            } else if arg.hasPrefix("--color=") {
                value = String(arg.dropFirst("--color=".count))
            } else {
                kept.append(arg)
                continue
            }
            guard let c = ColorChoice(rawValue: value) else {
                throw UsageError("--color takes auto, always or never, not '\(value)'")
            }
            choice = c
        }
        arguments = kept
        return choice
    }

    typealias Run = @Sendable ([String], CommandEnvironment, inout CommandOutput) throws -> Void

    /// A subcommand by name: its entry point, and its options and help (`CommandSpec`),
    /// built only when asked for (a switch, so that a run builds no other subcommand's spec).
    static func subcommand(_ name: String) -> (run: Run, spec: () -> CommandSpec)? {
        switch name {
        case "check": return (CheckCommand.run, { CheckCommand.spec })
        case "fmt": return (FmtCommand.run, { FmtCommand.spec })
        case "explain": return (ExplainCommand.run, { ExplainCommand.spec })
        case "graph": return (GraphCommand.run, { GraphCommand.spec })
        case "checklist": return (ChecklistCommand.run, { ChecklistCommand.spec })
        case "replay": return (ReplayCommand.run, { ReplayCommand.spec })
        case "history": return (HistoryCommand.run, { HistoryCommand.spec })
        case "simulate": return (SimulateCommand.run, { SimulateCommand.spec })
        case "backtest": return (BacktestCommand.run, { BacktestCommand.spec })
        case "status": return (StatusCommand.run, { StatusCommand.spec })
        case "report": return (ReportCommand.run, { ReportCommand.spec })
        case "lsp": return (LSPCommand.run, { LSPCommand.spec })
        default: return nil
        }
    }

    static func usage() -> String {
        var s = """
        stagecraft \(version): process-as-code for product operations

        Usage: stagecraft SUBCOMMAND [options]

        Subcommands:

        """
        for c in subcommands { s += "  " + c.name.padding(10) + c.summary + "\n" }
        s += """

        Run 'stagecraft help SUBCOMMAND' for a subcommand's options.
        Every subcommand takes --color auto|always|never (auto: colour a terminal unless
        NO_COLOR is set and non-empty; a non-empty FORCE_COLOR colours anyway).
        Exit codes: 0 success; 1 the input has errors (or --strict findings); 2 usage or I/O error.

        """
        return s
    }

    /// The help text of a subcommand, or nil for an unknown name.
    static func help(for command: String) -> String? {
        subcommand(command)?.spec().help
    }
}
