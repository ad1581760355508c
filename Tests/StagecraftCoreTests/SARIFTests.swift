import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftOutput
@testable import StagecraftCLI

@Suite struct SARIFTests {
    /// An error, a warning with help, two identical findings and a non-BMP character
    /// before a diagnostic (UTF-16 columns differ from scalar columns there).
    static let source = """
    workflow "Launch 🚀" {
      owner pm
      owner eng
      stage prd "PRD 🚀" { owner pmm; sla 3bd }
      stage build { after prd; owner eng; sla 0bd }
      stage a { owner eng }
      stage b { owner eng }
    }

    """

    static func sarif(_ text: String = source, name: String = "docs/my launch#1.flow") -> CommandOutput {
        runCLI(["check", "-", "--format", "sarif", "--stdin-filename", name], stdin: text)
    }

    @Test func golden() {
        let out = Self.sarif()
        #expect(out.exitCode == 1)
        #expect(out.stderr == "")
        expectGolden(out.stdout, "check/launch.sarif")
    }

    @Test func sameInputGivesIdenticalSARIF() {
        #expect(Self.sarif().stdout == Self.sarif().stdout)
    }

    @Test func requiredFieldsAndOneRulePerRegistryEntry() throws {
        let log = try #require(try JSONSerialization.jsonObject(with: Data(Self.sarif().stdout.utf8)) as? [String: Any])
        #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "utf16CodeUnits")
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "stagecraft")
        #expect(driver["version"] as? String == StagecraftCommand.version)
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == RuleRegistry.ids)
        for rule in rules {
            let id = rule["id"] as? String ?? "?"
            let d = try #require(RuleRegistry.descriptions[id])
            #expect((rule["shortDescription"] as? [String: String])?["text"] == d.summary)
            #expect((rule["help"] as? [String: String])?["markdown"]?.contains(d.rationale) == true, "\(id)")
            #expect((rule["defaultConfiguration"] as? [String: String])?["level"] == d.severity.rawValue)
        }
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 6)
        for result in results {
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(RuleRegistry.ids[index] == result["ruleId"] as? String)
        }
    }

    /// The title's rocket is one scalar but two UTF-16 code units: `pmm` starts at scalar
    /// column 29 and UTF-16 column 30.
    @Test func columnsAreUTF16CodeUnits() throws {
        let results = try Self.results(Self.sarif().stdout)
        let unknown = try #require(results.first { $0.rule == "unknown-reference" })
        #expect(unknown.region == [4, 30, 4, 33])
        let json = runCLI(["check", "-", "--format", "json"], stdin: Self.source).stdout
        #expect(json.contains("\"column\": 29,\n      \"end_line\": 4,\n      \"end_column\": 32"))
    }

    @Test func fingerprintsSurviveLineShiftsAndSeparateIdenticalFindings() throws {
        let before = try Self.results(Self.sarif().stdout)
        let after = try Self.results(Self.sarif("# a comment\n\n" + Self.source).stdout)
        #expect(before.map(\.fingerprint) == after.map(\.fingerprint))
        #expect(before.map { $0.region[0] + 2 } == after.map { $0.region[0] })
        #expect(Set(before.map(\.fingerprint)).count == before.count)
        // Same rule, file and message on identical lines: only the occurrence counter differs.
        let twins = "workflow \"x\" {\n  stage a {\n    owner nobody\n  }\n  stage b {\n    owner nobody\n  }\n}\n"
        let unknown = try Self.results(Self.sarif(twins).stdout).filter { $0.rule == "unknown-reference" }
        try #require(unknown.count == 2)
        #expect(unknown[0].fingerprint != unknown[1].fingerprint)
        // A different file gives different fingerprints.
        let other = try Self.results(Self.sarif(name: "other.flow").stdout)
        #expect(Set(other.map(\.fingerprint)).isDisjoint(with: before.map(\.fingerprint)))
    }

    @Test func fnv1a64KnownValues() {
        #expect(FNV1a.hex64("") == "cbf29ce484222325")
        #expect(FNV1a.hex64("a") == "af63dc4c8601ec8c")
        #expect(FNV1a.hex64("foobar") == "85944171f73967e8")
    }

    @Test func artifactURIs() {
        #expect(ArtifactPath.relative("/repo/a/b.flow", to: "/repo") == "a/b.flow")
        #expect(ArtifactPath.relative("./a/../b.flow", to: "/repo") == "b.flow")
        #expect(ArtifactPath.relative("../x.flow", to: "/repo") == nil)
        #expect(ArtifactPath.relative("/other/x.flow", to: "/repo") == nil)
        #expect(ArtifactPath.relative("/repo", to: "/repo") == nil)
        #expect(ArtifactPath.relative("/a.flow", to: "/") == "a.flow")
        #expect(ArtifactPath.absolute("../../../x", from: "/a") == "/x")
        #expect(ArtifactPath.absolute("a//b/./c/", from: "/r") == "/r/a/b/c")
        #expect(ArtifactPath.absolute(".", from: "/repo") == "/repo")
        #expect(ArtifactPath.absolute("..", from: "/") == "/")
        #expect(ArtifactPath.parent(of: "/a/b/c.flow") == "/a/b")
        #expect(ArtifactPath.parent(of: "/a") == "/")
        #expect(ArtifactPath.parent(of: "/") == "/")
        #expect(ArtifactPath.percentEncoded("dir/my launch#1%é<>.flow") == "dir/my%20launch%231%25%C3%A9%3C%3E.flow")
        let results = [Checker.check(SourceFile(path: "/elsewhere/a b.flow", text: "workflow \"x\" {\n  owner pm\n}\n"))]
        let sarif = SARIFFormatter.sarif(results, currentDirectory: "/repo")
        #expect(sarif.contains("\"uri\": \"file:///elsewhere/a%20b.flow\""))
        #expect(!sarif.contains("%SRCROOT%"))
        let inside = SARIFFormatter.sarif([Checker.check(SourceFile(path: "/repo/w/a.flow", text: "workflow \"x\" {\n  owner pm\n}\n"))],
                                          currentDirectory: "/repo")
        #expect(inside.contains("\"uri\": \"w/a.flow\",\n                  \"uriBaseId\": \"%SRCROOT%\""))
    }

    @Test func validatorAcceptsOurOutputAndRejectsMissingFields() throws {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { String($0) + "/python3" }
        guard let python = (path + ["/usr/bin/python3", "/usr/local/bin/python3"])
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return }
        let dir = try makeTemporaryDirectory("sarif")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = dir + "/good.sarif"
        try writeFile(good, Self.sarif().stdout)
        #expect(try Self.runValidator(python, good) == 0)
        let cleanDirectory = runCLI(["check", "--format", "sarif", repositoryRoot + "/workflows"]).stdout
        try writeFile(dir + "/clean.sarif", cleanDirectory)
        #expect(try Self.runValidator(python, dir + "/clean.sarif") == 0)
        for field in ["\"partialFingerprints\"", "\"startColumn\"", "\"fullDescription\"", "\"informationUri\""] {
            let broken = Self.sarif().stdout.replacingOccurrences(of: field, with: "\"renamed\"")
            try writeFile(dir + "/broken.sarif", broken)
            #expect(try Self.runValidator(python, dir + "/broken.sarif") == 1, "\(field)")
        }
    }

    /// Every corpus file (syntax errors, CRLF, Unicode, cycles…) gives parseable SARIF with
    /// one result per diagnostic, one annotation line per diagnostic, and a graph or exit 1.
    @Test(arguments: corpusFiles())
    func corpusFileInEveryFormat(_ path: String) throws {
        let result = Checker.check(SourceFile(path: path, bytes: try Files.read(path)))
        let sarif = runCLI(["check", "--format", "sarif", path])
        #expect(try Self.results(sarif.stdout).count == result.diagnostics.count)
        let github = runCLI(["check", "--format", "github", path]).stdout
        #expect(github.split(separator: "\n").count == result.diagnostics.count)
        #expect(github.split(separator: "\n").allSatisfy { $0.hasPrefix("::error ") || $0.hasPrefix("::warning ") || $0.hasPrefix("::notice ") })
        for format in ["mermaid", "dot"] {
            let graph = runCLI(["graph", path, "--format", format])
            #expect(graph.exitCode == (result.errorCount > 0 ? 1 : 0))
        }
    }

    static func runValidator(_ python: String, _ file: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [repositoryRoot + "/scripts/validate-sarif.py", file]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    struct Found { var rule: String; var region: [Int]; var fingerprint: String }

    static func results(_ sarif: String) throws -> [Found] {
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        return try #require(run["results"] as? [[String: Any]]).map { r in
            let physical = ((r["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]) ?? [:]
            let region = physical["region"] as? [String: Int] ?? [:]
            return Found(rule: r["ruleId"] as? String ?? "",
                         region: [region["startLine"] ?? 0, region["startColumn"] ?? 0, region["endLine"] ?? 0, region["endColumn"] ?? 0],
                         fingerprint: (r["partialFingerprints"] as? [String: String])?[SARIFFormatter.fingerprintKey] ?? "")
        }
    }
}
