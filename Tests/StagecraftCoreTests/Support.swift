import Foundation
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftCLI

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The shared real-data folder, when present.
func sharedDataFolder() -> String? {
    let candidates = [repositoryRoot + "/../shared/data", "/work/shared/data"]
    return candidates.first { FileManager.default.fileExists(atPath: $0 + "/INVENTORY.md") }
}

/// Checks a source text and returns its diagnostics as `rule line:col` strings.
func diagnosticKeys(_ text: String, path: String = "test.flow") -> [String] {
    let result = Checker.check(SourceFile(path: path, text: text))
    return result.diagnostics.map {
        let loc = result.source.location(of: $0.range.start)
        return "\($0.rule) \(loc.line):\(loc.column)"
    }
}

/// Runs the CLI in memory.
func runCLI(_ args: [String], stdin: String = "") -> CommandOutput {
    let bytes = Array(stdin.utf8)
    return StagecraftCommand.run(args, environment: CommandEnvironment(readStandardInput: { bytes }))
}

/// Every `.flow` file of the test corpus.
func corpusFiles() -> [String] {
    let dir = repositoryRoot + "/Tests/StagecraftCoreTests/Corpus"
    return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
        .filter { $0.hasSuffix(".flow") }.sorted().map { dir + "/" + $0 }
}

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct TestRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}

