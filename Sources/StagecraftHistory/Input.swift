import StagecraftSyntax

/// Where a log's bytes come from: memory the caller holds, or a file (or standard input)
/// read in blocks.
enum RawInput {
    case memory(UnsafePointer<UInt8>, Int)
    case file(FileInput)
    /// Memory read as if it were a file, block by block from `position` (tests and the fuzzer
    /// use it to put block ends everywhere without files).
    case blocks(UnsafePointer<UInt8>, Int, position: Int)

    /// Reads up to `count` bytes into `buffer` from a file or `blocks`; 0 at the end (and
    /// always for `memory`, which is read in place). A failure is reported on the log `name`.
    mutating func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int, name: String) throws(HistoryError) -> Int {
        switch self {
        case .memory: return 0
        case .file(let file):
            do {
                return try file.read(into: buffer, count: count)
            } catch {
                throw HistoryError(file: name, message: "cannot read file: \(error.reason)")
            }
        case .blocks(let base, let total, let position):
            let n = min(count, total - position)
            buffer.update(from: base + position, count: n)
            self = .blocks(base, total, position: position + n)
            return n
        }
    }

    /// Fills `buffer` as far as the input goes: fewer than `count` bytes only at the end.
    mutating func readFully(into buffer: UnsafeMutablePointer<UInt8>, count: Int, name: String) throws(HistoryError) -> Int {
        try FileInput.fill(buffer, count: count) { p, n throws(HistoryError) in
            try read(into: p.assumingMemoryBound(to: UInt8.self), count: n, name: name)
        }
    }

    /// The size of a regular file or of `blocks`; nil for a stream.
    var size: Int? {
        switch self {
        case .memory(_, let count), .blocks(_, let count, _): return count
        case .file(let file): return file.regularSize
        }
    }

    /// The last four bytes (a gzip trailer), when they can be read without reading on.
    var trailer: [UInt8]? {
        switch self {
        case .memory(let base, let count), .blocks(let base, let count, _):
            return count >= 4 ? Array(UnsafeBufferPointer(start: base + count - 4, count: 4)) : nil
        case .file(let file):
            return file.regularSize.flatMap { $0 >= 4 ? file.bytes(at: $0 - 4, count: 4) : nil }
        }
    }
}

/// The part of a log's bytes a reader still needs, read in blocks and inflated on the fly
/// when gzip: a reader keeps only what it has not finished with (the partial last record),
/// never the whole file. In memory and not compressed, the window is the bytes themselves.
///
/// Offsets are absolute (from the start of the uncompressed input): `p[i]` is valid for
/// `start <= i < end`, so positions a reader holds stay valid when the window moves on.
/// Owns its buffers: call `close()` when done.
struct InputWindow {
    /// Bytes read per block (the window grows beyond it only for a record that does not fit).
    static let blockSize = 1 << 20
    /// This window's block size (tests use tiny ones to put block ends everywhere).
    private let blockSize: Int

    private var buffer: UnsafeMutablePointer<UInt8>?
    private var capacity = 0
    private var memory: UnsafePointer<UInt8>?
    private var raw: RawInput
    private var gzip: GzipStream?
    /// Absolute offset of the first byte held.
    private(set) var start = 0
    /// Absolute offset just past the last byte read.
    private(set) var end = 0
    /// Whether the input has been read to its end.
    private(set) var atEnd = false
    /// Whether the input is gzip-compressed (detected from the magic bytes).
    let compressed: Bool
    /// The expected size of the (uncompressed) input, when known: a file's size, or what a
    /// gzip trailer says. A hint for reserving memory, never a bound.
    let sizeHint: Int?
    private let name: String

    /// Opens a window on `raw`: reads the first block (from a file) and checks for gzip.
    init(_ raw: RawInput, name: String, blockSize: Int = InputWindow.blockSize) throws {
        self.name = name
        self.blockSize = max(1, blockSize)
        var raw = raw
        if case .memory(let base, let count) = raw, !Gzip.hasMagic(base, count: count) {
            // In memory and not compressed: the window is the bytes themselves.
            compressed = false
            sizeHint = count
            memory = base
            end = count
            atEnd = true
        } else if case .memory(let base, let count) = raw {
            compressed = true
            sizeHint = raw.trailer.flatMap { Gzip.sizeHint(trailer: $0, compressedSize: count) }
            gzip = GzipStream(source: .memory(base, count), name: name)
        } else {
            // At least the two bytes of the gzip magic number.
            let first = max(2, self.blockSize)
            let block = UnsafeMutablePointer<UInt8>.allocate(capacity: first)
            let count: Int
            do {
                count = try raw.readFully(into: block, count: first, name: name)
            } catch {
                block.deallocate()
                throw error
            }
            if Gzip.hasMagic(block, count: count) {
                compressed = true
                sizeHint = raw.size.flatMap { size in raw.trailer.flatMap { Gzip.sizeHint(trailer: $0, compressedSize: size) } }
                gzip = GzipStream(source: raw, pending: (block, count, first), name: name)
            } else {
                compressed = false
                sizeHint = raw.size
                buffer = block
                capacity = first
                end = count
                atEnd = count < first
            }
        }
        self.raw = raw
        if gzip != nil {
            buffer = .allocate(capacity: self.blockSize)
            capacity = self.blockSize
            try more(keeping: 0)
        }
    }

    /// Releases the buffers.
    func close() {
        buffer?.deallocate()
        gzip?.close()
    }

    /// The bytes: `p[i]` for absolute offsets `start <= i < end`.
    var p: UnsafePointer<UInt8> {
        if let memory { return memory }
        // The buffer holds offset `start` at its first byte.
        return UnsafePointer(buffer.unsafelyUnwrapped) - start
    }

    /// Reads another block, dropping the bytes before `keep` (which stay dropped): after it,
    /// `end` has grown or `atEnd` is set.
    mutating func more(keeping keep: Int) throws {
        guard !atEnd, let old = buffer else { return }
        let kept = end - keep
        if capacity - kept < max(1, blockSize / 2) {
            // A record that fills the buffer: grow, so that every read adds half a block or more.
            let grown = max(capacity * 2, kept + blockSize)
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            bigger.update(from: old + (keep - start), count: kept)
            old.deallocate()
            buffer = bigger
            capacity = grown
        } else if kept > 0 && keep > start {
            old.update(from: old + (keep - start), count: kept)
        }
        start = keep
        guard let base = buffer else { return }
        let n: Int
        if var stream = gzip {
            n = try stream.read(into: base + kept, count: capacity - kept)
            gzip = stream
        } else {
            n = try raw.read(into: base + kept, count: capacity - kept, name: name)
        }
        end = start + kept + n
        if n == 0 { atEnd = true }
    }

    /// Reads on (keeping everything from `keep`) until `end` reaches `offset` or the input ends.
    mutating func ensure(_ offset: Int, keeping keep: Int) throws {
        while end < offset && !atEnd { try more(keeping: keep) }
    }

    /// Reads the rest of the input into the window, keeping everything from `keep`.
    mutating func readAll(keeping keep: Int) throws {
        if let hint = sizeHint, !atEnd, let old = buffer, capacity < hint - keep + blockSize {
            // One buffer of the expected size instead of doubling up to it.
            let grown = hint - keep + blockSize
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            bigger.update(from: old + (keep - start), count: end - keep)
            old.deallocate()
            buffer = bigger
            capacity = grown
            start = keep
        }
        while !atEnd { try more(keeping: keep) }
    }
}
