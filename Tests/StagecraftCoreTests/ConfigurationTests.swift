import Foundation
import Testing
@testable import StagecraftCLI

@Suite struct ConfigurationTests {
    /// Two warnings (unused owner `qq`, missing SLA) in one file.
    static let flow = "workflow \"x\" {\n  owner pm\n  owner qq\n  stage a { owner pm }\n}\n"

    @Test func rulesAreAppliedFromTheNearestConfigAbove() throws {
        let dir = try makeTemporaryDirectory("config")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeFile(dir + "/.stagecraft.json", #"{"rules": {"missing-sla": "off", "unused-owner": "error"}}"#)
        try writeFile(dir + "/team/deep/a.flow", Self.flow)
        let out = runCLI(["check", dir + "/team/deep/a.flow"])
        #expect(out.stdout == """
        \(dir)/team/deep/a.flow:3:9: error: owner 'qq' is never used [unused-owner]
          owner qq
                ^~
        help: give it a stage, make it an approver, or remove it
        1 error, 0 warnings in 1 file

        """)
        #expect(out.exitCode == 1)
        // A nearer config wins over the one above it, and is not merged with it.
        try writeFile(dir + "/team/.stagecraft.json", #"{"rules": {"unused-owner": "off"}}"#)
        let nearer = runCLI(["check", dir + "/team/deep/a.flow"])
        #expect(nearer.stdout.contains("[missing-sla]"))
        #expect(!nearer.stdout.contains("[unused-owner]"))
        #expect(nearer.exitCode == 0)
    }

    @Test func excludedFilesAreSkippedByTheWalkButNotWhenNamed() throws {
        let dir = try makeTemporaryDirectory("exclude")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeFile(dir + "/.stagecraft.json", #"{"exclude": ["drafts", "**/*.wip.flow", "one/?.flow"]}"#)
        let bad = "garbage\n"
        for p in ["/drafts/a.flow", "/drafts/sub/b.flow", "/x/y/z.wip.flow", "/one/q.flow"] { try writeFile(dir + p, bad) }
        let good = "workflow \"x\" {\n  owner pm\n  stage a { owner pm; sla 1bd }\n}\n"
        for p in ["/ok.flow", "/one/qq.flow", "/x/y/z.flow"] { try writeFile(dir + p, good) }
        let out = runCLI(["check", dir])
        #expect(out.stdout == "checked 3 files: no problems\n", "\(out.stdout)")
        #expect(out.exitCode == 0)
        let named = runCLI(["check", dir + "/drafts/a.flow"])
        #expect(named.exitCode == 1)
        #expect(named.stdout.contains("[syntax]"))
    }

    @Test func problemsInTheConfigAreDiagnosticsWithLineAndColumn() throws {
        let dir = try makeTemporaryDirectory("badconfig")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeFile(dir + "/.stagecraft.json", """
        {
          "rules": {
            "missing-sla": "off",
            "self-aproval": "warning",
            "unused-owner": "loud",
            "syntax": "off"
          },
          "exlude": []
        }
        """)
        try writeFile(dir + "/a.flow", Self.flow)
        try writeFile(dir + "/b.flow", Self.flow)
        let out = runCLI(["check", dir])
        #expect(out.stdout == """
        \(dir)/.stagecraft.json:4:5: error: unknown rule 'self-aproval' [config]
            "self-aproval": "warning",
            ^~~~~~~~~~~~~~
        help: did you mean 'self-approval'?
        \(dir)/.stagecraft.json:5:21: error: the severity of 'unused-owner' must be "error", "warning" or "off" [config]
            "unused-owner": "loud",
                            ^~~~~~
        \(dir)/.stagecraft.json:6:15: error: 'syntax' cannot be turned down: a file that does not parse cannot be checked [config]
            "syntax": "off"
                      ^~~~~
        \(dir)/.stagecraft.json:8:3: error: unknown key 'exlude' in .stagecraft.json [config]
          "exlude": []
          ^~~~~~~~
        help: did you mean 'exclude'?
        \(dir)/a.flow:3:9: warning: owner 'qq' is never used [unused-owner]
          owner qq
                ^~
        help: give it a stage, make it an approver, or remove it
        \(dir)/b.flow:3:9: warning: owner 'qq' is never used [unused-owner]
          owner qq
                ^~
        help: give it a stage, make it an approver, or remove it
        4 errors, 2 warnings in 3 files

        """)
        #expect(out.exitCode == 1)
        let sarif = runCLI(["check", dir, "--format", "sarif"]).stdout
        #expect(sarif.contains("\"id\": \"config\""))
    }

    @Test func invalidJSONIsAnInputError() throws {
        let dir = try makeTemporaryDirectory("json")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeFile(dir + "/a.flow", Self.flow)
        for text in ["{", "[1, 2]", ""] {
            try writeFile(dir + "/.stagecraft.json", text)
            let out = runCLI(["check", dir + "/a.flow"])
            #expect(out.exitCode == 2, "\(text)")
            #expect(out.stderr.hasPrefix("stagecraft: error: \(dir)/.stagecraft.json: "), "\(out.stderr)")
            #expect(runCLI(["check", "--print-config", dir + "/a.flow"]).exitCode == 2)
        }
    }

    @Test func printConfig() throws {
        let dir = try makeTemporaryDirectory("print")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeFile(dir + "/.stagecraft.json", #"{"rules": {"missing-sla": "off", "self-approval": "error"}, "exclude": ["drafts/**"]}"#)
        let out = runCLI(["check", "--print-config", dir + "/sub/a.flow"])
        #expect(out.exitCode == 0)
        #expect(out.stderr == "")
        expectGolden(out.stdout.replacingOccurrences(of: dir, with: "$DIR"), "check/print-config.txt")
        #expect(out.stdout.hasPrefix("config: \(dir)/.stagecraft.json\n"))
        #expect(out.stdout.contains("  missing-sla               off      (set in config; default warning)\n"))
        #expect(out.stdout.contains("  self-approval             error    (set in config; default warning)\n"))
        #expect(out.stdout.contains("  unused-owner              warning\n"))
        #expect(out.stdout.hasSuffix("exclude:\n  drafts/**\n"))
        #expect(runCLI(["check", "--print-config", dir + "/a.flow", dir]).exitCode == 2)
    }

    @Test func standardInputUsesTheCurrentDirectory() throws {
        let dir = try makeTemporaryDirectory("stdin")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeFile(dir + "/.stagecraft.json", #"{"rules": {"unused-owner": "off"}}"#)
        var lookup = ConfigurationLookup(currentDirectory: dir + "/nested")
        let config = try lookup.configuration(forFile: "-")
        #expect(config.source?.path == dir + "/.stagecraft.json")
        #expect(config.settings.isOff("unused-owner"))
        #expect(try lookup.configuration(forFile: "rel/x.flow").source?.path == dir + "/.stagecraft.json")
    }

    @Test func globs() {
        #expect(Glob.matches("drafts/**", path: "drafts/a/b.flow"))
        #expect(Glob.matches("drafts/**", path: "drafts"))
        #expect(Glob.matches("**/*.wip.flow", path: "a.wip.flow"))
        #expect(Glob.matches("**/*.wip.flow", path: "x/y/a.wip.flow"))
        #expect(!Glob.matches("*.flow", path: "x/a.flow"))
        #expect(Glob.matches("*.flow", path: "a.flow"))
        #expect(Glob.matches("./a?c.flow", path: "abc.flow"))
        #expect(!Glob.matches("a?c.flow", path: "a/c.flow"))
        #expect(Glob.matches("a/**/z.flow", path: "a/z.flow"))
        #expect(Glob.matches("a/**/z.flow", path: "a/b/c/z.flow"))
        #expect(!Glob.matches("a/**/z.flow", path: "b/z.flow"))
        #expect(Glob.matches("*a*b*", path: "xxaxxbxx"))
        #expect(!Glob.matches("*a*b*", path: "xxbxxaxx"))
        #expect(!Glob.matches("", path: "a.flow"))
    }

    @Test func offRulesAreNotReportedAsUnusedSuppressions() throws {
        let dir = try makeTemporaryDirectory("offsuppress")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeFile(dir + "/.stagecraft.json", #"{"rules": {"missing-sla": "off"}}"#)
        try writeFile(dir + "/a.flow", "workflow \"x\" {\n  owner pm\n  stage a { owner pm } # stagecraft-ignore missing-sla -- drafts have none\n}\n")
        let out = runCLI(["check", "--strict", dir + "/a.flow"])
        #expect(out.stdout == "checked 1 file: no problems\n")
    }
}
