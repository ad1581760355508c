import StagecraftSyntax
import StagecraftSimulation

/// The options of the commands that simulate (`simulate`, `backtest`, `status`, `report`)
/// and of those that take params (`graph`, `checklist`): `--runs`, `--seed`, `--start`,
/// `--set`, each declared and parsed once.
enum SimulationCLIOptions {
    /// `--runs N`: how many simulated runs, 1 to `max`, `standard` when absent.
    struct Runs: Sendable {
        var standard: Int
        var max: Int
        /// The help, before the range: "simulated runs of the forecast cases".
        var about = "simulated runs"
        /// The default for a portfolio (`--cases`), where each run simulates many launches.
        var portfolio: Int?

        var spec: OptionSpec {
            OptionSpec("runs", .value("N"), default: "\(standard)" + (portfolio.map { "; \($0) with --cases" } ?? ""),
                       "\(about), 1 to \(max)")
        }

        func value(in args: ParsedArguments, portfolio isPortfolio: Bool = false) throws -> Int {
            try args.int("runs", default: isPortfolio ? portfolio ?? standard : standard, range: 1...max)
        }
    }

    /// `--seed S`, parsed by `ParsedArguments.seed()`.
    static let seed = OptionSpec("seed", .value("S"), default: "\(SimulationOptions.defaultSeed)",
                                 "random seed, 0 to \(UInt64.max); the same inputs and seed give the same output")

    /// `--set NAME=VALUE`, parsed by `ParamOverrides.parse`; `more` says what else holds.
    static func set(_ more: String? = nil) -> OptionSpec {
        OptionSpec("set", .repeatable("NAME=VALUE"), "give a param a value" + (more.map { "; " + $0 } ?? ""))
    }

    /// `--start DATE`: the kickoff day as YYYY-MM-DD.
    static func start(_ help: String) -> OptionSpec { OptionSpec("start", .value("DATE"), help) }

    /// The `--start` date, nil when absent; every command reads it here, with one range.
    static func start(in args: ParsedArguments) throws -> CivilDate? {
        try args.date("start", help: "as in --start 2026-12-01")
    }

    /// The instant runs begin on a kickoff day: 09:00 UTC.
    static func kickoff(_ day: CivilDate) -> Double { Double(day.dayNumber) * secondsPerDay + 9 * 3600 }
}
