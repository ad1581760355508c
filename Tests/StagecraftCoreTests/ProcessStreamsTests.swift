import Foundation
import Testing
@testable import StagecraftCore

/// The executable's own view of its environment and output streams.
@Suite struct ProcessStreamsTests {
    @Test func environmentMatchesProcessInfo() {
        let variables = ProcessStreams.environmentVariables()
        #expect(variables == ProcessInfo.processInfo.environment)
        #expect(variables["PATH"] != nil)
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
