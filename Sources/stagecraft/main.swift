import Foundation
import StagecraftCore

// The executable only wires the process streams to the library.
let environment = CommandEnvironment(
    readStandardInput: { [UInt8](FileHandle.standardInput.readDataToEndOfFile()) },
    stdoutIsTerminal: isatty(1) == 1,
    stderrIsTerminal: isatty(2) == 1,
    variables: ProcessInfo.processInfo.environment,
    tunesHeap: true)
let result = StagecraftCommand.run(Array(CommandLine.arguments.dropFirst()), environment: environment)
FileHandle.standardOutput.write(Data(result.stdout.utf8))
FileHandle.standardError.write(Data(result.stderr.utf8))
exit(result.exitCode)
