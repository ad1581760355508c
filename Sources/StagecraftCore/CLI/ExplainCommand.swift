/// `stagecraft explain`: not built yet; this stub keeps the subcommand table complete.
enum ExplainCommand {
    static let help = """
    Usage: stagecraft explain ...

    Not available in this build yet.

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        throw UsageError("'stagecraft explain' is not available in this build yet")
    }
}
