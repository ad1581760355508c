/// `stagecraft history`: not built yet; this stub keeps the subcommand table complete.
enum HistoryCommand {
    static let help = """
    Usage: stagecraft history ...

    Not available in this build yet.

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        throw UsageError("'stagecraft history' is not available in this build yet")
    }
}
