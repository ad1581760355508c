import Foundation
import Testing
@testable import StagecraftCLI
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// `Files.write(_:to:)`, the one way the tool writes files, on every kind of target, and
/// the commands that write through it (`fmt`, `report -o`, `history draft -o`,
/// `simulate --emit-log`).
@Suite struct FileWritingTests {
    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "stagecraft-write-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func info(_ path: String, follow: Bool = false) -> stat? {
        var s = stat()
        return (follow ? stat(path, &s) : lstat(path, &s)) == 0 ? s : nil
    }

    static func kind(_ path: String) -> mode_t? { info(path).map { $0.st_mode & S_IFMT } }

    static func errorMessage(_ body: () throws -> Void) -> String? {
        do { try body() } catch let e as InputError { return e.message } catch { return "\(error)" }
        return nil
    }

    static let flow = "workflow \"w\" {\n  owner pm\n\n  stage a {\n    owner pm\n    sla 1bd\n  }\n}\n"

    @Test func replacesARegularFileAtomicallyKeepingModeOwnerAndGroup() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/out.txt"
        try Files.write(Array("old\n".utf8), to: path)
        #expect(chmod(path, 0o640) == 0)
        // As root, give the file another group (and owner) to see them kept.
        let isRoot = getuid() == 0
        if isRoot { #expect(chown(path, 4321, 1234) == 0) }
        let before = try #require(Self.info(path))
        try Files.write(Array("new\n".utf8), to: path)
        let after = try #require(Self.info(path))
        #expect(try Files.read(path) == Array("new\n".utf8))
        #expect(after.st_mode & S_IFMT == S_IFREG)
        #expect(after.st_mode & 0o7777 == 0o640)
        #expect(after.st_ino != before.st_ino, "replaced by rename, not written in place")
        #expect(after.st_uid == before.st_uid)
        #expect(after.st_gid == before.st_gid)
        if isRoot { #expect(after.st_gid == 1234 && after.st_uid == 4321) }
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.txt"])
    }

    @Test func createsANewFileWithTheUsualMode() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Files.write(Array("x".utf8), to: dir + "/new.txt")
        #expect(try Files.read(dir + "/new.txt") == Array("x".utf8))
        let mask = umask(0o022)
        umask(mask)
        #expect(Self.info(dir + "/new.txt")!.st_mode & 0o777 == 0o666 & ~mask)
    }

    @Test func leavesAReadOnlyFileAlone() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/locked.flow"
        try Files.write(Array("old".utf8), to: path)
        #expect(chmod(path, 0o444) == 0)
        let message = Self.errorMessage { try Files.write(Array("new".utf8), to: path) }
        #expect(message == "\(path): the file is read-only (mode 444); left it alone")
        #expect(try Files.read(path) == Array("old".utf8))
        #expect(Self.info(path)!.st_mode & 0o7777 == 0o444)

        // fmt reports it with exit 2 and does not touch it.
        let mangled = "workflow \"w\" { owner pm\n stage a { owner pm; sla 1bd } }\n"
        #expect(chmod(path, 0o644) == 0)
        try Files.write(Array(mangled.utf8), to: path)
        #expect(chmod(path, 0o444) == 0)
        let out = runCLI(["fmt", path])
        #expect(out.exitCode == 2)
        #expect(out.stderr == "stagecraft: error: \(path): the file is read-only (mode 444); left it alone\n")
        #expect(try Files.read(path) == Array(mangled.utf8))
    }

    @Test func refusesADirectoryAndAMissingFolder() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(Self.errorMessage { try Files.write([], to: dir) } == "\(dir): is a directory; name a file to write")
        let missing = dir + "/nope/out.html"
        #expect(Self.errorMessage { try Files.write([], to: missing) } == "\(missing): the folder \(dir)/nope does not exist")
        let out = runCLI(["report", "-", "--no-forecast", "-o", missing], stdin: Self.flow)
        #expect(out.exitCode == 2)
        #expect(out.stderr.contains("\(missing): the folder \(dir)/nope does not exist"))
        #expect(Self.kind(dir + "/nope") == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
    }

    @Test func followsASymlinkAndKeepsIt() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        let target = dir + "/real/w.flow"
        try Files.write(Array("workflow \"w\" { owner pm\n stage a { owner pm; sla 1bd } }\n".utf8), to: target)
        #expect(chmod(target, 0o600) == 0)
        // A relative link to a relative link.
        #expect(symlink("real/w.flow", dir + "/hop.flow") == 0)
        #expect(symlink("hop.flow", dir + "/link.flow") == 0)
        let out = runCLI(["fmt", dir + "/link.flow"])
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(Self.kind(dir + "/link.flow") == S_IFLNK)
        #expect(Self.kind(dir + "/hop.flow") == S_IFLNK)
        #expect(Self.kind(target) == S_IFREG)
        #expect(try Files.read(target) == Array(Self.flow.utf8))
        #expect(Self.info(target)!.st_mode & 0o7777 == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["hop.flow", "link.flow", "real"])
    }

    @Test func aDanglingSymlinkCreatesItsTargetOrSaysWhyNot() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(symlink(dir + "/later.html", dir + "/link.html") == 0)
        try Files.write(Array("page".utf8), to: dir + "/link.html")
        #expect(Self.kind(dir + "/link.html") == S_IFLNK)
        #expect(try Files.read(dir + "/later.html") == Array("page".utf8))

        #expect(symlink("gone/x.html", dir + "/broken.html") == 0)
        let message = Self.errorMessage { try Files.write(Array("page".utf8), to: dir + "/broken.html") }
        #expect(message == "\(dir)/broken.html: the symlink points to \(dir)/gone/x.html, whose folder \(dir)/gone does not exist")
        #expect(Self.kind(dir + "/broken.html") == S_IFLNK)

        #expect(symlink("loop", dir + "/loop") == 0)
        #expect(Self.errorMessage { try Files.write([], to: dir + "/loop") } == "\(dir)/loop: too many levels of symlinks")
    }

    /// A null device made in a temporary folder (never the real /dev/null): `report -o`
    /// writes into it and it stays a character device.
    @Test func writesThroughANullDevice() throws {
        guard getuid() == 0 else {
            print("FileWritingTests: not root, cannot mknod a null device; skipped")
            return
        }
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let device = dir + "/null"
        // Major 1, minor 3: the null device.
        guard mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0 else {
            print("FileWritingTests: mknod failed (\(String(cString: strerror(errno)))); skipped")
            return
        }
        let out = runCLI(["report", "-", "--no-forecast", "-o", device], stdin: Self.flow)
        #expect(out.exitCode == 0, "\(out.stderr)")
        let after = try #require(Self.info(device))
        #expect(after.st_mode & S_IFMT == S_IFCHR)
        #expect(after.st_rdev == dev_t(1 << 8 | 3))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["null"])
    }

    @Test func writesIntoAFIFO() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/pipe"
        #expect(mkfifo(fifo, 0o644) == 0)
        // The reader opens the pipe on another thread; the write blocks until it does.
        let received = LockedBytes()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let fd = open(fifo, O_RDONLY)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while fd >= 0 {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                received.append(buffer[0..<n])
            }
            if fd >= 0 { close(fd) }
            done.signal()
        }
        let out = runCLI(["history", "draft", repositoryRoot + "/Tests/StagecraftCoreTests/Fixtures/replay/metrics.csv", "-o", fifo])
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(done.wait(timeout: .now() + 30) == .success)
        let text = String(decoding: received.bytes, as: UTF8.self)
        #expect(text.hasPrefix("# Drafted by"), "\(text.prefix(80))")
        #expect(Self.kind(fifo) == S_IFIFO)
    }

    @Test func aFIFOWhoseReaderLeavesEarlyIsAnErrorNotASignal() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/pipe"
        #expect(mkfifo(fifo, 0o644) == 0)
        // The reader takes ten bytes and closes the pipe; the output is larger than a pipe holds.
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let fd = open(fifo, O_RDONLY)
            var buffer = [UInt8](repeating: 0, count: 10)
            if fd >= 0 {
                _ = read(fd, &buffer, buffer.count)
                close(fd)
            }
            done.signal()
        }
        let launch = repositoryRoot + "/examples/launch/"
        // (A log of 2,000 launches is far larger than the 64 KiB a pipe buffers.)
        let out = runCLI(["simulate", launch + "launch.flow", "--emit-log", fifo, "--cases", "2000", "--arrival", "1d", "--runs", "1"])
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(out.exitCode == 2)
        #expect(out.stderr.hasPrefix("stagecraft: error: \(fifo): the reader closed it before everything was written ("),
                "\(out.stderr)")
        #expect(out.stderr.hasSuffix(" bytes)\n"), "\(out.stderr)")
        #expect(Self.kind(fifo) == S_IFIFO)
        // No SIGPIPE is left pending on this thread to kill the process later.
        var pending = sigset_t()
        #expect(sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 0)
    }

    @Test func standardOutputToAClosedPipeEndsQuietly() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        close(fds[0])
        // Without the guard the default SIGPIPE would end the test process here.
        ProcessStreams.write(String(repeating: "line\n", count: 40_000), to: fds[1])
        close(fds[1])
        var pending = sigset_t()
        #expect(sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 0)
    }

    /// The executable as a shell pipeline runs it: `stagecraft fmt - | head -c 16`.
    @Test func theExecutableEndsQuietlyWhenItsReaderLeaves() throws {
        let binary = repositoryRoot + "/.build/debug/stagecraft"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("\(binary) not built: skipping the closed-stdout run of the executable")
            return
        }
        var text = "workflow \"W\" {\n  owner o\n"
        for i in 0..<3000 { text += "  stage s\(i) { owner o; sla 1bd }\n" }
        text += "}\n"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["fmt", "-"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let head = output.fileHandleForReading.readData(ofLength: 16)
        try output.fileHandleForReading.close()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(String(decoding: head, as: UTF8.self) == "workflow \"W\" {\n ")
        #expect(process.terminationReason == .exit, "killed by signal \(process.terminationStatus)")
        #expect(process.terminationStatus == 0)
        #expect(stderr.isEmpty, "\(String(decoding: stderr, as: UTF8.self))")
    }

    @Test func aSocketWithoutAListenerIsAnError() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/s"
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in Array(path.utf8).enumerated() { raw[i] = b }
        }
        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        defer { close(fd) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        let message = Self.errorMessage { try Files.write(Array("x".utf8), to: path) }
        #expect(message?.hasPrefix("\(path): is a socket and nothing accepts on it") == true, "\(message ?? "")")
        #expect(Self.kind(path) == S_IFSOCK)
    }

    @Test func dashWritesToStandardOutput() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let draft = runCLI(["history", "draft", repositoryRoot + "/Tests/StagecraftCoreTests/Fixtures/replay/metrics.csv", "-o", "-"])
        #expect(draft.exitCode == 0, "\(draft.stderr)")
        #expect(draft.stdout.hasPrefix("# Drafted by"))
        let plain = runCLI(["history", "draft", repositoryRoot + "/Tests/StagecraftCoreTests/Fixtures/replay/metrics.csv"])
        #expect(draft.stdout == plain.stdout)
        let report = runCLI(["report", "-", "--no-forecast", "-o", "-"], stdin: Self.flow)
        #expect(report.exitCode == 0)
        #expect(report.stdout.hasPrefix("<!DOCTYPE html>"))
        // Nothing named "-" appears anywhere.
        #expect(!FileManager.default.fileExists(atPath: "-"))
    }

    @Test func simulateEmitLogWritesThroughASymlink() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(symlink("log.csv", dir + "/latest.csv") == 0)
        let flowPath = dir + "/w.flow"
        try Files.write(Array(Self.flow.utf8), to: flowPath)
        let out = runCLI(["simulate", flowPath, "--runs", "10", "--emit-log", dir + "/latest.csv"])
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(Self.kind(dir + "/latest.csv") == S_IFLNK)
        #expect(String(decoding: try Files.read(dir + "/log.csv"), as: UTF8.self).hasPrefix("case_id,"))
    }
}

/// Bytes appended from one thread and read from another.
final class LockedBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [UInt8] = []
    func append(_ more: ArraySlice<UInt8>) { lock.lock(); stored += more; lock.unlock() }
    var bytes: [UInt8] { lock.lock(); defer { lock.unlock() }; return stored }
}
