import Foundation
import StagecraftCLI
import StagecraftSyntax

// The executable only wires the process streams to the library. (The environment
// variables are read with getenv(3) and output written with write(2), not through
// ProcessInfo and FileHandle: those set up more than a one-shot command needs.)
// A reader that goes away is EPIPE from write(2), never a signal that kills the process:
// `Files.write` reports it naming the path, and `stagecraft … | head -1` ends quietly.
// (The library also blocks SIGPIPE around its own writes, for callers that keep the default.)
signal(SIGPIPE, SIG_IGN)
var environment = CommandEnvironment(
    readStandardInput: { (try? FileInput.standardInput.readToEnd()) ?? [] },
    stdoutIsTerminal: isatty(1) == 1,
    stderrIsTerminal: isatty(2) == 1,
    variables: ProcessStreams.environmentVariables())
environment.standardInputIsProcess = true
let result = StagecraftCommand.run(Array(CommandLine.arguments.dropFirst()), environment: environment)
ProcessStreams.write(result.stdout, to: 1)
ProcessStreams.write(result.stderr, to: 2)
exit(result.exitCode)
