import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftCLI

@Suite struct GraphTests {
    /// A gate with a rework edge and a quorum, a node skipped by `when`, and a title with
    /// quotes, `<`, `&`, `#`, a backslash and non-ASCII text.
    static let flow = #"""
    workflow "Revisión \"Q3\" <beta> & more" {
      param handles_pii: bool = false
      param region: string = "US"
      owner pm "Product"
      owner eng
      owner sec
      owner legal
      stage prd "Write the \"PRD\" <v2> & #1 \\ café" { owner pm; sla 3bd }
      stage build { after prd; owner eng; sla 10bd }
      gate security "Security review" {
        after build
        approvers sec, legal
        quorum 1
        sla 2bd
        on reject -> build
      }
      gate privacy {
        after build
        when handles_pii or region == "EU"
        approvers legal
        sla 3bd
      }
      stage launch { after security, privacy; owner eng }
    }

    """#

    static func graph(_ extra: [String] = []) -> CommandOutput {
        runCLI(["graph", "-", "--stdin-filename", "g.flow"] + extra, stdin: flow)
    }

    @Test func mermaidGolden() {
        let out = Self.graph()
        #expect(out.exitCode == 0)
        #expect(out.stderr == "")
        expectGolden(out.stdout, "graph/escapes.mmd")
        #expect(out.stdout.hasPrefix("flowchart LR\n"))
        #expect(out.stdout.contains("  n_prd[\"Write the #quot;PRD#quot; #lt;v2#gt; #amp; #35;1 \\ café<br/>owner: pm<br/>SLA 3bd\"]\n"))
        #expect(out.stdout.contains("  n_security{{\"Security review<br/>approvers: sec, legal; quorum 1 of 2<br/>SLA 2bd\"}}\n"))
        #expect(out.stdout.contains("  n_security -. reject .-> n_build\n"))
        #expect(out.stdout.contains("skipped: when handles_pii or region == #quot;EU#quot;"))
        #expect(out.stdout.hasSuffix("  classDef skipped fill:#eee,stroke:#999,color:#999\n  class n_privacy skipped\n"))
    }

    @Test func dotGolden() {
        let out = Self.graph(["--format", "dot"])
        #expect(out.exitCode == 0)
        expectGolden(out.stdout, "graph/escapes.dot")
        #expect(out.stdout.hasPrefix("digraph \"Revisión \\\"Q3\\\" <beta> & more\" {\n"))
        #expect(out.stdout.contains("  \"prd\" [label=\"Write the \\\"PRD\\\" <v2> & #1 \\\\ café\\nowner: pm\\nSLA 3bd\"];\n"))
        #expect(out.stdout.contains("  \"security\" -> \"build\" [style=dashed, label=\"reject\", constraint=false];\n"))
        #expect(out.stdout.contains("  \"privacy\" [shape=hexagon, label=\"privacy\\napprovers: legal; quorum all\\nSLA 3bd\\nskipped: when handles_pii or region == \\\"EU\\\"\", style=filled, fillcolor=lightgrey, fontcolor=gray];\n"))
    }

    @Test func setOverridesDecideWhatIsSkipped() {
        for set in ["handles_pii=true", "region=EU"] {
            let out = Self.graph(["--set", set])
            #expect(out.exitCode == 0)
            #expect(!out.stdout.contains("skipped"), "\(set)")
        }
        #expect(Self.graph(["--set", "region=EU", "--set", "region=US"]).stdout.contains("class n_privacy skipped"))
    }

    @Test func badSetsAreUsageErrors() {
        let unknown = Self.graph(["--set", "handles_pi=true"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr == "stagecraft: error: unknown param 'handles_pi' in --set\nhelp: did you mean 'handles_pii'?\n")
        let wrongType = Self.graph(["--set", "handles_pii=yes"])
        #expect(wrongType.exitCode == 2)
        #expect(wrongType.stderr == "stagecraft: error: param 'handles_pii' is a bool, so --set handles_pii= takes true or false, not 'yes'\n")
        #expect(Self.graph(["--set", "handles_pii"]).exitCode == 2)
        #expect(Self.graph(["--set", "=1"]).exitCode == 2)
        #expect(Self.graph(["--format", "svg"]).exitCode == 2)
        #expect(runCLI(["graph"]).exitCode == 2)
        #expect(runCLI(["graph", "/no/such.flow"]).exitCode == 2)
    }

    @Test func paramOverridesParse() throws {
        let model = try #require(Checker.check(SourceFile(path: "g.flow", text: Self.flow)).model)
        #expect(try ParamOverrides.parse(["handles_pii=true", "region=a=b"], model: model)
                == ["handles_pii": .bool(true), "region": .string("a=b")])
        #expect(try ParamOverrides.parse([], model: model) == [:])
        #expect(throws: UsageError.self) { try ParamOverrides.parse(["region"], model: model) }
    }

    @Test func fileWithErrorsPrintsDiagnosticsAndExitsOne() {
        let out = runCLI(["graph", "-", "--stdin-filename", "bad.flow"],
                         stdin: "workflow \"x\" {\n  stage a { owner nobody; sla 1bd }\n}\n")
        #expect(out.exitCode == 1)
        #expect(out.stdout == "")
        #expect(out.stderr == """
        bad.flow:2:19: error: unknown owner 'nobody' [unknown-reference]
          stage a { owner nobody; sla 1bd }
                          ^~~~~~
        help: declare it in the workflow, or fix the spelling
        stagecraft: error: bad.flow has 1 error; fix it before drawing it

        """)
        let empty = runCLI(["graph", "-"], stdin: "# nothing\n")
        #expect(empty.exitCode == 1)
    }

    @Test func readmeShowsTheLaunchExampleGraph() throws {
        let readme = String(decoding: try Files.read(repositoryRoot + "/README.md"), as: UTF8.self)
        let graph = runCLI(["graph", repositoryRoot + "/examples/launch/launch.flow"]).stdout
        #expect(readme.contains("```mermaid\n" + graph + "```\n"),
                "README.md's graph example is stale: paste the output of `swift run stagecraft graph examples/launch/launch.flow`")
    }
}
