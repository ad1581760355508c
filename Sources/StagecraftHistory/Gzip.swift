import CZlib

/// Gzip helpers over system zlib.
enum Gzip {
    /// Whether the bytes start with the gzip magic number.
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates gzip (or zlib) data, including concatenated gzip members, into a malloc'd buffer
    /// that the caller must `deallocate()`.
    ///
    /// The first output allocation uses the gzip trailer's size hint, so a single-member file
    /// inflates without copying. Trailing bytes after a member that do not start another gzip
    /// member are ignored, as `gzip -d` does. Throws a `HistoryError` on corrupt or truncated input.
    ///
    /// Inflation runs as a stream and stops with an error as soon as the output passes
    /// `maxOutput` bytes, or passes `ratioFloor` bytes at more than `maxRatio` times the
    /// compressed bytes consumed so far: a gzip bomb (a gigabyte of zeros in a megabyte)
    /// is refused after a few megabytes instead of filling memory. Real event logs
    /// compress 5-30 times.
    static func inflate(_ inBase: UnsafePointer<UInt8>, _ inCount: Int, name: String,
                        maxOutput: Int = maxOutput, maxRatio: Int = maxRatio) throws
        -> (UnsafeMutablePointer<UInt8>, Int)
    {
        var capacity = max(min(inCount * 4, maxOutput), 1 << 16)
        if inCount >= 18 {
            // ISIZE: uncompressed size mod 2^32 of the last member, little-endian.
            let t = inCount - 4
            let isize = Int(inBase[t]) | Int(inBase[t + 1]) << 8 | Int(inBase[t + 2]) << 16 | Int(inBase[t + 3]) << 24
            // Deflate expands at most ~1032:1, so a larger hint is bogus (or wrapped mod 2^32).
            if isize < inCount / 1024 * 1100 + 1 << 16 && isize <= maxOutput && isize <= ratioFloor + inCount * maxRatio {
                capacity = max(capacity, isize + 1)
            }
        }
        var out = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        var produced = 0
        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            out.deallocate()
            throw HistoryError(file: name, message: "cannot initialise zlib (status \(initStatus))")
        }
        defer { inflateEnd(&stream) }
        var consumed = 0
        do {
            while true {
                if produced == capacity {
                    let grown = min(capacity * 2, maxOutput + 1)
                    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
                    bigger.update(from: out, count: produced)
                    out.deallocate()
                    out = bigger
                    capacity = grown
                }
                stream.next_in = UnsafeMutablePointer(mutating: inBase + consumed)
                stream.avail_in = UInt32(clamping: inCount - consumed)
                stream.next_out = out + produced
                stream.avail_out = UInt32(clamping: capacity - produced)
                let before = stream.avail_in
                let beforeOut = stream.avail_out
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                consumed += Int(before - stream.avail_in)
                produced += Int(beforeOut - stream.avail_out)
                if produced > maxOutput {
                    throw HistoryError(file: name, message: "the gzip data inflates to more than \(byteFigure(maxOutput)); "
                        + "decompress it and read the file uncompressed if it really is an event log")
                }
                if produced > ratioFloor && produced > consumed * maxRatio {
                    throw HistoryError(file: name, message: "the gzip data inflates more than \(maxRatio) times "
                        + "(\(byteFigure(consumed)) to over \(byteFigure(produced))), far beyond an event log's 5-30 times: "
                        + "refusing what looks like a decompression bomb; decompress it yourself if it really is a log")
                }
                if status == Z_STREAM_END {
                    let rest = inCount - consumed
                    if rest >= 2 && inBase[consumed] == 0x1f && inBase[consumed + 1] == 0x8b {
                        inflateReset(&stream)
                        continue
                    }
                    break
                }
                if status == Z_OK { continue }
                if status == Z_BUF_ERROR {
                    if produced == capacity { continue }  // needs more output space
                    throw HistoryError(file: name, message: "truncated gzip data")
                }
                let detail = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw HistoryError(file: name, message: "corrupt gzip data: \(detail)")
            }
        } catch {
            out.deallocate()
            throw error
        }
        return (out, produced)
    }

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

    /// Inflates gzip data into an array (tests and small inputs).
    static func inflate(_ input: [UInt8], name: String, maxOutput: Int = maxOutput) throws -> [UInt8] {
        try input.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return [] }
            let (p, n) = try inflate(base, b.count, name: name, maxOutput: maxOutput)
            defer { p.deallocate() }
            return Array(UnsafeBufferPointer(start: p, count: n))
        }
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
