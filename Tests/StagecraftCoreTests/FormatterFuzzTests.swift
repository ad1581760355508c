import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftOutput
@testable import StagecraftCLI

/// Random programs with random layout — white space, `;`, blank lines, comments after
/// every brace, statement and list comma — must format idempotently, keep their tree
/// and keep every comment. Prefixes of real files must never trap the formatter.
@Suite struct FormatterFuzzTests {
    struct Generator {
        var rng: TestRandom
        var commentCount = 0

        mutating func pick<T>(_ options: [T]) -> T { options[rng.below(options.count)] }
        mutating func chance(_ n: Int) -> Bool { rng.below(n) == 0 }

        mutating func comment() -> String {
            commentCount += 1
            return pick(["#", "# ", "#\t"]) + "c\(commentCount)" + pick(["", " ", "  \t"])
        }

        /// White space between two tokens on one line.
        mutating func space() -> String { pick([" ", "  ", "\t", " \t"]) }

        /// The end of a statement: a line break (perhaps with comments and blank lines) or `;`.
        mutating func end() -> String {
            switch rng.below(7) {
            case 0: return ";" + space()
            case 1: return space() + ";" + space()
            case 2: return space() + comment() + "\n"
            case 3: return "\n\n\n" + space()
            case 4: return "\n" + space() + comment() + "\n" + (chance(2) ? "\n" : "") + space()
            default: return "\n" + space()
            }
        }

        /// Between list elements: a comma, then maybe a line break with comments.
        mutating func comma() -> String {
            switch rng.below(5) {
            case 0: return "," + space() + comment() + "\n" + space()
            case 1: return ",\n" + space() + comment() + "\n" + space()
            case 2: return ",\n" + space()
            default: return pick([", ", ",", " , "])
            }
        }

        mutating func id() -> String { pick(["a", "b", "pm", "eng", "review", "stage", "x_1"]) }

        mutating func string() -> String {
            pick(["\"T\"", "\"with \\\"quotes\\\"\"", "\"tab\\tnew\\nline\"", "\"é 🚀 \\u{1F680}\"", "\"\\u{7}\"", "\"\""])
        }

        mutating func number() -> String { pick(["1", "2.5", "03", "-4", "10.0", "0"]) }
        mutating func duration() -> String { number().replacingOccurrences(of: "-", with: "") + pick(["m", "h", "d", "w", "bd"]) }

        mutating func list(_ element: (inout Generator) -> String) -> String {
            var s = element(&self)
            for _ in 0..<rng.below(3) { s += comma() + element(&self) }
            return s
        }

        mutating func block(_ statements: [String]) -> String {
            if statements.isEmpty { return "{" + pick(["", " ", "\n", "\n" + comment() + "\n"]) + "}" }
            var s = "{" + pick([" ", "\n", space() + comment() + "\n", "\n\n"])
            for (i, st) in statements.enumerated() {
                s += st
                s += i == statements.count - 1 ? pick([" ", "\n", "\n" + comment() + "\n", ";"]) : end()
            }
            return s + "}"
        }

        mutating func expression(_ depth: Int) -> String {
            if depth > 2 || chance(3) {
                switch rng.below(4) {
                case 0: return id() + space() + pick(["==", "!=", "<", "<=", ">", ">="]) + space() + pick([string(), number()])
                case 1:
                    var items: [String] = []
                    for _ in 0..<rng.below(3) { items.append(string()) }
                    let sep = pick([", ", ",\n", ", " + comment() + "\n"])
                    return id() + " in [" + pick(["", "\n"]) + items.joined(separator: sep) + pick(["", "\n"]) + "]"
                case 2: return pick(["true", "false"])
                default: return id()
                }
            }
            switch rng.below(3) {
            case 0: return "not " + expression(depth + 1)
            case 1: return "(" + pick(["", "\n", comment() + "\n"]) + expression(depth + 1) + pick(["", "\n"]) + ")"
            default:
                return expression(depth + 1) + space() + pick(["and", "or"]) + space() + expression(depth + 1)
            }
        }

        mutating func nodeStatement(gate: Bool) -> String {
            switch rng.below(gate ? 11 : 8) {
            case 0: return "after " + list { $0.id() }
            case 1: return "when " + expression(0)
            case 2: return "sla " + duration()
            case 3: return "estimate " + (chance(2) ? duration() + pick(["..", " .. "]) + duration()
                                                    : duration() + space() + duration() + space() + duration())
            case 4: return "matches " + list { $0.string() }
            case 5:
                var items: [String] = []
                for _ in 0..<rng.below(3) { items.append(string() + (chance(2) ? " by " + id() : "")) }
                return "checklist" + space() + block(items)
            case 6, 7: return gate ? "approvers " + list { $0.id() } : "owner " + id()
            case 8: return "quorum " + pick(["all", "2", "1.0"])
            case 9: return "reject " + number().replacingOccurrences(of: "-", with: "") + "%"
            default: return "on reject" + pick([" -> ", "->", " ->  "]) + id()
            }
        }

        mutating func member() -> String {
            switch rng.below(9) {
            case 0: return "description " + string()
            case 1: return "deadline " + duration()
            case 2:
                var items: [String] = []
                for _ in 0..<rng.below(3) {
                    items.append(chance(2) ? "workdays mon" + space() + "tue fri" : "holiday 2026-12-25" + (chance(2) ? " " + string() : ""))
                }
                return "calendar" + space() + block(items)
            case 3: return "param " + id() + pick([":", " : ", ": "]) + pick(["bool", "string", "number"]) + pick(["=", " = "])
                + pick(["true", string(), number()])
            case 4, 5:
                var s = "owner " + id() + (chance(2) ? space() + string() : "")
                if chance(2) {
                    var items: [String] = []
                    for _ in 0..<rng.below(3) {
                        items.append(pick(["capacity " + number(), "contact " + string(), "members " + list { $0.string() }]))
                    }
                    s += space() + block(items)
                }
                return s
            default:
                let gate = chance(2)
                var statements: [String] = []
                for _ in 0..<rng.below(5) { statements.append(nodeStatement(gate: gate)) }
                return (gate ? "gate " : "stage ") + id() + (chance(2) ? space() + string() : "") + space() + block(statements)
            }
        }

        mutating func file() -> String {
            var s = chance(2) ? comment() + "\n" + pick(["", "\n"]) : ""
            var members: [String] = []
            for _ in 0..<rng.below(8) { members.append(member()) }
            s += "workflow " + string() + space() + block(members)
            s += pick(["", "\n", " " + comment(), "\n\n" + comment() + "\n"])
            return s
        }
    }

    static func commentTexts(_ parsed: ParsedFile) -> [String] {
        FormatterTests.commentTexts(parsed)
    }

    @Test func randomProgramsWithRandomLayout() {
        var generator = Generator(rng: TestRandom(state: 99))
        var formatted = 0
        for _ in 0..<3000 {
            let text = generator.file()
            let parsed = Parser.parse(SourceFile(path: "g", text: text))
            guard let out = FlowFormatter.format(parsed) else { continue }
            formatted += 1
            let again = Parser.parse(SourceFile(path: "g", text: out))
            #expect(!again.hasErrors, "\(text)\n---\n\(out)")
            #expect(FormatDump.dump(again.tree) == FormatDump.dump(parsed.tree), "\(text)\n---\n\(out)")
            #expect(Self.commentTexts(again) == Self.commentTexts(parsed), "\(text)\n---\n\(out)")
            #expect(FlowFormatter.format(again) == out, "\(text)\n---\n\(out)")
            #expect(!out.contains(" \n") && !out.contains("\t\n") && !out.contains("\n\n\n") && out.hasSuffix("\n"))
        }
        // Most generated programs are valid; the generator would be broken otherwise.
        #expect(formatted > 2500)
    }

    @Test func everyPrefixOfEveryFileFormatsSafely() throws {
        for path in FormatterTests.propertyFiles {
            let bytes = try Files.read(path)
            let step = max(1, bytes.count / 300)
            for end in stride(from: 0, through: bytes.count, by: step) {
                let parsed = Parser.parse(SourceFile(path: "p", bytes: Array(bytes[0..<end])))
                guard let out = FlowFormatter.format(parsed) else { continue }
                let again = Parser.parse(SourceFile(path: "p", text: out))
                #expect(FormatDump.dump(again.tree) == FormatDump.dump(parsed.tree))
                #expect(FlowFormatter.format(again) == out)
            }
        }
    }
}
