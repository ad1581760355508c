import Foundation
import Testing
@testable import StagecraftCLI

/// The executable's own view of its environment and output streams.
@Suite struct ProcessStreamsTests {
    @Test func environmentHoldsTheVariablesStagecraftReads() {
        let environment = ["NO_COLOR": "1", "PATH": "/usr/bin", "HOME": "/home/pm"]
        #expect(ProcessStreams.environmentVariables(lookup: { environment[$0] }) == ["NO_COLOR": "1"])
        #expect(ProcessStreams.environmentVariables(lookup: { _ in nil }) == [:])
        // By default, the process environment.
        let expected = ProcessInfo.processInfo.environment.filter { CommandEnvironment.variableNames.contains($0.key) }
        #expect(ProcessStreams.environmentVariables() == expected)
    }

    @Test func writeDeliversEveryByte() throws {
        // More than a pipe holds at once, with text that is not ASCII.
        let text = String(repeating: "Revisión 🚀 línea\n", count: 20_000)
        let path = NSTemporaryDirectory() + "stagecraft-streams-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0)
        ProcessStreams.write(text, to: fd)
        close(fd)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(text.utf8))
    }
}
