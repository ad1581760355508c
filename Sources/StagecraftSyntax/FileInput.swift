#if canImport(Glibc)
import Glibc
/// The POSIX read(2), named so it does not clash with methods called `read`.
private let posixRead = Glibc.read
#elseif canImport(Musl)
import Musl
private let posixRead = Musl.read
#else
import Darwin
private let posixRead = Darwin.read
#endif

/// A file or standard input open for reading: the one way Stagecraft reads bytes from the
/// file system (workflows, configuration, event logs). Plain POSIX reads, in blocks or whole.
///
/// A value owns its descriptor until `close()` (standard input is never closed).
package struct FileInput {
    /// Why a file could not be opened or read.
    package struct Failure: Error, Sendable, Hashable {
        package enum Kind: Sendable, Hashable { case notFound, isDirectory, tooLarge, other }
        package var kind: Kind
        /// What the system said (strerror), or a short reason.
        package var reason: String
    }

    package let descriptor: Int32
    /// The size fstat gave for a regular file; nil for a pipe, terminal or other stream.
    package let regularSize: Int?
    private let owned: Bool

    /// Standard input (descriptor 0), read as a stream.
    package static var standardInput: FileInput {
        var info = stat()
        let regular = fstat(0, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        return FileInput(descriptor: 0, regularSize: regular ? Int(info.st_size) : nil, owned: false)
    }

    private init(descriptor: Int32, regularSize: Int?, owned: Bool) {
        self.descriptor = descriptor
        self.regularSize = regularSize
        self.owned = owned
    }

    /// Opens `path` for reading (`-` is standard input). A directory is refused here, not at
    /// the first read.
    package static func open(_ path: String) throws(Failure) -> FileInput {
        if path == "-" { return standardInput }
        let fd = systemOpen(path)
        guard fd >= 0 else {
            throw Failure(kind: errno == ENOENT ? .notFound : .other, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = systemClose(fd)
            throw Failure(kind: .other, reason: reason)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            _ = systemClose(fd)
            throw Failure(kind: .isDirectory, reason: "is a directory")
        }
        let regular = (info.st_mode & S_IFMT) == S_IFREG
        return FileInput(descriptor: fd, regularSize: regular ? Int(info.st_size) : nil, owned: true)
    }

    /// Closes the descriptor (not standard input's).
    package func close() {
        if owned { _ = systemClose(descriptor) }
    }

    /// Reads up to `count` bytes into `buffer`, going on after interruptions; 0 at the end.
    package func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(Failure) -> Int {
        while true {
            let n = posixRead(descriptor, buffer, count)
            if n >= 0 { return n }
            if errno != EINTR { throw Failure(kind: .other, reason: String(cString: strerror(errno))) }
        }
    }

    /// Fills `buffer` as far as the input goes: fewer than `count` bytes only at the end.
    package func readFully(into buffer: UnsafeMutableRawPointer, count: Int) throws(Failure) -> Int {
        try FileInput.fill(buffer, count: count) { p, n throws(Failure) in try read(into: p, count: n) }
    }

    /// Fills `buffer` with `read` (which gives up to the bytes asked for, 0 at the end) as far
    /// as it goes: fewer than `count` bytes only at the end.
    package static func fill<E: Error>(_ buffer: UnsafeMutableRawPointer, count: Int,
                                       _ read: (UnsafeMutableRawPointer, Int) throws(E) -> Int) throws(E) -> Int {
        var total = 0
        while total < count {
            let n = try read(buffer + total, count - total)
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// Up to `count` bytes at `offset` of a regular file, without moving the read position;
    /// nil when they cannot be read.
    package func bytes(at offset: Int, count: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: count)
        let n = out.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
        return n == count ? out : nil
    }

    /// Everything left to read, at most `limit` bytes (else `tooLarge`). One read straight
    /// into the result when the size is known; a spare byte tells a file that grew (or a
    /// pipe, whose size says nothing) to go on reading in blocks.
    package func readToEnd(limit: Int = SourceFile.maxSize) throws(Failure) -> [UInt8] {
        let size = min(regularSize ?? 0, limit)
        var failure: Failure? = nil
        var full = false
        var bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            count = 0
            guard let base = buffer.baseAddress else { return }
            do throws(Failure) {
                count = try readFully(into: base, count: buffer.count)
            } catch {
                failure = error
            }
            full = count == buffer.count
        }
        if let failure { throw failure }
        if full {
            let block = 1 << 16
            while true {
                let old = bytes.count
                bytes.append(contentsOf: repeatElement(0, count: block))
                let result = bytes.withUnsafeMutableBytes { raw -> Result<Int, Failure> in
                    guard let base = raw.baseAddress else { return .success(0) }
                    do throws(Failure) { return .success(try read(into: base + old, count: block)) } catch { return .failure(error) }
                }
                let n = try result.get()
                bytes.removeLast(block - n)
                if n == 0 { break }
                if bytes.count > limit { throw Failure(kind: .tooLarge, reason: "larger than the limit") }
            }
        }
        return bytes
    }

    /// The whole of the file at `path` (`-`: standard input).
    package static func readAll(_ path: String, limit: Int = SourceFile.maxSize) throws(Failure) -> [UInt8] {
        let file = try open(path)
        defer { file.close() }
        if let size = file.regularSize, size > limit { throw Failure(kind: .tooLarge, reason: "larger than the limit") }
        return try file.readToEnd(limit: limit)
    }
}

#if canImport(Glibc)
private func systemOpen(_ path: String) -> Int32 { Glibc.open(path, O_RDONLY) }
private func systemClose(_ fd: Int32) -> Int32 { Glibc.close(fd) }
#elseif canImport(Musl)
private func systemOpen(_ path: String) -> Int32 { Musl.open(path, O_RDONLY) }
private func systemClose(_ fd: Int32) -> Int32 { Musl.close(fd) }
#else
private func systemOpen(_ path: String) -> Int32 { Darwin.open(path, O_RDONLY) }
private func systemClose(_ fd: Int32) -> Int32 { Darwin.close(fd) }
#endif
