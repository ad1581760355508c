import Foundation
import StagecraftCore

// Generators and timings for the benchmark scripts in scripts/. Usage:
//   stagecraft-bench flow-corpus DIR FILES      write FILES realistic ~60-line .flow files
//   stagecraft-bench flow-big FILE MEGABYTES    write one workflow of about that size
//   stagecraft-bench check-file FILE RUNS       time lex+parse+check of FILE in-process
//   stagecraft-bench simulate [THREADS]         time SimulationBenchmark (medians of 5)

func flowFile(seed: Int, nodes: Int, ownersCount: Int) -> String {
    var s = "# Generated process \(seed): a launch with reviews and rework.\n"
    s += "workflow \"Generated launch \(seed)\" {\n"
    s += "  description \"Benchmark workflow \(seed)\"\n"
    s += "  deadline \(nodes * 6)bd\n\n"
    s += "  calendar {\n    workdays mon tue wed thu fri\n    holiday 2026-12-25 \"Christmas\"\n  }\n\n"
    s += "  param region: string = \"US\"\n\n"
    for o in 0..<ownersCount {
        s += "  owner o\(o) \"Team \(o)\" { capacity \(nodes) }\n"
    }
    s += "  owner lead \"Launch lead\"\n"
    for n in 0..<nodes {
        let isGate = n % 4 == 3
        s += "\n  \(isGate ? "gate" : "stage") n\(n) \"Step \(n) of \(seed)\" {\n"
        if n > 0 { s += "    after n\(n - 1)\n" }
        if isGate {
            s += "    approvers lead\n    sla 2bd\n    reject 10%\n    on reject -> n\(n - 1)\n"
        } else {
            s += "    owner o\(n % ownersCount)\n    sla 5bd  # agreed with the team\n    estimate 1bd 2bd 4bd\n"
            if n == 1 { s += "    when region == \"US\" or region in [\"EU\", \"UK\"]\n" }
            s += "    checklist {\n      \"Item A\"\n      \"Item B\" by lead\n    }\n"
        }
        s += "  }\n"
    }
    s += "}\n"
    return s
}

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: stagecraft-bench flow-corpus DIR N | flow-big FILE MB | check-file FILE RUNS | simulate [THREADS]\n".utf8))
    exit(2)
}
switch args[1] {
case "flow-corpus" where args.count == 4:
    let dir = args[2]
    let count = Int(args[3]) ?? 2000
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var lines = 0
    for i in 0..<count {
        let text = flowFile(seed: i, nodes: 5, ownersCount: 3)
        lines += text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        _ = FileManager.default.createFile(atPath: "\(dir)/p\(i).flow", contents: Data(text.utf8))
    }
    print(lines)
case "flow-big" where args.count == 4:
    let target = (Int(args[3]) ?? 10) * 1_000_000
    var text = ""
    var nodes = 1000
    repeat {
        text = flowFile(seed: 0, nodes: nodes, ownersCount: 40)
        nodes = Int(Double(nodes) * Double(target) / Double(max(1, text.utf8.count))) + 1
    } while abs(text.utf8.count - target) > target / 50
    _ = FileManager.default.createFile(atPath: args[2], contents: Data(text.utf8))
    print(text.split(separator: "\n", omittingEmptySubsequences: false).count - 1)
case "phases" where args.count == 3:
    guard let data = FileManager.default.contents(atPath: args[2]) else { exit(2) }
    let source = SourceFile(path: args[2], bytes: [UInt8](data))
    func time(_ label: String, _ body: () -> Void) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        print(label, String(format: "%.4f", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9))
    }
    time("lex") { _ = Lexer.lex(source) }
    var parsed: ParsedFile?
    time("parse (incl. lex)") { parsed = Parser.parse(source) }
    guard let parsed, let workflow = parsed.tree.workflow else { exit(1) }
    var model: WorkflowModel?
    time("model") { model = WorkflowModel(workflow) }
    let context = RuleContext(parsed: parsed, model: model)
    for rule in RuleRegistry.all {
        time(rule.description.id) { _ = rule.init().check(context) }
    }
case "check-file" where args.count == 4:
    guard let data = FileManager.default.contents(atPath: args[2]) else { exit(2) }
    let bytes = [UInt8](data)
    var times: [Double] = []
    for _ in 0..<(Int(args[3]) ?? 5) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let r = Checker.check(SourceFile(path: args[2], bytes: bytes))
        let t1 = DispatchTime.now().uptimeNanoseconds
        if r.errorCount > 0 { print("unexpected errors: \(r.errorCount)") }
        times.append(Double(t1 - t0) / 1e9)
    }
    times.sort()
    print(String(format: "%.4f", times[times.count / 2]))
case "simulate" where args.count <= 3:
    var threads: Int?
    if args.count == 3 {
        guard let t = Int(args[2]), t >= 1 else {
            FileHandle.standardError.write(Data("simulate: THREADS must be a whole number of at least 1\n".utf8))
            exit(2)
        }
        threads = t
    }
    print(SimulationBenchmark.run(repeats: 5, threads: threads))
default:
    FileHandle.standardError.write(Data("unknown benchmark command\n".utf8))
    exit(2)
}
