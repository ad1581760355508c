import StagecraftOutput

/// One command-line option as a subcommand declares it: the one place its name, what it
/// takes and its help live, so that parsing and `--help` cannot drift apart.
struct OptionSpec: Sendable {
    enum Kind: Sendable, Equatable {
        /// No value: `--strict`.
        case flag
        /// One value, the last one given wins: `--runs N`.
        case value(String)
        /// One value, every one kept in order: `--set NAME=VALUE`.
        case repeatable(String)
    }

    var name: String
    /// A one-letter alias (`-o` for `--output`).
    var short: Character?
    var kind: Kind
    /// The only values it takes (`--format`), checked by `ParsedArguments.choice`; the help
    /// lists them.
    var choices: [String]
    /// The value it has when not given, for the help (`ParsedArguments.choice` uses it too).
    var defaultValue: String?
    /// What it does, one sentence or two; wrapped when rendered.
    var help: String

    init(_ name: String, short: Character? = nil, _ kind: Kind, choices: [String] = [], default defaultValue: String? = nil,
         _ help: String = "") {
        self.name = name
        self.short = short
        self.kind = kind
        self.choices = choices
        self.defaultValue = defaultValue
        self.help = help
    }

    /// `--format F` taking one of `choices`, `choices[0]` when absent.
    static func format(_ choices: [String], _ help: String = "") -> OptionSpec {
        OptionSpec("format", .value("FORMAT"), choices: choices, default: choices.first, help)
    }

    /// `--stdin-filename NAME`, for commands that read `-`.
    static let stdinFilename = OptionSpec("stdin-filename", .value("NAME"), "the name to report for standard input (-)")

    /// `--allow-empty`, for commands that walk directories.
    static let allowEmpty = OptionSpec("allow-empty", .flag, "a directory without .flow files is not an error")

    /// The left column of its help row: `-o, --output FILE`.
    var label: String {
        let long = "--" + name
        let withValue: String
        switch kind {
        case .flag: withValue = long
        case .value(let placeholder), .repeatable(let placeholder): withValue = long + " " + placeholder
        }
        return short.map { "-\($0), " + withValue } ?? withValue
    }

    /// The right column: the help, with the choices, the default and repeatability said
    /// in the same words for every command.
    var description: String {
        let defaultNote = defaultValue.map { "(default \($0))" }
        var parts: [String] = []
        if !choices.isEmpty { parts.append(([Self.orList(choices)] + (defaultNote.map { [$0] } ?? [])).joined(separator: " ")) }
        if !help.isEmpty { parts.append(help) }
        var text = parts.joined(separator: "; ")
        var notes: [String] = []
        if case .repeatable = kind { notes.append("(repeatable)") }
        if choices.isEmpty, let defaultNote { notes.append(defaultNote) }
        if !notes.isEmpty { text += (text.isEmpty ? "" : " ") + notes.joined(separator: " ") }
        return text
    }

    /// `a, b or c`.
    static func orList(_ items: [String]) -> String {
        items.count < 2 ? items.joined() : items.dropLast().joined(separator: ", ") + " or " + (items.last ?? "")
    }

    /// The column where help text starts, and the width it wraps at.
    static let helpColumn = 24
    static let helpWidth = 92

    /// Rows of `--help`: the label indented by two, the description from `helpColumn`
    /// (on the next line when the label reaches it), wrapped at `helpWidth`.
    static func render(_ options: [OptionSpec]) -> String {
        let indent = String(repeating: " ", count: helpColumn)
        var out = ""
        for option in options {
            let label = "  " + option.label
            let wrapped = RuleDocumentation.wrap(option.description, indent: indent, width: helpWidth)
            if wrapped.isEmpty {
                out += label + "\n"
            } else if label.count < helpColumn {
                out += label.padding(helpColumn) + wrapped.dropFirst(helpColumn)
            } else {
                out += label + "\n" + wrapped
            }
        }
        return out
    }
}

/// Options that several subcommands take alike, shown under a heading of their own
/// (`History options:`).
struct OptionGroup: Sendable {
    var title: String
    var options: [OptionSpec]
}

/// What a subcommand accepts and says about itself: the table its arguments are parsed
/// against and its `--help` is rendered from.
struct CommandSpec: Sendable {
    /// The `Usage:` lines and the prose after them, before the options.
    var usage: String
    var options: [OptionSpec]
    var groups: [OptionGroup] = []
    /// The prose after the options: formats, configuration, exit codes.
    var epilogue: String

    /// Every option the command accepts.
    var allOptions: [OptionSpec] { options + groups.flatMap(\.options) }

    func parse(_ arguments: [String]) throws -> ParsedArguments {
        try ParsedArguments.parse(arguments, spec: allOptions)
    }

    /// The `--help` text.
    var help: String {
        var sections = [usage]
        if !options.isEmpty { sections.append("Options:\n" + OptionSpec.render(options)) }
        for group in groups { sections.append(group.title + ":\n" + OptionSpec.render(group.options)) }
        sections.append(epilogue)
        return sections.map { $0.hasSuffix("\n") ? String($0.dropLast()) : $0 }.filter { !$0.isEmpty }
            .joined(separator: "\n\n") + "\n"
    }
}
