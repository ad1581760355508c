import StagecraftSyntax
import StagecraftLanguage
import StagecraftHistory
import StagecraftSimulation

/// A usage error: bad flags or values. Exit code 2.
public struct UsageError: Error, Sendable {
    public var message: String
    public var help: String?

    public init(_ message: String, help: String? = nil) {
        self.message = message
        self.help = help
    }
}

/// An I/O or input error: unreadable file, unreadable history. Exit code 2.
public struct InputError: Error, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}

/// The flags and positional arguments of one subcommand invocation.
///
/// Accepts `--name value`, `--name=value`, repeated options, and `--` to end flags.
/// A lone `-` is a positional argument (standard input).
public struct ParsedArguments: Sendable {
    public var positional: [String] = []
    public var flags: Set<String> = []
    public var options: [String: [String]] = [:]
    /// The options the arguments were parsed against: their choices and defaults.
    var spec: [OptionSpec] = []

    /// The last value of an option.
    public func value(_ name: String) -> String? { options[name]?.last }

    /// Every value of a repeatable option, in order.
    public func values(_ name: String) -> [String] { options[name] ?? [] }

    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// An integer option within a range.
    public func int(_ name: String, default def: Int, range: ClosedRange<Int>) throws -> Int {
        guard let s = value(name) else { return def }
        guard let v = Int(s), range.contains(v) else {
            throw UsageError("--\(name) takes a whole number from \(range.lowerBound) to \(range.upperBound), not '\(s)'")
        }
        return v
    }

    /// An option that takes one of its spec's `choices` (`--format`), its default when absent.
    func choice(_ name: String) throws -> String {
        let option = spec.first { $0.name == name }
        guard let v = value(name) else { return option?.defaultValue ?? "" }
        guard let option, !option.choices.contains(v) else { return v }
        throw UsageError("unknown \(name) '\(v)'", help: "use " + OptionSpec.orList(option.choices))
    }

    /// An instant option (`--as-of`, `--cut`, `--cutoff`): `YYYY-MM-DD` (midnight UTC) or an
    /// ISO 8601 instant with an optional offset; nil when absent.
    func instant(_ name: String) throws -> Double? {
        guard let s = value(name) else { return nil }
        if let d = CivilDate.parse(s) { return Double(d.dayNumber) * secondsPerDay }
        var parser = TimestampParser(timeZone: nil)
        guard let t = parser.parse(s) else {
            throw UsageError("--\(name) takes a date (YYYY-MM-DD) or an ISO 8601 instant, not '\(s)'")
        }
        return t
    }

    /// The one FILE a workflow command runs on (`what` names it in the messages); `example`
    /// is the help of a missing or extra one.
    func file(of command: String, _ what: String = "FILE", example: String?) throws -> String {
        guard positional.count == 1, let file = positional.first else {
            throw UsageError(positional.isEmpty ? "\(command) needs a \(what)"
                                                : "\(command) takes one \(what), not \(positional.count)",
                             help: example)
        }
        return file
    }

    /// `--history LOG` of a command that reads FILE too, nil when absent; FILE and LOG
    /// cannot both be standard input.
    func history(file: String) throws -> String? {
        guard let log = value("history") else { return nil }
        if file == "-" && log == "-" { throw UsageError("FILE and --history cannot both be standard input") }
        return log
    }

    /// The FILE and the `--history LOG` of a command that needs both; a missing one is a
    /// usage error that names `command`.
    func fileAndHistory(of command: String) throws -> (file: String, log: String) {
        let file = try self.file(of: command, example: "stagecraft \(command) launch.flow --history runs.csv")
        guard let log = try history(file: file) else {
            throw UsageError("\(command) needs --history LOG", help: "stagecraft \(command) \(file) --history runs.csv")
        }
        return (file, log)
    }

    /// A duration literal as in a `.flow` file: a non-negative number and `m`, `h`, `d`, `w`
    /// or `bd`, with no space.
    static func duration(_ text: String) -> Duration? {
        for unit in [DurationUnit.businessDays, .minutes, .hours, .days, .weeks] where text.hasSuffix(unit.rawValue) {
            let number = text.dropLast(unit.rawValue.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                  let v = Double(number), v.isFinite, v >= 0, v * unit.seconds <= 1e10 else { return nil }
            return Duration(amount: v, unit: unit)
        }
        return nil
    }

    /// The `--seed` option: a whole number from 0 to 2⁶⁴ − 1, `SimulationOptions.defaultSeed`
    /// when absent.
    public func seed() throws -> UInt64 {
        guard let s = value("seed") else { return SimulationOptions.defaultSeed }
        guard let v = UInt64(s) else { throw UsageError("--seed takes a whole number from 0 to \(UInt64.max), not '\(s)'") }
        return v
    }

    /// The years a date option (`--start`) takes, in every command.
    ///
    /// Wide enough for any plan; the lower end keeps the simulator's clock arithmetic
    /// away from dates it was not built for.
    public static let dateYears = 1900...9999

    /// Why a text written as YYYY-MM-DD names no day (`2026-02-30`: "February 2026 has
    /// 28 days"), or nil when it is not written that way.
    static func impossibleDate(_ s: String) -> String? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                      "September", "October", "November", "December"]
        guard (1...12).contains(month) else { return "there is no month \(parts[1])" }
        let days = CivilDate.daysIn(month: month, year: year)
        guard (1...days).contains(day) else { return "\(months[month - 1]) \(year) has \(days) days" }
        return nil
    }

    /// The date an option gives as YYYY-MM-DD, nil when the option is absent; a value that
    /// is not a real date, or falls outside `dateYears`, is a usage error with `help`.
    public func date(_ name: String, help: String) throws -> CivilDate? {
        guard let s = value(name) else { return nil }
        guard let date = CivilDate.parse(s) else {
            if let impossible = ParsedArguments.impossibleDate(s) {
                throw UsageError("--\(name): \(s) is not a real date: \(impossible)", help: help)
            }
            throw UsageError("--\(name) takes a date as YYYY-MM-DD, not '\(Excerpt.quoted(s, limit: 40))'", help: help)
        }
        let years = ParsedArguments.dateYears
        guard years.contains(date.year) else {
            throw UsageError("--\(name) takes a date from \(years.lowerBound)-01-01 to \(years.upperBound)-12-31, not '\(s)'",
                             help: help)
        }
        return date
    }

    /// Parses `arguments` against the options a command declares. An option not in `spec`
    /// is a usage error with the closest known name as a did-you-mean.
    static func parse(_ arguments: [String], spec: [OptionSpec]) throws -> ParsedArguments {
        var result = ParsedArguments()
        result.spec = spec
        var i = 0
        var onlyPositional = false
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if onlyPositional || arg == "-" || !arg.hasPrefix("-") {
                result.positional.append(arg)
                continue
            }
            if arg == "--" {
                onlyPositional = true
                continue
            }
            var name = String(arg.drop(while: { $0 == "-" }))
            var inlineValue: String?
            if let eq = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            let option = spec.first { $0.name == name } ?? spec.first { $0.short.map(String.init) == name }
            guard let option else {
                throw UsageError("unknown option '\(arg)'", help: didYouMean(name, in: spec.map(\.name), prefix: "--"))
            }
            name = option.name
            if option.kind == .flag {
                if inlineValue != nil { throw UsageError("--\(name) takes no value") }
                result.flags.insert(name)
                continue
            }
            let value: String
            if let v = inlineValue {
                value = v
            } else {
                guard i < arguments.count else { throw UsageError("--\(name) needs a value") }
                value = arguments[i]
                i += 1
            }
            result.options[name, default: []].append(value)
        }
        return result
    }
}
