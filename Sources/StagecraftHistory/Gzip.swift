import CZlib
import StagecraftSyntax

/// Gzip helpers over system zlib; `GzipStream` inflates as the input is read.
enum Gzip {
    /// Inflated data never exceeds this many bytes (4 GiB, what the readers' offsets hold).
    static let maxOutput = 1 << 32
    /// Output beyond `ratioFloor` bytes may be at most this many times the input consumed.
    static let maxRatio = 200
    /// Small inputs may inflate at any ratio up to this many bytes (16 MiB).
    static let ratioFloor = 1 << 24

    /// `bytes` as a short figure: `512 bytes`, `64 KiB`, `3.2 MiB`, `1.0 GiB`.
    static func byteFigure(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        if bytes < 1 << 20 { return "\(bytes >> 10) KiB" }
        let units = ["MiB", "GiB", "TiB"]
        var value = Double(bytes) / Double(1 << 20)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    /// Whether the `count` bytes at `p` start with the gzip magic number (1f 8b).
    static func hasMagic(_ p: UnsafePointer<UInt8>, count: Int) -> Bool {
        count >= 2 && p[0] == 0x1f && p[1] == 0x8b
    }

    /// Inflates gzip data into an array (tests and small inputs).
    static func inflate(_ input: [UInt8], name: String, maxOutput: Int = maxOutput) throws -> [UInt8] {
        try input.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return [] }
            var stream = GzipStream(source: .memory(base, b.count), name: name, maxOutput: maxOutput)
            defer { stream.close() }
            var out: [UInt8] = []
            var block = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = try block.withUnsafeMutableBufferPointer { buf in
                    try stream.read(into: buf.baseAddress.unsafelyUnwrapped, count: buf.count)
                }
                if n == 0 { return out }
                out.append(contentsOf: block[0..<n])
            }
        }
    }

    /// The uncompressed size that the gzip trailer (the last four bytes, ISIZE) gives, when the
    /// caps would let it inflate that far (`maxOutput`, `maxRatio` beyond `ratioFloor`). A size
    /// hint only (of the last member, modulo 2^32), for reserving memory, never for bounds.
    static func sizeHint(trailer t: [UInt8], compressedSize: Int) -> Int? {
        guard t.count == 4, compressedSize >= 18 else { return nil }
        let isize = Int(t[0]) | Int(t[1]) << 8 | Int(t[2]) << 16 | Int(t[3]) << 24
        guard isize <= maxOutput && isize <= ratioFloor + compressedSize * maxRatio else { return nil }
        return isize
    }

    /// Compresses bytes as one gzip member (used by tests and tools).
    static func deflate(_ input: [UInt8], level: Int32 = 6) -> [UInt8]? {
        var stream = z_stream()
        guard deflateInit2_(&stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { return nil }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 64
        var out = [UInt8](repeating: 0, count: bound)
        var input = input
        let ok: Bool = input.withUnsafeMutableBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = UInt32(clamping: inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = UInt32(clamping: outBuf.count)
                return CZlib.deflate(&stream, Z_FINISH) == Z_STREAM_END
            }
        }
        guard ok else { return nil }
        out.removeSubrange(Int(stream.total_out)...)
        return out
    }
}

/// Gzip (or zlib) data inflated block by block as a reader asks for it, read as `gzip -d`
/// reads it; the output is capped so that a gzip bomb is refused (docs/cli.md, "Recorded
/// history"). Owns zlib state and an input buffer: call `close()` when done.
struct GzipStream {
    /// zlib's state points back at its `z_stream`, which therefore lives at a fixed address.
    private let stream: UnsafeMutablePointer<z_stream>
    private var source: RawInput
    /// The input buffer for a file source (nil in memory: zlib reads the bytes in place).
    private var input: UnsafeMutablePointer<UInt8>?
    private let inputCapacity = 1 << 18
    private var sourceEnded = false
    private var started = false
    private var finished = false
    private var consumed = 0
    private var produced = 0
    private let name: String
    private let maxOutput: Int

    /// A stream over `source`; `pending` holds bytes already read from a file source (the
    /// block in which the magic number was seen), which it takes over and deallocates.
    init(source: RawInput, pending: (UnsafeMutablePointer<UInt8>, count: Int, capacity: Int)? = nil,
         name: String, maxOutput: Int = Gzip.maxOutput) {
        self.source = source
        self.name = name
        self.maxOutput = maxOutput
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        switch source {
        case .memory(let base, let count):
            stream.pointee.next_in = UnsafeMutablePointer(mutating: base)
            stream.pointee.avail_in = UInt32(clamping: count)
            sourceEnded = true
        case .file, .blocks:
            if let pending {
                // The block read first becomes the input buffer (with its own capacity).
                input = pending.0
                bufferCapacity = pending.capacity
                stream.pointee.next_in = pending.0
                stream.pointee.avail_in = UInt32(clamping: pending.count)
            } else {
                let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: inputCapacity)
                input = buffer
                bufferCapacity = inputCapacity
                stream.pointee.next_in = buffer
                stream.pointee.avail_in = 0
            }
        }
    }

    /// The capacity of `input`.
    private var bufferCapacity = 0

    func close() {
        if started { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        input?.deallocate()
    }

    /// Inflates up to `count` bytes into `out`; 0 only at the end of the data.
    mutating func read(into out: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        guard !finished, count > 0 else { return 0 }
        if !started {
            let status = inflateInit2_(stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else { throw HistoryError(file: name, message: "cannot initialise zlib (status \(status))") }
            started = true
        }
        stream.pointee.next_out = out
        stream.pointee.avail_out = UInt32(clamping: count)
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 && !sourceEnded { try refill() }
            let beforeIn = stream.pointee.avail_in
            let beforeOut = stream.pointee.avail_out
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            consumed += Int(beforeIn - stream.pointee.avail_in)
            produced += Int(beforeOut - stream.pointee.avail_out)
            try checkCaps()
            if status == Z_STREAM_END {
                if try anotherMemberFollows() {
                    inflateReset(stream)
                    continue
                }
                finished = true
                break
            }
            if status == Z_OK { continue }
            if status == Z_BUF_ERROR {
                if stream.pointee.avail_in == 0 && !sourceEnded { continue }
                throw HistoryError(file: name, message: "truncated gzip data")
            }
            let detail = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
            throw HistoryError(file: name, message: "corrupt gzip data: \(detail)")
        }
        return count - Int(stream.pointee.avail_out)
    }

    private func checkCaps() throws {
        if produced > maxOutput {
            throw HistoryError(file: name, message: "the gzip data inflates to more than \(Gzip.byteFigure(maxOutput)); "
                + "decompress it and read the file uncompressed if it really is an event log")
        }
        if produced > Gzip.ratioFloor && produced > consumed * Gzip.maxRatio {
            throw HistoryError(file: name, message: "the gzip data inflates more than \(Gzip.maxRatio) times "
                + "(\(Gzip.byteFigure(consumed)) to over \(Gzip.byteFigure(produced))), far beyond an event log's 5-30 times: "
                + "refusing what looks like a decompression bomb; decompress it yourself if it really is a log")
        }
    }

    /// Whether the bytes after a member start another gzip member (reading on to see two).
    private mutating func anotherMemberFollows() throws -> Bool {
        while stream.pointee.avail_in < 2 && !sourceEnded { try refill() }
        guard let next = stream.pointee.next_in else { return false }
        return Gzip.hasMagic(next, count: Int(stream.pointee.avail_in))
    }

    /// Moves the unread input to the front of the buffer (a bigger one when the block read
    /// first was small) and reads more behind it.
    private mutating func refill() throws {
        guard var buffer = input else {
            sourceEnded = true
            return
        }
        let left = Int(stream.pointee.avail_in)
        let next = stream.pointee.next_in ?? buffer
        if bufferCapacity - left < inputCapacity / 2 {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: left + inputCapacity)
            bigger.update(from: next, count: left)
            buffer.deallocate()
            buffer = bigger
            input = bigger
            bufferCapacity = left + inputCapacity
        } else if left > 0 && next != buffer {
            buffer.update(from: next, count: left)
        }
        let n = try source.read(into: buffer + left, count: bufferCapacity - left, name: name)
        if n == 0 { sourceEnded = true }
        stream.pointee.next_in = buffer
        stream.pointee.avail_in = UInt32(clamping: left + n)
    }
}
