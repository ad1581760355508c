import Foundation
import Testing
@testable import StagecraftCLI

@Suite struct CLITests {
    @Test func acceptanceJSONShape() throws {
        let out = runCLI(["check", "-", "--format", "json"], stdin: "workflow \"x\" {\n stage a {\n owner nobody\n }\n}\n")
        #expect(out.exitCode == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(json["format_version"] as? Int == 1)
        #expect(json["files"] as? Int == 1)
        let diagnostics = try #require(json["diagnostics"] as? [[String: Any]])
        let unknown = try #require(diagnostics.first { $0["rule"] as? String == "unknown-reference" })
        #expect(unknown["line"] as? Int == 3)
        #expect(unknown["column"] as? Int == 8)
        #expect(unknown["end_line"] as? Int == 3)
        #expect(unknown["end_column"] as? Int == 14)
        #expect(unknown["severity"] as? String == "error")
        #expect(unknown["file"] as? String == "<stdin>")
        #expect(Set(unknown.keys) == ["file", "line", "column", "end_line", "end_column", "severity", "rule", "message", "help"])
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary == ["errors": 1, "warnings": 1])
    }

    @Test func everyListedSubcommandHasAnEntryPointAndHelp() {
        // The usage list and the switch of subcommands are written apart: each name the
        // list shows must reach a command, and its help must name it.
        for (name, _) in StagecraftCommand.subcommands {
            #expect(StagecraftCommand.subcommand(name) != nil, "\(name)")
            #expect(StagecraftCommand.help(for: name)?.contains("stagecraft \(name)") == true, "\(name)")
            #expect(runCLI([name, "--help"]).stdout == StagecraftCommand.help(for: name), "\(name)")
        }
        #expect(StagecraftCommand.subcommand("lint") == nil && StagecraftCommand.help(for: "lint") == nil)
    }

    @Test func everyOptionIsInTheHelpAndEveryOptionInTheHelpParses() throws {
        // Parsing and --help come from one table per subcommand: each option it declares
        // shows in the help, and each option the help names (usage, rows and prose) parses.
        for (name, _) in StagecraftCommand.subcommands {
            let spec = try #require(StagecraftCommand.subcommand(name)).spec()
            let help = spec.help
            for option in spec.allOptions {
                #expect(help.contains("\n  " + option.label), "\(name): --\(option.name) has no row")
                if let short = option.short { #expect(help.contains("-\(short)"), "\(name): -\(short)") }
            }
            let named = Set(help.split(whereSeparator: { !($0.isLetter || $0 == "-") })
                .filter { $0.hasPrefix("--") && $0.count > 2 }.map { String($0.dropFirst(2)) })
            #expect(!named.isEmpty, "\(name)")
            for option in named {
                let kind = spec.allOptions.first { $0.name == option }?.kind
                let arguments = ["--" + option] + (kind == .flag ? [] : ["v"])
                #expect(throws: Never.self, "\(name) --\(option)") { try spec.parse(arguments) }
            }
        }
    }

    @Test func optionRowsAlignAndWrap() {
        let rows = OptionSpec.render([
            OptionSpec("runs", .value("N"), default: "100", "simulated runs, 1 to 100000"),
            OptionSpec("set", .repeatable("NAME=VALUE"), "give a param a value"),
            .format(["text", "json"], "json is for machines"),
            OptionSpec("stdin-filename", .value("NAME"), "the name"),
            OptionSpec("activity-column", .value("NAME"), "column"),
            OptionSpec("output", short: "o", .value("FILE"), String(repeating: "word ", count: 16) + "end"),
        ])
        #expect(rows == """
          --runs N              simulated runs, 1 to 100000 (default 100)
          --set NAME=VALUE      give a param a value (repeatable)
          --format FORMAT       text or json (default text); json is for machines
          --stdin-filename NAME the name
          --activity-column NAME
                                column
          -o, --output FILE     word word word word word word word word word word word word word
                                word word word end

        """)
    }

    @Test func unknownOptionsSuggestTheClosestDeclaredOne() {
        let out = runCLI(["status", "x.flow", "--history", "x.csv", "--sed", "3"])
        #expect(out.exitCode == 2)
        #expect(out.stderr == "stagecraft: error: unknown option '--sed'\nhelp: did you mean '--seed'?\n")
        #expect(runCLI(["report", "x.flow", "--ouput", "r.html"]).stderr.contains("did you mean '--output'?"))
        #expect(runCLI(["check", "-", "--format=xml"]).stderr
            == "stagecraft: error: unknown format 'xml'\nhelp: use text, json, sarif, github or codequality\n")
    }

    @Test func textFormatHasCaretAndHelp() {
        let out = runCLI(["check", "-", "--stdin-filename", "launch.flow"],
                         stdin: "workflow \"x\" {\n  owner pm\n  stage a {\n    owner pmm\n    sla 1bd\n  }\n}\n")
        #expect(out.stdout == """
        launch.flow:2:9: warning: owner 'pm' is never used [unused-owner]
          owner pm
                ^~
        help: give it a stage, make it an approver, or remove it
        launch.flow:4:11: error: unknown owner 'pmm' [unknown-reference]
            owner pmm
                  ^~~
        help: did you mean 'pm'?
        1 error, 1 warning in 1 file

        """)
        #expect(out.exitCode == 1)
    }

    @Test func fiveMistakesGiveFiveDiagnosticsInOneRun() {
        let path = repositoryRoot + "/Tests/StagecraftCoreTests/Corpus/five-mistakes.flow"
        let out = runCLI(["check", path])
        #expect(out.exitCode == 1)
        #expect(out.stdout.hasSuffix("5 errors, 0 warnings in 1 file\n"))
        let headers = out.stdout.split(separator: "\n").filter { $0.hasPrefix(path + ":") }
        #expect(headers.map { $0.dropFirst(path.count + 1).prefix { $0 != " " } } == ["9:11:", "10:9:", "11:21:", "13:8:", "17:9:"])
        #expect(Set(headers.compactMap { $0.split(separator: "[").last }).count == 5)
    }

    @Test func strictAndMaxWarnings() {
        let text = "workflow \"x\" {\n  owner pm\n  stage a { owner pm }\n}\n"
        #expect(runCLI(["check", "-"], stdin: text).exitCode == 0)
        #expect(runCLI(["check", "-", "--strict"], stdin: text).exitCode == 1)
        #expect(runCLI(["check", "-", "--max-warnings", "1"], stdin: text).exitCode == 0)
        #expect(runCLI(["check", "-", "--max-warnings=0"], stdin: text).exitCode == 1)
    }

    @Test func usageAndIOErrorsExitTwo() {
        #expect(runCLI(["check"]).exitCode == 2)
        #expect(runCLI(["check", "--bogus", "x"]).stderr.contains("unknown option"))
        #expect(runCLI(["check", "/no/such/file.flow"]).exitCode == 2)
        #expect(runCLI(["check", "-", "--format", "xml"]).exitCode == 2)
        #expect(runCLI(["chek"]).stderr.contains("did you mean 'check'?"))
        #expect(runCLI([]).exitCode == 2)
        #expect(runCLI(["--version"]).stdout.hasPrefix("stagecraft "))
    }

    @Test func shippedWorkflowsAreStrictlyClean() {
        let out = runCLI(["check", "--strict", repositoryRoot + "/workflows"])
        #expect(out.exitCode == 0, "\(out.stdout)")
        #expect(out.stdout.contains("checked 9 files: no problems"))
    }

    @Test func directoryWalkSkipsHiddenAndBuildFolders() throws {
        let dir = NSTemporaryDirectory() + "stagecraft-walk-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/.hidden", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/.build", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        let good = "workflow \"x\" {\n  owner pm\n  stage a { owner pm; sla 1bd }\n}\n"
        for p in ["/b.flow", "/sub/a.flow", "/.hidden/bad.flow", "/.build/bad.flow"] {
            _ = fm.createFile(atPath: dir + p, contents: Data((p.contains("bad") ? "garbage" : good).utf8))
        }
        _ = fm.createFile(atPath: dir + "/notes.txt", contents: Data("x".utf8))
        defer { try? fm.removeItem(atPath: dir) }
        #expect(try Files.flowFiles([dir]) == [dir + "/b.flow", dir + "/sub/a.flow"])
        #expect(runCLI(["check", dir]).exitCode == 0)
    }
}
