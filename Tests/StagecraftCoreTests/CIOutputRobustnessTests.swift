import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftOutput
@testable import StagecraftCLI

/// The CI formats and the graph renderers see every prefix of real files and random
/// bytes (cut mid-token, mid-UTF-8, mid-line) without trapping.
@Suite struct CIOutputRobustnessTests {
    @Test func prefixesAndRandomBytesInEveryFormat() {
        var inputs: [[UInt8]] = []
        for bytes in FrontEndRobustnessTests.sources() {
            let step = max(1, bytes.count / 40)
            for end in stride(from: 0, through: bytes.count, by: step) { inputs.append(Array(bytes[0..<end])) }
        }
        var rng = TestRandom(state: 99)
        for _ in 0..<100 {
            inputs.append((0..<rng.below(120)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        }
        for bytes in inputs {
            let r = Checker.check(SourceFile(path: "dir/p q.flow", bytes: bytes))
            _ = SARIFFormatter.sarif([r], currentDirectory: "/repo")
            _ = GitHubAnnotationFormatter.annotations([r], currentDirectory: "/repo")
            if let model = r.model {
                let values = model.paramValues()
                _ = GraphRenderer.mermaid(model, source: r.source, values: values)
                _ = GraphRenderer.dot(model, source: r.source, values: values)
            }
        }
    }

    @Test func configurationParserNeverTraps() {
        var rng = TestRandom(state: 5)
        let pieces = ["{", "}", "[", "]", "\"rules\"", "\"exclude\"", ":", ",", "\"missing-sla\"", "\"off\"", "\"x\"",
                      "1", "null", "true", " ", "\n", "\"**\"", "\"\\u0041\""]
        for _ in 0..<2000 {
            let text = (0..<rng.below(30)).map { _ in pieces[rng.below(pieces.count)] }.joined()
            if let config = try? StagecraftConfiguration.parse(Array(text.utf8), path: "/r/.stagecraft.json") {
                _ = config.describe(currentDirectory: "/r")
                _ = config.excludes("/r/a/b.flow")
                _ = config.problemsResult(currentDirectory: "/r").map { DiagnosticFormatter.text([$0], color: false) }
            }
        }
    }
}
