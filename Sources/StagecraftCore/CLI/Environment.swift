import Foundation
#if canImport(Glibc)
import Glibc
/// The POSIX read(2), named so it does not clash with methods called `read`.
private let posixRead = Glibc.read
/// The POSIX write(2).
private let posixWrite = Glibc.write
#else
import Darwin
private let posixRead = Darwin.read
private let posixWrite = Darwin.write
#endif

/// What a command can read from and write to; the executable passes the real process
/// streams, tests pass in-memory ones.
public struct CommandEnvironment: Sendable {
    /// Reads all of standard input.
    public var readStandardInput: @Sendable () -> [UInt8]
    public var stdoutIsTerminal: Bool
    public var stderrIsTerminal: Bool
    /// Environment variables by name; the executable passes those of `variableNames`
    /// that are set.
    public var variables: [String: String]
    /// Whether a command may tune the process heap for a big input (see `HeapReserve`):
    /// the executable says yes; tests, which share one process, leave it off.
    public var tunesHeap: Bool
    /// Whether `check` may map big files into memory rather than read them (see
    /// `Files.readSource`): the executable says yes, having set the process to report a
    /// file cut short while mapped (`ProcessStreams.reportFilesCutShort`).
    public var mapsFiles: Bool
    /// Whether the process exits when the command returns, so that memory a command is
    /// done with need not be freed (see `Checker.checkAll`): the executable says yes;
    /// tests, which run many commands in one process, leave it off.
    public var exitsAfterCommand: Bool

    public init(readStandardInput: @escaping @Sendable () -> [UInt8] = { [] }, stdoutIsTerminal: Bool = false,
                stderrIsTerminal: Bool = false, variables: [String: String] = [:], tunesHeap: Bool = false,
                mapsFiles: Bool = false, exitsAfterCommand: Bool = false) {
        self.readStandardInput = readStandardInput
        self.stdoutIsTerminal = stdoutIsTerminal
        self.stderrIsTerminal = stderrIsTerminal
        self.variables = variables
        self.tunesHeap = tunesHeap
        self.mapsFiles = mapsFiles
        self.exitsAfterCommand = exitsAfterCommand
    }

    /// The environment variables any command reads.
    public static let variableNames = ["NO_COLOR"]

    /// Colour only when stdout is a terminal and NO_COLOR is unset.
    public var useColor: Bool { stdoutIsTerminal && variables["NO_COLOR"] == nil }

    /// Writes one progress line straight to stderr when it is a terminal: never into a
    /// `CommandOutput`, so machine formats and tests are unaffected.
    public func progress(_ line: String) {
        guard stderrIsTerminal else { return }
        ProcessStreams.write(line + "\n", to: 2)
    }
}

/// What a command produced: its exit code and its two output streams.
public struct CommandOutput: Sendable {
    public var exitCode: Int32 = 0
    public var stdout = ""
    public var stderr = ""

    public init() {}
}

/// The process's own streams and environment, for the executable.
///
/// A one-shot command needs neither `ProcessInfo` nor `FileHandle` for these, and both
/// set up more than it uses, on every run.
public enum ProcessStreams {
    /// The environment variables Stagecraft reads (`CommandEnvironment.variableNames`)
    /// that are set in the process environment.
    ///
    /// Only those: a dictionary of the whole environment costs its first use of the
    /// dictionary type, which the runtime builds by name (half a millisecond, an eighth of
    /// a small check), and nothing reads the rest.
    ///
    /// `lookup` reads one variable (getenv(3) by default; tests pass their own).
    public static func environmentVariables(
        lookup: (String) -> String? = { name in getenv(name).map { String(cString: $0) } }
    ) -> [String: String] {
        var variables: [String: String] = [:]
        for name in CommandEnvironment.variableNames {
            if let value = lookup(name) { variables[name] = value }
        }
        return variables
    }

    /// Makes the process report a file cut short while it was mapped, and exit with 2;
    /// returns whether it could (then files may be mapped).
    ///
    /// A mapped file (`Files.readSource`) that another program truncates while it is
    /// being checked has pages that no longer exist: touching one raises SIGBUS, which
    /// would otherwise end the process with a crash report.
    @discardableResult
    public static func reportFilesCutShort() -> Bool {
        #if canImport(Glibc)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            let message: StaticString = "stagecraft: error: a file was cut short while it was being checked; check it again\n"
            _ = Glibc.write(2, message.utf8Start, message.utf8CodeUnitCount)
            _exit(2)
        }
        sigemptyset(&action.sa_mask)
        return sigaction(SIGBUS, &action, nil) == 0
        #else
        return false
        #endif
    }

    /// Writes all of `text` to a file descriptor (1 for standard output, 2 for standard
    /// error), going on after short writes and interruptions; stops at an error such as a
    /// closed pipe.
    public static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            guard var next = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                let n = posixWrite(descriptor, next, left)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return }
                next += n
                left -= n
            }
        }
    }
}

/// File-system helpers shared by the subcommands.
public enum Files {
    /// Reads a whole file; throws an `InputError` naming it when it cannot.
    ///
    /// Plain POSIX reads: FileManager's reader costs more than the check of a small file.
    public static func read(_ path: String) throws -> [UInt8] {
        try withOpenFile(path) { fd, info in try read(fd, size: Int(info.st_size), path: path) }
    }

    /// Files of this many bytes or more are mapped into memory by `readSource`.
    public static let mapThreshold = 1 << 20

    /// Reads a file to check it; throws an `InputError` naming it when it cannot.
    ///
    /// With `mapping`, a regular file of `mapThreshold` bytes or more is mapped into
    /// memory instead (see `SourceBytes`), its bytes read as the checker first touches
    /// them. A mapping is not a copy: another program writing to the file meanwhile
    /// changes what the checker reads, so whoever maps asks `changedInPlace` after the
    /// check; and only a process that reports a file cut short while mapped may map
    /// (`ProcessStreams.reportFilesCutShort`). Where mapping fails, the file is read.
    public static func readSource(_ path: String, mapping: Bool) throws -> SourceBytes {
        try withOpenFile(path) { fd, info in
            let size = Int(info.st_size)
            if mapping && (info.st_mode & S_IFMT) == S_IFREG && size >= mapThreshold,
               let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED {
                return SourceBytes(taking: p.assumingMemoryBound(to: UInt8.self), count: size,
                                   release: .unmap(length: size), mappedFile: FileStamp(info))
            }
            return SourceBytes(try read(fd, size: size, path: path))
        }
    }

    /// Whether the mapped file behind `bytes` was written to since it was mapped (same
    /// file, other size or times). A file replaced by another under its name (how editors
    /// save) is not: the mapping still holds the old one, whole. Bytes that are not a
    /// mapping never changed.
    public static func changedInPlace(_ path: String, _ bytes: SourceBytes) -> Bool {
        guard let before = bytes.mappedFile else { return false }
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let now = FileStamp(info)
        return now.device == before.device && now.inode == before.inode && now != before
    }

    /// Opens a file for reading and calls `body` with its descriptor and what `fstat`
    /// says of it; throws an `InputError` naming it when it cannot be opened, is a
    /// directory or is too big for a workflow.
    private static func withOpenFile<R>(_ path: String, _ body: (Int32, stat) throws -> R) throws -> R {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "no such file or directory" : String(cString: strerror(errno))
            throw InputError("\(path): \(reason)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw InputError("\(path): cannot read the file") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw InputError("\(path): is a directory") }
        let size = Int(info.st_size)
        if size > SourceFile.maxSize { throw InputError("\(path): the file is larger than 4 GiB") }
        return try body(fd, info)
    }

    /// Reads an open file to its end; `size` is what fstat said (nothing for a pipe).
    private static func read(_ fd: Int32, size: Int, path: String) throws -> [UInt8] {
        // Read straight into the result; one spare byte tells a file that grew (or a
        // pipe or special file, whose size says nothing) to go on reading in chunks.
        var full = false
        var bytes = try [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            count = 0
            guard let base = buffer.baseAddress else { return }
            while count < buffer.count {
                let n = posixRead(fd, base + count, buffer.count - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw InputError("\(path): \(String(cString: strerror(errno)))")
                }
                if n == 0 { return }
                count += n
            }
            full = true
        }
        if full {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw InputError("\(path): \(String(cString: strerror(errno)))")
                }
                if n == 0 { break }
                bytes.append(contentsOf: chunk[0..<n])
                if bytes.count > SourceFile.maxSize { throw InputError("\(path): the file is larger than 4 GiB") }
            }
        }
        return bytes
    }

    /// The size in bytes of a regular file, or nil for anything else or a path that
    /// cannot be read (reading it later reports why).
    public static func size(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
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
                    if name == ".build" { continue }
                    stack.append(full)
                } else if name.hasSuffix(".flow") {
                    found.append(full)
                }
            }
        }
        return found
    }
}
