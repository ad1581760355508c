import Foundation
import StagecraftOutput

/// `stagecraft graph FILE [--format mermaid|dot] [--set NAME=VALUE …]`.
enum GraphCommand {
    static let spec = CommandSpec(
        usage: """
        Usage: stagecraft graph FILE [--format mermaid|dot] [--set NAME=VALUE ...]

        Print the process as a Mermaid flowchart (renders in GitHub Markdown) or Graphviz DOT.
        Stages are rectangles and gates hexagons; labels show the title, the owner (stage) or
        approvers and quorum (gate), and the SLA. 'after' edges are solid, rework edges
        ('on reject') dashed. Nodes whose 'when' is false for the params are greyed.
        """,
        options: [
            .format(["mermaid", "dot"]),
            SimulationCLIOptions.set("defaults come from the file"),
            .stdinFilename,
        ],
        epilogue: "Exit codes: 0 printed; 1 the file has errors (shown on stderr); 2 usage or I/O error.")

    static func run(_ arguments: [String], environment: CommandEnvironment, output: inout CommandOutput) throws {
        let args = try spec.parse(arguments)
        let format = try args.choice("format")
        let path = try args.file(of: "graph", example: "stagecraft graph launch.flow --format mermaid")
        guard let (result, model) = try WorkflowInput.load(path, stdinName: args.value("stdin-filename"), verb: "drawing it",
                                                            environment: environment, output: &output) else { return }
        let values = model.paramValues(overrides: try ParamOverrides.parse(args.values("set"), model: model))
        output.stdout += format == "dot"
            ? GraphRenderer.dot(model, source: result.source, values: values)
            : GraphRenderer.mermaid(model, source: result.source, values: values)
    }
}
