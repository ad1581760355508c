import Foundation

/// A half-open range of byte offsets into a source file.
///
/// Positions are kept as byte offsets (compact, cheap to compare); line and column are
/// computed on demand by `SourceFile.location(of:)`. The offsets are stored in 32 bits,
/// which keeps tokens and syntax nodes small; `SourceFile.maxSize` keeps every file
/// within that, and offsets outside it are clamped rather than trapping.
public struct SourceRange: Hashable, Sendable {
    private var storedStart: UInt32
    private var storedEnd: UInt32

    public var start: Int {
        get { Int(storedStart) }
        set { storedStart = UInt32(clamping: newValue) }
    }

    public var end: Int {
        get { Int(storedEnd) }
        set { storedEnd = UInt32(clamping: newValue) }
    }

    public init(_ start: Int, _ end: Int) {
        self.storedStart = UInt32(clamping: start)
        self.storedEnd = UInt32(clamping: max(start, end))
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }

    public var isEmpty: Bool { start == end }
}

/// A one-based line and column; columns count Unicode scalars, so a caret lands under
/// the right character of `"Revisión"`.
public struct SourceLocation: Hashable, Sendable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// The bytes of one `.flow` file and the table of its line starts.
///
/// The table is built on demand, only as far into the file as a question needs: line
/// and column matter only for diagnostics, and a check that reports nothing past the
/// first lines of a big file never scans the rest for line ends.
public struct SourceFile: Sendable {
    /// The largest file Stagecraft reads as a workflow: byte offsets are stored in 32 bits.
    public static let maxSize = Int(UInt32.max)

    /// The path as the user named it (or the `--stdin-filename`).
    public let path: String
    /// The file's bytes, exactly as read.
    public let bytes: SourceBytes
    /// Line starts found so far, shared by the copies of this file on every thread.
    private let lines: LineTable

    public init(path: String, bytes: SourceBytes) {
        self.init(path: path, bytes: bytes, lineScanStep: LineTable.defaultStep)
    }

    /// A file of a copy of `bytes`.
    public init(path: String, bytes: [UInt8]) {
        self.init(path: path, bytes: SourceBytes(bytes))
    }

    /// A file whose line table grows `lineScanStep` bytes at a time (tests make it small
    /// to put steps between a carriage return and its line feed).
    init(path: String, bytes: SourceBytes, lineScanStep: Int) {
        self.path = path
        self.bytes = bytes
        self.lines = LineTable(step: lineScanStep)
    }

    /// Byte offset of the first byte of each line, for the whole file (32 bits, like
    /// every offset: see `maxSize`). The first call scans the rest of the file.
    public var lineStarts: [UInt32] { lines.all(in: bytes) }

    /// The byte offset where the line at zero-based `index` starts, or the end of the
    /// file for an index past the last line.
    public func lineStart(_ index: Int) -> Int { lines.start(ofLine: index, in: bytes) ?? bytes.count }

    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// The zero-based index of the line holding `offset`.
    public func lineIndex(of offset: Int) -> Int { lines.index(of: offset, in: bytes) }

    /// Line and column (both one-based, column in Unicode scalars) of a byte offset.
    public func location(of offset: Int) -> SourceLocation {
        let clamped = min(max(0, offset), bytes.count)
        let li = lineIndex(of: clamped)
        var column = 1
        var i = lineStart(li)
        while i < clamped {
            // Count every byte that is not a UTF-8 continuation byte.
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourceLocation(line: li + 1, column: column)
    }

    /// Whether the file has a one-based line `line` (it has at least one, even when empty).
    public func hasLine(_ line: Int) -> Bool {
        line >= 1 && lines.start(ofLine: line - 1, in: bytes) != nil
    }

    /// The byte range of a one-based line, without its line terminator.
    public func lineRange(_ line: Int) -> SourceRange {
        guard line >= 1, let start = lines.start(ofLine: line - 1, in: bytes) else {
            return SourceRange(bytes.count, bytes.count)
        }
        var end = lines.start(ofLine: line, in: bytes) ?? bytes.count
        while end > start && (bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D) { end -= 1 }
        return SourceRange(start, end)
    }

    /// The text of a one-based line, invalid UTF-8 replaced by U+FFFD.
    public func lineText(_ line: Int) -> String {
        text(of: lineRange(line))
    }

    /// The text in a byte range, invalid UTF-8 replaced by U+FFFD.
    public func text(of range: SourceRange) -> String {
        let s = max(0, min(range.start, bytes.count))
        let e = max(s, min(range.end, bytes.count))
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
}

/// The line starts of one file, found on demand and kept; safe to share between threads.
///
/// Bytes are scanned from the front, a step at a time, only as far as a question needs:
/// the line of an offset needs the bytes before it, the start of line N its N - 1 line
/// ends. A scan never stops between a carriage return and its line feed.
final class LineTable: @unchecked Sendable {
    /// Bytes scanned per step: small enough that a diagnostic near the top of a big
    /// file costs next to nothing, big enough that a scan of the whole file is one pass.
    static let defaultStep = 64 << 10

    private let step: Int
    private let lock = NSLock()
    /// Line starts in the bytes scanned so far; the first is 0.
    private var starts: [UInt32] = [0]
    /// How many bytes from the start have been scanned.
    private var scanned = 0

    init(step: Int) {
        self.step = max(1, step)
    }

    /// Every line start of `bytes`.
    func all(in bytes: SourceBytes) -> [UInt32] {
        lock.lock()
        defer { lock.unlock() }
        scan(bytes, through: bytes.count)
        return starts
    }

    /// The zero-based index of the line holding `offset`.
    func index(of offset: Int, in bytes: SourceBytes) -> Int {
        lock.lock()
        defer { lock.unlock() }
        // Every line start at or before `offset` follows a line end before it.
        scan(bytes, through: offset)
        var lo = 0
        var hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(starts[mid]) <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Where the line at zero-based `index` starts, or nil if the file has fewer lines.
    func start(ofLine index: Int, in bytes: SourceBytes) -> Int? {
        guard index >= 0 else { return nil }
        lock.lock()
        defer { lock.unlock() }
        while starts.count <= index && scanned < bytes.count {
            scan(bytes, through: scanned + step)
        }
        return index < starts.count ? Int(starts[index]) : nil
    }

    /// Scans on, in whole steps, until the bytes before `offset` (at most the whole file)
    /// have been scanned.
    private func scan(_ bytes: SourceBytes, through offset: Int) {
        let target = min(offset, bytes.count)
        guard scanned < target else { return }
        if target == bytes.count {
            // Room for lines of 8 bytes on average: pages of it that stay unused are never
            // touched, and the table never has to grow and be copied.
            starts.reserveCapacity(starts.count + (bytes.count - scanned) / 8 + 2)
        }
        let limit = min(bytes.count, scanned + (target - scanned + step - 1) / step * step)
        bytes.withUnsafeBufferPointer { b in
            scanned = LineTable.scan(b, from: scanned, to: limit, into: &starts)
        }
    }

    /// Appends the line starts after each line end in `b[from..<to]`; returns where it
    /// stopped: `to`, or one past it when a carriage return at `to - 1` is followed by
    /// a line feed.
    static func scan(_ b: UnsafeBufferPointer<UInt8>, from: Int, to limit: Int, into starts: inout [UInt32]) -> Int {
        guard let base = b.baseAddress else { return from }
        let raw = UnsafeRawPointer(base)
        var i = from
        // Eight bytes at a time: words without a line feed or carriage return are
        // skipped whole, and line feeds are found from the word's bits. A word with a
        // carriage return goes byte by byte (CR LF and a lone CR both end a line).
        while i + 8 <= limit {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let feeds = bytesEqual(word, 0x0A)
            if bytesEqual(word, 0x0D) != 0 {
                let end = i + 8
                while i < end { scanByte(b, &i, &starts) }
                continue
            }
            var bits = feeds
            while bits != 0 {
                starts.append(UInt32(clamping: i + bits.trailingZeroBitCount / 8 + 1))
                bits &= bits - 1
            }
            i += 8
        }
        while i < limit { scanByte(b, &i, &starts) }
        return i
    }

    /// The high bit of each byte of `word` that equals `byte`, and no other bit.
    @inline(__always)
    static func bytesEqual(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        let low7 = UInt64(0x7F7F_7F7F_7F7F_7F7F)
        // A byte of x is zero exactly when adding 0x7F to its low seven bits leaves the
        // high bit clear and its own high bit is clear too.
        return ~(((x & low7) &+ low7) | x | low7)
    }

    /// Looks at the byte at `i` (and the one after a CR) and records a line start after
    /// a line end.
    @inline(__always)
    static func scanByte(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ starts: inout [UInt32]) {
        let c = b[i]
        if c == 0x0A {
            starts.append(UInt32(clamping: i + 1))
        } else if c == 0x0D {
            if i + 1 < b.count && b[i + 1] == 0x0A { i += 1 }
            starts.append(UInt32(clamping: i + 1))
        }
        i += 1
    }
}
