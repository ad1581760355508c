import Foundation
#if canImport(Glibc)
import Glibc
private let posixWrite = Glibc.write
private let streamSocket = Int32(SOCK_STREAM.rawValue)
#else
import Darwin
private let posixWrite = Darwin.write
private let streamSocket = SOCK_STREAM
#endif

extension Files {
    /// THE way Stagecraft writes a file, so that no command destroys what the user points
    /// at: the cases (atomic replace, links, devices, errors) are in the README's "Reading
    /// and writing files". `-` is not a file: `-o -` writers print to standard output.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        guard !path.isEmpty else { throw InputError("cannot write to an empty path") }
        let target = try resolveLinks(path)
        var info = stat()
        if lstat(target, &info) != 0 {
            guard errno == ENOENT else { throw InputError("\(path): \(String(cString: strerror(errno)))") }
            try requireFolder(of: target, for: path)
            try replace(target, with: bytes, keeping: nil, shownAs: path)
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            if info.st_mode & 0o222 == 0 {
                throw InputError("\(path): the file is read-only (mode \(String(info.st_mode & 0o7777, radix: 8))); left it alone")
            }
            if access(target, W_OK) != 0 {
                throw InputError("\(path): no permission to write the file; left it alone")
            }
            try replace(target, with: bytes, keeping: info, shownAs: path)
        case S_IFDIR:
            throw InputError("\(path): is a directory; name a file to write")
        case S_IFCHR, S_IFIFO:
            let fd = open(target, O_WRONLY | O_NOCTTY)
            guard fd >= 0 else { throw InputError("\(path): cannot open for writing: \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            try writeAll(bytes, to: fd, path: path)
        case S_IFSOCK:
            try writeToSocket(bytes, at: target, shownAs: path)
        case S_IFBLK:
            throw InputError("\(path): is a block device; refusing to write to it")
        default:
            throw InputError("\(path): is not a regular file; refusing to write to it")
        }
    }

    /// The file a path finally names after following symlinks (relative links resolved
    /// against the link's folder); the path itself when it is not a link. The last link's
    /// target need not exist.
    static func resolveLinks(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n >= 0 else { throw InputError("\(path): cannot read the symlink: \(String(cString: strerror(errno)))") }
            let destination = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if destination.hasPrefix("/") {
                current = destination
            } else {
                let slash = current.lastIndex(of: "/")
                current = slash.map { String(current[...$0]) + destination } ?? destination
            }
        }
        throw InputError("\(path): too many levels of symlinks")
    }

    /// Throws unless the folder that would hold `target` exists and is a folder.
    private static func requireFolder(of target: String, for path: String) throws {
        let folder = folderOf(target)
        var info = stat()
        guard stat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            if target != path {
                throw InputError("\(path): the symlink points to \(target), whose folder \(folder) does not exist")
            }
            throw InputError("\(path): the folder \(folder) does not exist")
        }
    }

    private static func folderOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Writes `bytes` to a new file beside `target` and renames it over `target`; with
    /// `old`, the new file first takes its mode, owner and group.
    private static func replace(_ target: String, with bytes: [UInt8], keeping old: stat?, shownAs path: String) throws {
        let folder = folderOf(target)
        let base = target.lastIndex(of: "/").map { String(target[target.index(after: $0)...]) } ?? target
        var temp = ""
        var fd: Int32 = -1
        for attempt in 0..<100 {
            temp = (folder == "/" ? "/" : folder + "/") + ".\(base).stagecraft-\(getpid())-\(attempt).tmp"
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else {
            throw InputError("\(path): cannot write a temporary file in \(folder): \(String(cString: strerror(errno)))")
        }
        var closed = false
        var renamed = false
        defer {
            if !closed { close(fd) }
            if !renamed { unlink(temp) }
        }
        try writeAll(bytes, to: fd, path: path)
        if let old {
            // Owner and group first: changing them may clear set-id bits, which the mode restores.
            if fchown(fd, old.st_uid, old.st_gid) != 0 { _ = fchown(fd, uid_t.max, old.st_gid) }
            _ = fchmod(fd, old.st_mode & 0o7777)
        }
        guard fsync(fd) == 0 else { throw InputError("\(path): cannot flush the file to disk: \(String(cString: strerror(errno)))") }
        closed = true
        guard close(fd) == 0 else { throw InputError("\(path): cannot write the file: \(String(cString: strerror(errno)))") }
        guard rename(temp, target) == 0 else {
            throw InputError("\(path): cannot replace the file: \(String(cString: strerror(errno)))")
        }
        renamed = true
        // The rename itself reaches the disk with the folder.
        let dirfd = open(folder, O_RDONLY | O_DIRECTORY)
        if dirfd >= 0 {
            _ = fsync(dirfd)
            close(dirfd)
        }
    }

    /// Runs `body` (which writes to a pipe, socket or terminal) with SIGPIPE blocked on this
    /// thread, so that a reader that has gone shows as EPIPE from write(2) rather than as a
    /// signal that kills the process; a SIGPIPE the writes raised is taken off the pending set
    /// before the old mask returns. Per thread: no process-wide signal disposition changes.
    static func withoutSIGPIPE<R>(_ body: () throws -> R) rethrows -> R {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var oldMask = sigset_t()
        let blocked = pthread_sigmask(SIG_BLOCK, &pipeSignal, &oldMask) == 0
        defer {
            if blocked {
                var pending = sigset_t()
                if sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1 && sigismember(&oldMask, SIGPIPE) == 0 {
                    var taken: Int32 = 0
                    _ = sigwait(&pipeSignal, &taken)
                }
                _ = pthread_sigmask(SIG_SETMASK, &oldMask, nil)
            }
        }
        return try body()
    }

    /// Writes all of `bytes` to an open descriptor, going on after short writes. A pipe or
    /// socket whose reader has gone is an error naming the path (see `withoutSIGPIPE`).
    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
        try withoutSIGPIPE { try writeAllUnguarded(bytes, to: fd, path: path) }
    }

    /// The same without blocking SIGPIPE, for a caller that already has.
    static func writeAllUnguarded(_ bytes: [UInt8], to fd: Int32, path: String) throws {
        try bytes.withUnsafeBytes { try writeAllUnguarded($0, to: fd, path: path) }
    }

    /// The same from a buffer (standard output and error write a string's bytes in place).
    /// A write that takes nothing is an error too, so a descriptor that stops taking bytes
    /// cannot make it loop.
    static func writeAllUnguarded(_ buffer: UnsafeRawBufferPointer, to fd: Int32, path: String) throws {
        guard var next = buffer.baseAddress else { return }
        var left = buffer.count
        while left > 0 {
            let n = posixWrite(fd, next, left)
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == EPIPE {
                throw InputError("\(path): the reader closed it before everything was written "
                    + "(\(buffer.count - left) of \(buffer.count) bytes)")
            }
            if n < 0 { throw InputError("\(path): cannot write: \(String(cString: strerror(errno)))") }
            if n == 0 { throw InputError("\(path): cannot write: it took no bytes") }
            next += n
            left -= n
        }
    }

    /// Connects to a Unix stream socket and sends `bytes` through it.
    private static func writeToSocket(_ bytes: [UInt8], at target: String, shownAs path: String) throws {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(target.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { throw InputError("\(path): the socket's path is too long") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in pathBytes.enumerated() { raw[i] = b }
        }
        let fd = socket(AF_UNIX, streamSocket, 0)
        guard fd >= 0 else { throw InputError("\(path): cannot open a socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            throw InputError("\(path): is a socket and nothing accepts on it: \(String(cString: strerror(errno)))")
        }
        try writeAll(bytes, to: fd, path: path)
    }
}
