import CZlib

/// Gzip helpers over system zlib.
enum Gzip {
    /// Whether the bytes start with the gzip magic number.
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates gzip (or zlib) data, including concatenated gzip members.
    ///
    /// Trailing bytes after a member that do not start another gzip member are ignored, as
    /// `gzip -d` does. Throws a `HistoryError` on corrupt or truncated input.
    static func inflate(_ input: [UInt8], name: String) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(input.count * 4, 1 << 16))
        var produced = 0
        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            throw HistoryError(file: name, message: "cannot initialise zlib (status \(initStatus))")
        }
        defer { inflateEnd(&stream) }
        try input.withUnsafeBufferPointer { inBuf in
            guard let inBase = inBuf.baseAddress else { return }
            var consumed = 0
            while true {
                if produced == out.count {
                    out.append(contentsOf: repeatElement(0, count: out.count))
                }
                let status: Int32 = out.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_in = UnsafeMutablePointer(mutating: inBase + consumed)
                    stream.avail_in = UInt32(clamping: inBuf.count - consumed)
                    stream.next_out = outBuf.baseAddress.map { $0 + produced }
                    stream.avail_out = UInt32(clamping: outBuf.count - produced)
                    let before = stream.avail_in
                    let beforeOut = stream.avail_out
                    let st = CZlib.inflate(&stream, Z_NO_FLUSH)
                    consumed += Int(before - stream.avail_in)
                    produced += Int(beforeOut - stream.avail_out)
                    return st
                }
                if status == Z_STREAM_END {
                    let rest = inBuf.count - consumed
                    if rest >= 2 && inBase[consumed] == 0x1f && inBase[consumed + 1] == 0x8b {
                        inflateReset(&stream)
                        continue
                    }
                    break
                }
                if status == Z_OK { continue }
                if status == Z_BUF_ERROR {
                    if produced == out.count { continue }  // needs more output space
                    throw HistoryError(file: name, message: "truncated gzip data")
                }
                let detail = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw HistoryError(file: name, message: "corrupt gzip data: \(detail)")
            }
        }
        out.removeSubrange(produced...)
        return out
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
