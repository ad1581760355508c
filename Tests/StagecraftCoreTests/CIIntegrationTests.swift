import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftCLI

/// The pieces a team's CI relies on: the composite action, the release flags shared by
/// the Makefile, the Dockerfile and .ci/run, empty paths, colour, and the report formats.
@Suite struct CIIntegrationTests {
    static func read(_ name: String) throws -> String {
        String(decoding: try Files.read(repositoryRoot + "/" + name), as: UTF8.self)
    }

    /// The keys of a top-level YAML mapping (`inputs:`), two spaces in.
    static func topLevelKeys(_ yaml: String, under section: String) -> [String] {
        var keys: [String] = []
        var inside = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty {
                inside = line == "\(section):"
                continue
            }
            if inside, line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":") {
                keys.append(String(line.dropFirst(2).dropLast()))
            }
        }
        return keys
    }

    /// Every `prefix.NAME` in an expression of the file (`inputs.paths`, `steps.key.outputs`).
    static func references(_ yaml: String, _ prefix: String) -> [String] {
        var out: [String] = []
        var rest = Substring(yaml)
        while let r = rest.range(of: prefix + ".") {
            let name = rest[r.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
            out.append(String(name))
            rest = rest[r.upperBound...]
        }
        return out
    }

    @Test func actionDeclaresWhatItUsesAndRunsCommandsTheCLIAccepts() throws {
        let action = try Self.read("action.yml")
        #expect(action.contains("using: composite"))
        // Every input an expression reads is declared, and every declared input is read.
        let declared = Self.topLevelKeys(action, under: "inputs")
        #expect(declared == ["paths", "strict", "fmt-check", "upload-sarif", "sarif-file", "category"])
        let used = Set(Self.references(action, "inputs"))
        #expect(used == Set(declared), "undeclared: \(used.subtracting(declared)); unused: \(Set(declared).subtracting(used))")
        // Every step output read comes from a step with that id.
        let ids = Set(action.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("id: ") ? String(t.dropFirst(4)) : nil
        })
        #expect(Set(Self.references(action, "steps")).isSubset(of: ids) && ids == ["key", "cache"])
        // The actions it uses, pinned to a major version.
        let uses = action.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("uses: ") ? String(t.dropFirst(6)) : nil
        }
        #expect(uses == ["actions/cache@v4", "github/codeql-action/upload-sarif@v3"])
        // The cache key hashes the files the binary is built from, and they exist.
        let hashLine = try #require(action.split(separator: "\n").first { $0.contains("find ") && $0.contains("sha256sum") })
        let hashed = hashLine.split(separator: " ").drop { !$0.hasSuffix("find") }.dropFirst().prefix { !$0.hasPrefix("-") }.map(String.init)
        #expect(hashed == ["Package.swift", "Sources"])
        for path in hashed { #expect(FileManager.default.fileExists(atPath: repositoryRoot + "/" + path), "\(path)") }
        // It builds with the release flags every other build uses.
        #expect(action.contains("swift build --package-path \"$ACTION_PATH\" " + Self.releaseFlags + " --product stagecraft"))
        // Each stagecraft command it runs is accepted by the CLI and passes on the shipped files.
        let commands = action.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("stagecraft ") }
        #expect(commands.count == 3)
        for command in commands {
            let words = command.split(separator: " ").map(String.init)
            var arguments = [words[1]] + words.filter { $0.hasPrefix("--") && $0 != "--" && !$0.hasPrefix("-->") }
            if command.contains("\"${flags[@]}\"") { arguments.append("--strict") }
            if command.contains("--format sarif") { arguments.insert("sarif", at: arguments.firstIndex(of: "--format")! + 1) }
            if command.contains("--format github") { arguments.insert("github", at: arguments.firstIndex(of: "--format")! + 1) }
            let out = runCLI(arguments + ["--", repositoryRoot + "/workflows"])
            #expect(out.exitCode == 0, "\(command): \(out.stderr)")
        }
    }

    static let releaseFlags = "-c release --static-swift-stdlib -Xlinker -no-pie"

    @Test func everyReleaseBuildUsesTheSameFlags() throws {
        #expect(try Self.read(".ci/run").contains("swift build " + Self.releaseFlags + "\n"))
        #expect(try Self.read("Makefile").contains("RELEASE_FLAGS = " + Self.releaseFlags + "\n"))
        #expect(try Self.read("Dockerfile").contains("swift build " + Self.releaseFlags + " --product stagecraft"))
        let makefile = try Self.read("Makefile")
        #expect(makefile.contains("PREFIX ?= /usr/local") && makefile.contains("install -m 0755 $(BIN) \"$(DESTDIR)$(BINDIR)/stagecraft\""))
        #expect(makefile.contains("rm -f \"$(DESTDIR)$(BINDIR)/stagecraft\""))
        #expect(runCLI(["--version"]).stdout == "stagecraft \(StagecraftCommand.version)\n")
    }

    /// `make -n` prints what install and uninstall would run, without building.
    @Test func makeInstallHonoursPrefixAndDestdir() throws {
        guard let make = ["/usr/bin/make", "/usr/local/bin/make"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("make not found: skipping the Makefile dry run")
            return
        }
        func dryRun(_ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: make)
            process.arguments = ["-n", "-C", repositoryRoot] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        let install = try dryRun(["install", "PREFIX=/opt/sc", "DESTDIR=/stage"])
        #expect(install.contains("swift build " + Self.releaseFlags + " --product stagecraft\n"))
        #expect(install.contains("install -m 0755 .build/release/stagecraft \"/stage/opt/sc/bin/stagecraft\"\n"))
        #expect(try dryRun(["install"]).contains("\"/usr/local/bin/stagecraft\""))
        #expect(try dryRun(["uninstall", "PREFIX=/opt/sc"]).contains("rm -f \"/opt/sc/bin/stagecraft\"\n"))
    }

    @Test func theSARIFTheActionUploadsValidates() throws {
        guard let python = Self.python3() else {
            print("python3 not found: skipping scripts/validate-sarif.py on the action's SARIF")
            return
        }
        let dir = try makeTemporaryDirectory("action-sarif")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // As the action runs it: the shipped files, and a file with findings of every kind.
        for (name, paths) in [("shipped", ["workflows", "examples"]), ("findings", ["Tests/StagecraftCoreTests/Corpus/five-mistakes.flow"])] {
            let out = runCLI(["check", "--format", "sarif", "--"] + paths.map { repositoryRoot + "/" + $0 })
            #expect(out.exitCode < 2, "\(out.stderr)")
            let file = dir + "/\(name).sarif"
            try writeFile(file, out.stdout)
            #expect(try SARIFTests.runValidator(python, file) == 0, "\(name)")
            #expect(out.stdout.contains("\"informationUri\": \"\(StagecraftCommand.homepage)#readme\""))
            #expect(out.stdout.contains("\"helpUri\": \"\(StagecraftCommand.homepage)#rules\""))
        }
        // The validator rejects a placeholder informationUri.
        let bad = runCLI(["check", "--format", "sarif", repositoryRoot + "/workflows"]).stdout
            .replacingOccurrences(of: "\(StagecraftCommand.homepage)#readme", with: "TODO")
        try writeFile(dir + "/bad.sarif", bad)
        #expect(try SARIFTests.runValidator(python, dir + "/bad.sarif") == 1)
    }

    static func python3() -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { String($0) + "/python3" }
        return (path + ["/usr/bin/python3", "/usr/local/bin/python3"]).first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test func pathsWithoutFlowFilesExitTwo() throws {
        let dir = try makeTemporaryDirectory("empty")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeFile(dir + "/notes/README.md", "no process here\n")
        for command in ["check", "fmt"] {
            let out = runCLI([command, dir])
            #expect(out.exitCode == 2 && out.stdout.isEmpty, "\(command)")
            #expect(out.stderr == "stagecraft: error: \(dir): no .flow file in this directory (pass --allow-empty if that is expected)\n")
            // One empty folder among good paths still fails: it is probably a typo.
            #expect(runCLI([command, repositoryRoot + "/workflows", dir]).exitCode == 2, "\(command)")
            let allowed = runCLI([command, "--allow-empty", dir])
            #expect(allowed.exitCode == 0, "\(command): \(allowed.stderr)")
        }
        #expect(runCLI(["check", "--allow-empty", dir]).stdout == "checked 0 files: no problems\n")
    }

    @Test func colourFollowsFlagsAndNoColorAndForceColor() {
        let cases: [(ColorChoice, Bool, [String: String], Bool)] = [
            (.auto, true, [:], true),
            (.auto, false, [:], false),
            (.auto, true, ["NO_COLOR": ""], true),        // set but empty does not count
            (.auto, true, ["NO_COLOR": "1"], false),
            (.auto, false, ["FORCE_COLOR": "1"], true),
            (.auto, false, ["FORCE_COLOR": ""], false),
            (.auto, true, ["NO_COLOR": "1", "FORCE_COLOR": "1"], true),
            (.never, true, ["FORCE_COLOR": "1"], false),
            (.always, false, ["NO_COLOR": "1"], true),
        ]
        for (choice, terminal, variables, expected) in cases {
            #expect(choice.allows(terminal: terminal, variables: variables) == expected, "\(choice) \(terminal) \(variables)")
        }
        let source = Array("workflow \"x\" {\n  stage a { owner nobody }\n}\n".utf8)
        func run(_ args: [String], terminal: Bool, _ variables: [String: String] = [:]) -> CommandOutput {
            StagecraftCommand.run(["check", "-"] + args, environment: CommandEnvironment(
                readStandardInput: { source }, stdoutIsTerminal: terminal, variables: variables))
        }
        let escape = "\u{1B}["
        #expect(run([], terminal: true).stdout.contains(escape))
        #expect(!run([], terminal: true, ["NO_COLOR": "1"]).stdout.contains(escape))
        #expect(run([], terminal: true, ["NO_COLOR": ""]).stdout.contains(escape))
        #expect(run([], terminal: false, ["FORCE_COLOR": "1"]).stdout.contains(escape))
        #expect(run(["--color", "always"], terminal: false).stdout.contains(escape))
        #expect(!run(["--color=never"], terminal: true, ["FORCE_COLOR": "1"]).stdout.contains(escape))
        // Without colour the text is the same, less the escapes.
        #expect(run(["--color", "never"], terminal: true).stdout == run([], terminal: false).stdout)
        let bad = run(["--color", "sometimes"], terminal: false)
        #expect(bad.exitCode == 2 && bad.stderr == "stagecraft: error: --color takes auto, always or never, not 'sometimes'\n")
        // After `--`, --color is a PATH like any other.
        #expect(runCLI(["check", "--", "--color"]).stderr.contains("--color: no such file or directory"))
        #expect(ProcessStreams.environmentVariables(lookup: { $0 == "FORCE_COLOR" ? "1" : nil }) == ["FORCE_COLOR": "1"])
    }

    @Test func codeQualityReportHasOneIssuePerDiagnostic() throws {
        let path = repositoryRoot + "/Tests/StagecraftCoreTests/Corpus/five-mistakes.flow"
        let result = Checker.check(SourceFile(path: path, bytes: try Files.read(path)))
        let out = runCLI(["check", "--format", "codequality", path])
        #expect(out.exitCode == 1)
        let issues = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])
        #expect(issues.count == result.diagnostics.count && issues.count >= 5)
        for (issue, d) in zip(issues, result.diagnostics) {
            #expect(issue["check_name"] as? String == d.rule)
            #expect(issue["severity"] as? String == (d.severity == .error ? "major" : "minor"))
            let location = issue["location"] as? [String: Any]
            #expect((location?["lines"] as? [String: Int])?["begin"] == result.source.location(of: d.range.start).line)
            #expect((location?["path"] as? String)?.hasSuffix("Corpus/five-mistakes.flow") == true)
            #expect((issue["fingerprint"] as? String)?.count == 16)
        }
        #expect(Set(issues.compactMap { $0["fingerprint"] as? String }).count == issues.count)
    }
}
