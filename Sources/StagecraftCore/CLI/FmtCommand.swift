/// `stagecraft fmt`: not built yet; this stub keeps the subcommand table complete.
enum FmtCommand {
    static let help = """
    Usage: stagecraft fmt ...

    Not available in this build yet.

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        throw UsageError("'stagecraft fmt' is not available in this build yet")
    }
}
