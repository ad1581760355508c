import Foundation
import StagecraftSyntax
import StagecraftLanguage
import StagecraftHistory
import StagecraftAnalysis
import StagecraftSimulation
import StagecraftOutput
import StagecraftCLI

// Generators and timings for the benchmark scripts in scripts/. Usage:
//   stagecraft-bench flow-corpus DIR FILES      write FILES realistic ~60-line .flow files
//   stagecraft-bench flow-big FILE MEGABYTES    write one workflow of about that size
//   stagecraft-bench check-file FILE RUNS       time lex+parse+check of FILE in-process
//   stagecraft-bench simulate [THREADS]         time SimulationBenchmark (medians of 5)
//   stagecraft-bench replay-log CSV FLOW [CASES] write the replay benchmark log (25,000 cases × 40 events) and .flow

func flowFile(seed: Int, nodes: Int, ownersCount: Int) -> String {
    var s = "# Generated process \(seed): a launch with reviews and rework.\n"
    s += "workflow \"Generated launch \(seed)\" {\n"
    s += "  description \"Benchmark workflow \(seed)\"\n"
    s += "  deadline \(min(nodes * 6, 9000))bd\n\n"
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

/// A replay benchmark: an interval log of `cases` cases × 40 events over ten activities (four rounds
/// of a process with rework; 60 resources), written as CSV, and a matching `.flow` file with bd and
/// elapsed SLAs, a gate with an `on reject` route, and owners whose `members` name the resources.
/// Deterministic (SplitMix64, seed 42). Returns the number of events written.
func writeReplayBenchmark(csvPath: String, flowPath: String, cases: Int) -> Int {
    let activities = ["Intake", "Triage", "Design", "Review", "Build", "Test", "Security", "Docs", "Approve", "Release"]
    var rng = SplitMix64(state: 42)
    var out: [UInt8] = []
    out.reserveCapacity(cases * 40 * 64)
    out += Array("case_id,activity,start_time,end_time,resource\n".utf8)
    func two(_ v: Int) { out.append(UInt8(48 + v / 10)); out.append(UInt8(48 + v % 10)) }
    func stamp(_ t: Int) {
        let day = t / 86_400, rem = t % 86_400
        let d = CivilDate(dayNumber: day)
        out += Array(String(d.year).utf8)
        out.append(45); two(d.month); out.append(45); two(d.day)
        out.append(84); two(rem / 3600); out.append(58); two(rem / 60 % 60); out.append(58); two(rem % 60)
    }
    let base = CivilDate(year: 2024, month: 1, day: 1).dayNumber * 86_400
    var events = 0
    for c in 0..<cases {
        // Arrivals spread over a year; each event starts after a wait and takes minutes to hours.
        var t = base + Int(rng.next() % UInt64(365 * 86_400))
        let caseID = Array("c\(c)".utf8)
        for i in 0..<40 {
            let a = i % 10
            t += Int(rng.next() % 7_200)
            let start = t
            t += 60 + Int(rng.next() % 10_800)
            let resource = (a * 6 + Int(rng.next() % 6)) % 60
            out += caseID
            out.append(44)
            out += Array(activities[a].utf8)
            out.append(44)
            stamp(start)
            out.append(44)
            stamp(t)
            out += Array(",U\(resource)\n".utf8)
            events += 1
        }
    }
    _ = FileManager.default.createFile(atPath: csvPath, contents: Data(out))
    var flow = "# Generated for scripts/bench-replay.sh: ten activities, rework through a review gate.\n"
    flow += "workflow \"Replay benchmark\" {\n"
    for o in 0..<10 {
        let members = (0..<6).map { "\"U\(o * 6 + $0)\"" }.joined(separator: ", ")
        flow += "  owner team\(o) { capacity 3; members \(members) }\n"
    }
    for (k, name) in activities.enumerated() {
        let kind = name == "Review" || name == "Approve" ? "gate" : "stage"
        flow += "  \(kind) \(name.lowercased()) \"\(name)\" {\n"
        if k > 0 { flow += "    after \(activities[k - 1].lowercased())\n" }
        flow += kind == "gate" ? "    approvers team\(k)\n" : "    owner team\(k)\n"
        flow += k % 2 == 0 ? "    sla 1bd\n" : "    sla 4h\n"
        if name == "Review" { flow += "    on reject -> design\n" }
        flow += "  }\n"
    }
    flow += "}\n"
    _ = FileManager.default.createFile(atPath: flowPath, contents: Data(flow.utf8))
    return events
}

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: stagecraft-bench flow-corpus DIR N | flow-big FILE MB | check-file FILE RUNS | simulate [THREADS] | replay-log CSV FLOW [CASES]\n".utf8))
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
    // The fastest of three runs of each phase: the machine is shared and noisy.
    func time(_ label: String, _ body: () -> Void) {
        var best = Double.infinity
        for _ in 0..<3 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        print(label, String(format: "%.4f", best))
    }
    time("line starts (whole table)") { _ = SourceFile(path: source.path, bytes: source.bytes).lineStarts }
    time("lex") { _ = Lexer.lex(source) }
    var parsed: ParsedFile?
    time("parse (incl. lex)") { parsed = Parser.parse(source) }
    guard let parsed, let workflow = parsed.tree.workflow else { exit(1) }
    var model: WorkflowModel?
    time("model") { model = WorkflowModel(workflow) }
    time("rule context (SLA schedule)") { _ = RuleContext(parsed: parsed, model: model) }
    let context = RuleContext(parsed: parsed, model: model)
    var total = 0.0
    for rule in RuleRegistry.all {
        let t0 = DispatchTime.now().uptimeNanoseconds
        time(rule.description.id) { _ = rule.check(context) }
        total += Double(DispatchTime.now().uptimeNanoseconds - t0) / 3e9
    }
    print("rules (sum, one core)", String(format: "%.4f", total))
    time("Checker.check") { _ = Checker.check(source) }
    var kept: [CheckResult] = []
    var freeing = 0.0
    for _ in 0..<3 {
        kept.append(Checker.check(source))
        let t0 = DispatchTime.now().uptimeNanoseconds
        kept.removeAll()
        freeing = max(freeing, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    print("freeing the tree and model", String(format: "%.4f", freeing))
    time("StagecraftCommand.run check") {
        _ = StagecraftCommand.run(["check", args[2]], environment: CommandEnvironment())
    }
case "rule" where args.count == 4:
    // One rule, 20 times over one file: for profiling a rule with perf.
    guard let data = FileManager.default.contents(atPath: args[3]) else { exit(2) }
    let parsed = Parser.parse(SourceFile(path: args[3], bytes: [UInt8](data)))
    let context = RuleContext(parsed: parsed, model: parsed.tree.workflow.map { WorkflowModel($0) })
    if args[2] == "parse" {
        // Parsing alone, 20 times.
        var n = 0
        for _ in 0..<20 { n += Parser.parse(parsed.source).comments.count }
        print(n)
        exit(0)
    }
    if args[2] == "model" {
        // Resolution alone, 20 times.
        var n = 0
        for _ in 0..<20 { n += parsed.tree.workflow.map { WorkflowModel($0).nodes.count } ?? 0 }
        print(n)
        exit(0)
    }
    guard let rule = RuleRegistry.all.first(where: { $0.description.id == args[2] }) else { exit(2) }
    var found = 0
    for _ in 0..<20 { found += rule.check(context).count }
    print(found)
case "memory" where args.count == 3:
    // Resident memory after each phase, in a fresh process.
    func rss() -> String {
        let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? "0 0"
        let pages = Int(statm.split(separator: " ")[1]) ?? 0
        return String(format: "%.1f MB", Double(pages * 4096) / 1e6)
    }
    print("start", rss())
    guard let data = FileManager.default.contents(atPath: args[2]) else { exit(2) }
    let source = SourceFile(path: args[2], bytes: [UInt8](data))
    print("read", rss(), "lines", source.lineStarts.count)
    let lexed = Lexer.lex(source)
    print("lex", rss(), "tokens", lexed.tokens.count, "comments", lexed.comments.count)
    let parsed = Parser.parse(source)
    print("parse", rss())
    let model = parsed.tree.workflow.map { WorkflowModel($0) }
    print("model", rss())
    let context = RuleContext(parsed: parsed, model: model)
    var found = 0
    for rule in RuleRegistry.all { found += rule.check(context).count }
    print("rules", rss(), found, lexed.tokens.count + (model?.nodes.count ?? 0))
case "replay-log" where args.count == 4 || args.count == 5:
    let events = writeReplayBenchmark(csvPath: args[2], flowPath: args[3], cases: args.count == 5 ? Int(args[4]) ?? 25_000 : 25_000)
    print(events)
case "replay-phases" where args.count == 4:
    // In-process timings of reading the log and of the replay itself.
    func seconds(_ t0: UInt64) -> String {
        String(format: "%.3f", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    guard let data = FileManager.default.contents(atPath: args[2]) else { exit(2) }
    let checked = Checker.check(SourceFile(path: args[2], bytes: [UInt8](data)))
    guard let model = checked.model else { exit(1) }
    var t0 = DispatchTime.now().uptimeNanoseconds
    let log = try HistoryReader.read(path: args[3])
    print("read", seconds(t0))
    t0 = DispatchTime.now().uptimeNanoseconds
    let result = Replay.run(model: model, log: log)
    print("replay", seconds(t0))
    t0 = DispatchTime.now().uptimeNanoseconds
    let json = ReplayFormatter(model: model, result: result, file: args[2], log: log).json()
    print("json", seconds(t0), json.utf8.count)
case "check-corpus" where args.count == 3:
    // In-process, one thread: the cost of Checker.check itself on small files.
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: args[2])) ?? []).filter { $0.hasSuffix(".flow") }.sorted()
    let sources = names.compactMap { name in
        FileManager.default.contents(atPath: args[2] + "/" + name).map { SourceFile(path: name, bytes: [UInt8]($0)) }
    }
    var times: [Double] = []
    for _ in 0..<5 {
        let t0 = DispatchTime.now().uptimeNanoseconds
        var diagnostics = 0
        for s in sources { diagnostics += Checker.check(s).diagnostics.count }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        if diagnostics > 0 { print("unexpected diagnostics: \(diagnostics)") }
    }
    times.sort()
    print(String(format: "%.4f", times[times.count / 2]))
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
