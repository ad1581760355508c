import StagecraftSyntax

/// `stagecraft lsp`: the language server over standard input and output.
enum LSPCommand {
    static let spec = CommandSpec(
        usage: """
        Usage: stagecraft lsp [--stdio]

        Run the Stagecraft language server: Language Server Protocol (JSON-RPC 2.0 with
        Content-Length framing) over standard input and output, for editors. It reports
        diagnostics as you type (incremental sync) and answers hover, go to definition, find
        references, completion, document symbols, formatting, rename and quick fixes for
        misspelt IDs. Settings come from the nearest .stagecraft.json, as for check.
        See docs/editors.md for VS Code, Neovim and Helix.
        """,
        options: [
            OptionSpec("stdio", .flag, "talk over standard input and output (the default and only transport)"),
        ],
        epilogue: """
        Exit codes: 0 after the client's shutdown and exit; 1 when input ends or exit comes
        without shutdown; 2 usage error.
        """)

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try spec.parse(arguments)
        guard args.positional.isEmpty else {
            throw UsageError("lsp takes no PATH", help: "editors start it as 'stagecraft lsp'")
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let input = FileInput.standardInput
        output.exitCode = LanguageServer.serve(
            read: {
                // What one read(2) of standard input gives; empty at its end or on an error.
                let n = buffer.withUnsafeMutableBytes { raw in
                    raw.baseAddress.flatMap { try? input.read(into: $0, count: raw.count) } ?? 0
                }
                return Array(buffer[0..<n])
            },
            write: { bytes in ProcessStreams.write(bytes, to: 1) })
    }
}
