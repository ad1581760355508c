/// `stagecraft checklist`: not built yet; this stub keeps the subcommand table complete.
enum ChecklistCommand {
    static let help = """
    Usage: stagecraft checklist ...

    Not available in this build yet.

    """

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        throw UsageError("'stagecraft checklist' is not available in this build yet")
    }
}
