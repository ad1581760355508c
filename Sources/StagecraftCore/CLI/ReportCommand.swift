/// `stagecraft report`: not built yet; this stub keeps the subcommand table complete.
enum ReportCommand {
    static let help = """
    Usage: stagecraft report ...

    Not available in this build yet.

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        throw UsageError("'stagecraft report' is not available in this build yet")
    }
}
