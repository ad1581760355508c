/// `stagecraft replay`: not built yet; this stub keeps the subcommand table complete.
enum ReplayCommand {
    static let help = """
    Usage: stagecraft replay ...

    Not available in this build yet.

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        throw UsageError("'stagecraft replay' is not available in this build yet")
    }
}
