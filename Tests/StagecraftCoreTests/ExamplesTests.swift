import Foundation
import Testing
@testable import StagecraftCLI

/// The walk-throughs in `examples/` commit each command's output next to it; this test
/// reruns every command and fails when an output has gone stale.
///
/// Regenerate with `STAGECRAFT_UPDATE_GOLDEN=1 swift test --filter ExamplesTests` and
/// review the diff. Commands run from the repository root, as the walk-throughs say.
@Suite struct ExamplesTests {
    struct Step: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        /// Where the output is committed, relative to the repository root.
        var output: String
        /// The command writes this file (`-o`) instead of printing.
        var writesFile = false
        var testDescription: String { "stagecraft " + arguments.joined(separator: " ") }
    }

    static let steps: [Step] = [
        Step(arguments: ["check", "--strict", "examples/launch/launch.flow"], output: "examples/launch/output/check.txt"),
        Step(arguments: ["history", "inspect", "examples/launch/history.csv"], output: "examples/launch/output/inspect.txt"),
        Step(arguments: ["replay", "examples/launch/launch.flow", "--history", "examples/launch/history.csv"],
             output: "examples/launch/output/replay.txt"),
        Step(arguments: ["replay", "examples/launch/launch.flow", "--history", "examples/launch/history.csv", "--format", "markdown"],
             output: "examples/launch/output/replay.md"),
        Step(arguments: ["simulate", "examples/launch/launch.flow", "--history", "examples/launch/history.csv",
                         "--start", "2026-12-07", "--seed", "7", "--runs", "2000"],
             output: "examples/launch/output/simulate.txt"),
        Step(arguments: ["checklist", "examples/launch/launch.flow", "--start", "2026-12-07"],
             output: "examples/launch/output/checklist.md"),
        Step(arguments: ["graph", "examples/launch/launch.flow"], output: "examples/launch/output/graph.mmd"),
        Step(arguments: ["report", "examples/launch/launch.flow", "--history", "examples/launch/history.csv",
                         "--start", "2026-12-07"],
             output: "examples/launch/output/report.html", writesFile: true),
        Step(arguments: ["replay", "examples/review-rework/review.flow", "--history", "examples/review-rework/history.csv"],
             output: "examples/review-rework/output/replay.txt"),
        Step(arguments: ["simulate", "examples/review-rework/review.flow", "--history", "examples/review-rework/history.csv",
                         "--start", "2026-12-07", "--seed", "3", "--runs", "2000"],
             output: "examples/review-rework/output/simulate.txt"),
        Step(arguments: ["simulate", "examples/review-rework/review.flow", "--history", "examples/review-rework/history.csv",
                         "--start", "2026-12-07", "--seed", "3", "--runs", "500", "--cases", "10", "--arrival", "1bd"],
             output: "examples/review-rework/output/portfolio.txt"),
        Step(arguments: ["status", "examples/portfolio/portfolio.flow", "--history", "examples/portfolio/history.csv"],
             output: "examples/portfolio/output/status.txt"),
        Step(arguments: ["status", "examples/portfolio/portfolio.flow", "--history", "examples/portfolio/history.csv",
                         "--format", "markdown"],
             output: "examples/portfolio/output/status.md"),
        Step(arguments: ["status", "examples/portfolio/portfolio.flow", "--history", "examples/portfolio/history.csv",
                         "--format", "json"],
             output: "examples/portfolio/output/status.json"),
        Step(arguments: ["status", "examples/portfolio/portfolio.flow", "--history", "examples/portfolio/history.csv",
                         "--format", "html"],
             output: "examples/portfolio/output/status.html"),
    ]

    /// Makes repository paths relative, as when the command runs from the repository root.
    static func relative(_ text: String) -> String {
        text.replacingOccurrences(of: repositoryRoot + "/", with: "")
    }

    /// Absolute paths for the arguments that name files in the repository.
    static func absolute(_ arguments: [String]) -> [String] {
        arguments.map { $0.hasPrefix("examples/") ? repositoryRoot + "/" + $0 : $0 }
    }

    @Test(arguments: steps)
    func committedOutputIsCurrent(_ step: Step) throws {
        var arguments = Self.absolute(step.arguments)
        var actual: String
        if step.writesFile {
            let dir = try makeTemporaryDirectory("example")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let target = dir + "/" + (step.output as NSString).lastPathComponent
            arguments += ["-o", target]
            let out = runCLI(arguments)
            #expect(out.exitCode == 0, "\(out.stderr)")
            actual = String(decoding: try Files.read(target), as: UTF8.self)
        } else {
            let out = runCLI(arguments)
            #expect(out.exitCode == 0, "\(out.stderr)")
            actual = out.stdout
        }
        actual = Self.relative(actual)
        let path = repositoryRoot + "/" + step.output
        if ProcessInfo.processInfo.environment["STAGECRAFT_UPDATE_GOLDEN"] == "1" {
            try writeFile(path, actual)
            return
        }
        let expected = String(decoding: try Files.read(path), as: UTF8.self)
        #expect(actual == expected,
                "\(step.output) is stale: run STAGECRAFT_UPDATE_GOLDEN=1 swift test --filter ExamplesTests and review the diff")
    }

    @Test func everyExampleHasAWalkThrough() throws {
        for name in ["launch", "review-rework", "portfolio"] {
            let readme = String(decoding: try Files.read(repositoryRoot + "/examples/\(name)/README.md"), as: UTF8.self)
            // Every command of this example appears in its README.
            for step in Self.steps where step.output.hasPrefix("examples/\(name)/") {
                let command = step.arguments.prefix(2).joined(separator: " ")
                #expect(readme.contains(command), "examples/\(name)/README.md does not show '\(command)'")
            }
        }
    }
}

/// The README's tutorial shows real output: each snippet, checked, prints exactly the
/// block that follows it.
@Suite struct ReadmeTutorialTests {
    /// The code block after an HTML comment marker in README.md.
    static func block(_ marker: String, in readme: String) -> String? {
        guard let m = readme.range(of: "<!-- \(marker) -->"),
              let open = readme.range(of: "```\n", range: m.upperBound..<readme.endIndex),
              let close = readme.range(of: "\n```", range: open.upperBound..<readme.endIndex) else { return nil }
        return String(readme[open.upperBound..<close.lowerBound]) + "\n"
    }

    @Test(arguments: ["first", "second"])
    func tutorialOutputIsCurrent(_ step: String) throws {
        let readme = String(decoding: try Files.read(repositoryRoot + "/README.md"), as: UTF8.self)
        let flow = try #require(Self.block("tutorial:\(step)", in: readme))
        let expected = try #require(Self.block("tutorial:\(step)-output", in: readme))
        let out = runCLI(["check", "-", "--stdin-filename", "launch.flow"], stdin: flow)
        #expect(out.stdout == expected, "README.md's tutorial output for the \(step) step is stale")
    }
}
