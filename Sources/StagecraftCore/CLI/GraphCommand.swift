/// `stagecraft graph`: not built yet; this stub keeps the subcommand table complete.
enum GraphCommand {
    static let help = """
    Usage: stagecraft graph ...

    Not available in this build yet.

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        throw UsageError("'stagecraft graph' is not available in this build yet")
    }
}
