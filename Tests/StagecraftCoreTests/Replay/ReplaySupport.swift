import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftAnalysis
@testable import StagecraftCLI

/// The folder of the replay fixtures.
let replayFixtures = repositoryRoot + "/Tests/StagecraftCoreTests/Fixtures/replay"

/// The text of a replay fixture.
func replayFixture(_ name: String) throws -> String {
    let path = replayFixtures + "/" + name
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        throw InputError("missing fixture \(path)")
    }
    return text
}

/// The model of a `.flow` text that must check without errors.
func checkedModel(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> WorkflowModel {
    let result = Checker.check(SourceFile(path: "test.flow", text: text))
    #expect(result.errorCount == 0, "\(result.diagnostics.map(\.message))", sourceLocation: sourceLocation)
    return try #require(result.model, sourceLocation: sourceLocation)
}

/// Replays a `.flow` text against a CSV text.
func replay(flow: String, csv: String) throws -> (WorkflowModel, ReplayResult) {
    let model = try checkedModel(flow)
    let log = try readLog(csv)
    return (model, Replay.run(model: model, log: log))
}

/// The replay figures of the node with ID `id`.
func stage(_ r: ReplayResult, _ id: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> StageReplay {
    try #require(r.stages.first { $0.id == id }, sourceLocation: sourceLocation)
}

/// Whether two numbers agree to a microsecond.
func close(_ a: Double?, _ b: Double) -> Bool {
    guard let a else { return false }
    return abs(a - b) < 1e-6
}

/// One hour in seconds.
let hour = 3600.0
