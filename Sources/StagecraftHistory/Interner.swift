import Foundation

/// Interns byte strings: maps each distinct byte sequence to a dense index and a `String`.
///
/// Lookups hash the bytes in place (no `String` is built unless the bytes are new), so readers
/// can intern fields straight from the input buffer. The last hit is checked first, which makes
/// runs of equal values (a case's rows) cost one byte comparison.
struct ByteInterner {
    /// Interned strings by index.
    private(set) var strings: [String] = []
    private var storage: [UInt8] = []
    private var offsets: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open-addressing table of indices + 1 (0 = empty); capacity is a power of two.
    private var table: [Int32] = Array(repeating: 0, count: 64)
    private var last: Int32 = -1

    var count: Int { strings.count }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        // FNV-1a, 8 bytes at a time folded with a multiply for speed on longer strings.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        while i + 8 <= n {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            h = (h ^ w) &* 0x0000_0100_0000_01b3
            h ^= h >> 29
            i += 8
        }
        while i < n {
            h = (h ^ UInt64(p[i])) &* 0x0000_0100_0000_01b3
            i += 1
        }
        h ^= UInt64(truncatingIfNeeded: n)
        h ^= h >> 32
        return h &* 0x9e37_79b9_7f4a_7c15
    }

    @inline(__always)
    private func equals(_ index: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let lo = offsets[index]
        let hi = offsets[index + 1]
        guard hi - lo == n else { return false }
        return storage.withUnsafeBufferPointer { s in
            guard let base = s.baseAddress else { return n == 0 }
            let a = UnsafeRawPointer(base + lo), b = UnsafeRawPointer(p)
            var i = 0
            while i + 8 <= n {
                if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                    return false
                }
                i += 8
            }
            while i < n {
                if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
                i += 1
            }
            return true
        }
    }

    /// Index of the bytes `p[0..<n]`, interning them if new.
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        if last >= 0 && equals(Int(last), p, n) { return last }
        let h = ByteInterner.hash(p, n)
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let v = table[slot]
            if v == 0 { break }
            let idx = Int(v) - 1
            if hashes[idx] == h && equals(idx, p, n) {
                last = Int32(idx)
                return last
            }
            slot = (slot + 1) & mask
        }
        let idx = strings.count
        strings.append(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
        storage.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        offsets.append(storage.count)
        hashes.append(h)
        table[slot] = Int32(idx + 1)
        if (idx + 1) * 2 > table.count { grow() }
        last = Int32(idx)
        return last
    }

    /// Index of an array of bytes, interning it if new.
    mutating func intern(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else {
                var zero: UInt8 = 0
                return withUnsafePointer(to: &zero) { intern($0, 0) }
            }
            return intern(base, b.count)
        }
    }

    /// Index of a string, interning it if new.
    mutating func intern(_ s: String) -> Int32 { intern(Array(s.utf8)) }

    private mutating func grow() {
        let cap = table.count * 2
        var t = [Int32](repeating: 0, count: cap)
        let mask = cap - 1
        for (i, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while t[slot] != 0 { slot = (slot + 1) & mask }
            t[slot] = Int32(i + 1)
        }
        table = t
    }
}
