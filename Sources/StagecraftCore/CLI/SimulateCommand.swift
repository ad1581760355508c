/// `stagecraft simulate`: not built yet; this stub keeps the subcommand table complete.
enum SimulateCommand {
    static let help = """
    Usage: stagecraft simulate ...

    Not available in this build yet.

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        throw UsageError("'stagecraft simulate' is not available in this build yet")
    }
}
