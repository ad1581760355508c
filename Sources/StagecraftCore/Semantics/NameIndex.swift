/// A table from declared IDs to their index in declaration order.
///
/// Resolution looks up every name a workflow uses, hundreds of thousands in a large
/// file; this open-addressing table hashes the name's UTF-8 bytes with a word-at-a-time
/// FNV-1a and a final mix, several times cheaper than `Dictionary<String, Int>`'s seeded
/// SipHash. It is deterministic, which is fine for IDs the user wrote: a file crafted to
/// collide makes lookups slower, never wrong.
public struct NameIndex: Sendable {
    private var keys: [String] = []
    private var values: [Int] = []
    /// Slot → entry + 1 (0 for an empty slot); the slot count is a power of two.
    private var slots: [Int32]
    private var hashes: [UInt64] = []

    /// An empty index sized for about `capacity` names.
    public init(capacity: Int = 8) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
        hashes.reserveCapacity(capacity)
    }

    /// How many names the index holds.
    public var count: Int { keys.count }

    /// The hash of a name's UTF-8 bytes: `ByteInterner`'s, eight bytes at a time from
    /// contiguous storage (a short name is copied to the stack for it), which is several
    /// times cheaper than stepping through `name.utf8` one byte at a time.
    static func hash(_ name: String) -> UInt64 {
        if let h = name.utf8.withContiguousStorageIfAvailable({ NameIndex.hash($0) }) { return h }
        return Array(name.utf8).withUnsafeBufferPointer { NameIndex.hash($0) }
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = bytes.baseAddress else { return ByteInterner.emptyHash }
        return ByteInterner.hash(base, bytes.count)
    }

    /// The index of a name, or nil when it is not declared.
    public subscript(name: String) -> Int? {
        probe(name, NameIndex.hash(name)).entry.map { values[$0] }
    }

    /// Adds a name unless it is already there; returns the index it maps to (the earlier
    /// one when the name was already declared) and whether it was added.
    @discardableResult
    public mutating func insert(_ name: String, _ value: Int) -> (value: Int, inserted: Bool) {
        if (keys.count + 1) * 2 > slots.count { grow() }
        let h = NameIndex.hash(name)
        let (slot, entry) = probe(name, h)
        if let entry { return (values[entry], false) }
        keys.append(name)
        values.append(value)
        hashes.append(h)
        slots[slot] = Int32(truncatingIfNeeded: keys.count)
        return (value, true)
    }

    /// The entry holding `name` (whose hash is `h`) and its slot, or the empty slot
    /// where it would go.
    @inline(__always)
    private func probe(_ name: String, _ h: UInt64) -> (slot: Int, entry: Int?) {
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[s])
            if e == 0 { return (s, nil) }
            if hashes[e - 1] == h && keys[e - 1] == name { return (s, e - 1) }
            s = (s + 1) & mask
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (i, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = Int32(truncatingIfNeeded: i + 1)
        }
    }
}
