import StagecraftSyntax
import StagecraftLanguage
import StagecraftOutput
import StagecraftHistory
import StagecraftAnalysis

/// The one workflow FILE that `graph`, `checklist`, `replay`, `simulate` and `report` run.
enum WorkflowInput {
    /// Reads FILE (or `-`, named `stdinName`), checks it and returns the result with its
    /// model. When the file has errors, writes them (errors only: warnings are `check`'s
    /// business) and a one-line summary to stderr, sets exit code 1 and returns nil. With
    /// `nodesTo`, a workflow without stages or gates is an error: there is nothing to do that to.
    static func load(_ path: String, stdinName: String? = nil, verb: String, environment: CommandEnvironment,
                     output: inout CommandOutput, nodesTo purpose: String? = nil) throws -> (result: CheckResult, model: WorkflowModel)? {
        let name = path == "-" ? (stdinName ?? "<stdin>") : path
        let bytes = path == "-" ? environment.readStandardInput() : try Files.read(path)
        let result = Checker.check(SourceFile(path: name, bytes: bytes))
        if result.errorCount == 0, let model = result.model {
            if let purpose, model.nodes.isEmpty { throw InputError("\(path): the workflow has no stages or gates to \(purpose)") }
            return (result, model)
        }
        var errorsOnly = result
        errorsOnly.diagnostics = result.diagnostics.filter { $0.severity == .error }
        output.stderr += DiagnosticFormatter.text([errorsOnly], color: environment.useColorOnStderr)
        let count = max(1, result.errorCount)
        output.stderr += "stagecraft: error: \(name) has \(count) error\(count == 1 ? "" : "s"); fix \(count == 1 ? "it" : "them") before \(verb)\n"
        output.exitCode = 1
        return nil
    }

    /// Reads the `--history` log of `file`'s workflow; when none of its activities matches
    /// a node, writes the error, sets exit code 1 and returns nil.
    static func readMatchingLog(_ path: String, options: HistoryOptions, model: WorkflowModel, file: String,
                                environment: CommandEnvironment, output: inout CommandOutput) throws -> EventLog? {
        let log = try HistoryCLIOptions.readLog(path, options: options, environment: environment)
        guard let message = HistoryCoverage.nothingMatches(model: model, log: log, logName: path, fileName: file) else {
            return log
        }
        output.stderr += "stagecraft: error: \(message)\n"
        output.exitCode = 1
        return nil
    }

    /// Runs a simulation; its error (a `SimulationError`) is an `InputError`, "cannot simulate: …".
    static func simulating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw InputError("cannot simulate: \(error)")
        }
    }
}
