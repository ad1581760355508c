/// Sorts doubles ascending with a least-significant-digit radix sort on their bit patterns
/// (8-bit digits; digits that are equal in every value are skipped, as the high bytes of
/// timestamps usually are). Linear in the count; small arrays use the standard sort.
///
/// The order equals `sort()` for every non-NaN value (−0.0 comes before 0.0, which `sort()`
/// treats as equal, so the results are equal as numbers).
func radixSort(_ values: inout [Double]) {
    values.withUnsafeMutableBufferPointer { radixSort($0) }
}

/// `radixSort` on a buffer, in place.
func radixSort(_ values: UnsafeMutableBufferPointer<Double>) {
    let n = values.count
    guard n >= 1024 else {
        var v = values
        v.sort()
        return
    }
    let signBit: UInt64 = 1 << 63
    var keys = [UInt64](repeating: 0, count: n)
    var spare = [UInt64](repeating: 0, count: n)
    var counts = [Int](repeating: 0, count: 8 * 256)
    do {
        let v = values
        keys.withUnsafeMutableBufferPointer { k in
            counts.withUnsafeMutableBufferPointer { c in
                for i in 0..<n {
                    let b = v[i].bitPattern
                    // Negative numbers: flip every bit; others: flip the sign bit. Unsigned order = numeric order.
                    let key = b & signBit != 0 ? ~b : b | signBit
                    k[i] = key
                    for p in 0..<8 { c[p &* 256 &+ Int(truncatingIfNeeded: (key >> (8 &* UInt64(p))) & 0xFF)] &+= 1 }
                }
            }
        }
    }
    var inKeys = true
    counts.withUnsafeMutableBufferPointer { c in
        keys.withUnsafeMutableBufferPointer { a in
            spare.withUnsafeMutableBufferPointer { b in
                for p in 0..<8 {
                    let shift = UInt64(8 * p)
                    let src = inKeys ? a : b
                    let dst = inKeys ? b : a
                    let first = Int(truncatingIfNeeded: (src[0] >> shift) & 0xFF)
                    if c[p * 256 + first] == n { continue }
                    var offset = 0
                    for d in 0..<256 {
                        let count = c[p * 256 + d]
                        c[p * 256 + d] = offset
                        offset += count
                    }
                    for i in 0..<n {
                        let key = src[i]
                        let d = p &* 256 &+ Int(truncatingIfNeeded: (key >> shift) & 0xFF)
                        dst[c[d]] = key
                        c[d] &+= 1
                    }
                    inKeys.toggle()
                }
            }
        }
    }
    let sorted = inKeys ? keys : spare
    for i in 0..<n {
        let key = sorted[i]
        values[i] = Double(bitPattern: key & signBit != 0 ? key & ~signBit : ~key)
    }
}
