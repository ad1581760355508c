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
    static func inflate(_ inBase: UnsafePointer<UInt8>, _ inCount: Int, name: String) throws
        -> (UnsafeMutablePointer<UInt8>, Int)
    {
        var capacity = max(inCount * 4, 1 << 16)
        if inCount >= 18 {
            // ISIZE: uncompressed size mod 2^32 of the last member, little-endian.
            let t = inCount - 4
            let isize = Int(inBase[t]) | Int(inBase[t + 1]) << 8 | Int(inBase[t + 2]) << 16 | Int(inBase[t + 3]) << 24
            // Deflate expands at most ~1032:1, so a larger hint is bogus (or wrapped mod 2^32).
            if isize < inCount / 1024 * 1100 + 1 << 16 { capacity = max(capacity, isize + 1) }
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
                    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                    bigger.update(from: out, count: produced)
                    out.deallocate()
                    out = bigger
                    capacity *= 2
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

    /// Inflates gzip data into an array (tests and small inputs).
    static func inflate(_ input: [UInt8], name: String) throws -> [UInt8] {
        try input.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return [] }
            let (p, n) = try inflate(base, b.count, name: name)
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
