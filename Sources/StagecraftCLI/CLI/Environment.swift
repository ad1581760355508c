import Foundation
import StagecraftSyntax

/// What a command can read from and write to; the executable passes the real process
/// streams, tests pass in-memory ones.
public struct CommandEnvironment: Sendable {
    /// Reads all of standard input.
    public var readStandardInput: @Sendable () -> [UInt8]
    /// Whether standard input is the process's own (descriptor 0), which an event log on
    /// `-` is read from in blocks rather than whole; tests leave it false and pass bytes.
    public var standardInputIsProcess = false
    public var stdoutIsTerminal: Bool
    public var stderrIsTerminal: Bool
    /// Environment variables by name; the executable passes those of `variableNames`
    /// that are set.
    public var variables: [String: String]
    public init(readStandardInput: @escaping @Sendable () -> [UInt8] = { [] }, stdoutIsTerminal: Bool = false,
                stderrIsTerminal: Bool = false, variables: [String: String] = [:]) {
        self.readStandardInput = readStandardInput
        self.stdoutIsTerminal = stdoutIsTerminal
        self.stderrIsTerminal = stderrIsTerminal
        self.variables = variables
    }

    /// What `--color` asked for; `StagecraftCommand.run` sets it before the subcommand runs.
    public var colorChoice: ColorChoice = .auto

    /// The environment variables any command reads.
    public static let variableNames = ["NO_COLOR", "FORCE_COLOR"]

    /// Whether to colour standard output (see `ColorChoice.allows`).
    public var useColor: Bool { colorChoice.allows(terminal: stdoutIsTerminal, variables: variables) }

    /// Whether to colour standard error.
    public var useColorOnStderr: Bool { colorChoice.allows(terminal: stderrIsTerminal, variables: variables) }

    /// Writes one progress line straight to stderr when it is a terminal: never into a
    /// `CommandOutput`, so machine formats and tests are unaffected.
    public func progress(_ line: String) {
        guard stderrIsTerminal else { return }
        ProcessStreams.write(line + "\n", to: 2)
    }
}

/// `--color auto|always|never`: whether output is coloured.
public enum ColorChoice: String, Sendable, CaseIterable {
    case auto, always, never

    /// `always` and `never` decide alone. `auto` colours a terminal unless `NO_COLOR` is
    /// set to a non-empty value (no-color.org: an empty one does not count), and colours
    /// any stream when `FORCE_COLOR` is non-empty.
    public func allows(terminal: Bool, variables: [String: String]) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            if let force = variables["FORCE_COLOR"], !force.isEmpty { return true }
            if let no = variables["NO_COLOR"], !no.isEmpty { return false }
            return terminal
        }
    }
}

/// What a command produced: its exit code and its two output streams.
public struct CommandOutput: Sendable {
    public var exitCode: Int32 = 0
    public var stdout = ""
    public var stderr = ""

    public init() {}
}

/// The process's own streams and environment, for the executable, without the set-up
/// of `ProcessInfo` and `FileHandle`.
public enum ProcessStreams {
    /// The environment variables Stagecraft reads (`CommandEnvironment.variableNames`)
    /// that are set, looked up one by one with `lookup` (getenv(3); tests pass their own).
    public static func environmentVariables(
        lookup: (String) -> String? = { name in getenv(name).map { String(cString: $0) } }
    ) -> [String: String] {
        var variables: [String: String] = [:]
        for name in CommandEnvironment.variableNames {
            if let value = lookup(name) { variables[name] = value }
        }
        return variables
    }

    /// Writes all of `text` to a file descriptor (1 for standard output, 2 for standard
    /// error), going on after short writes and interruptions; stops at an error such as a
    /// closed pipe (quietly: `stagecraft … | head -1` ends without a SIGPIPE).
    public static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0), to: descriptor) }
    }

    /// The same for bytes (the language server's framed messages).
    public static func write(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { write($0, to: descriptor) }
    }

    private static func write(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) {
        Files.withoutSIGPIPE { try? Files.writeAllUnguarded(buffer, to: descriptor, path: "") }
    }
}

/// File-system helpers shared by the subcommands.
public enum Files {
    /// Reads a whole file; throws an `InputError` naming it when it cannot (missing, a
    /// directory, unreadable, or too big for a workflow). Reads go through `FileInput`.
    public static func read(_ path: String) throws -> [UInt8] {
        do {
            return try FileInput.readAll(path)
        } catch {
            throw inputError(error, path: path)
        }
    }

    /// An `InputError` naming `path` for a failure to open or read it.
    static func inputError(_ failure: FileInput.Failure, path: String) -> InputError {
        switch failure.kind {
        case .notFound: return InputError("\(path): no such file or directory")
        case .isDirectory: return InputError("\(path): is a directory")
        case .tooLarge: return InputError("\(path): the file is larger than 4 GiB")
        case .other: return InputError("\(path): \(failure.reason)")
        }
    }

    /// Expands PATH arguments: a file as is, a directory into every `*.flow` below it
    /// (sorted, skipping hidden folders and `.build`), `-` as standard input.
    public static func flowFiles(_ paths: [String]) throws -> [String] {
        var out: [String] = []
        for path in paths {
            if path == "-" {
                out.append(path)
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError("\(path): no such file or directory")
            }
            if !isDirectory.boolValue {
                out.append(path)
                continue
            }
            out += walk(path).sorted()
        }
        return out
    }

    private static func walk(_ directory: String) -> [String] {
        var found: [String] = []
        var stack = [directory]
        let fm = FileManager.default
        while let dir = stack.popLast() {
            guard let entries = try? fm.contentsOfDirectory(atPath: dir) else { continue }
            for name in entries.sorted() {
                if name.hasPrefix(".") { continue }
                let full = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                var isDir: ObjCBool = false
                guard fm.fileExists(atPath: full, isDirectory: &isDir) else { continue }
                if isDir.boolValue {
                    stack.append(full)  // `.build` is hidden, so skipped above
                } else if name.hasSuffix(".flow") {
                    found.append(full)
                }
            }
        }
        return found
    }
}
