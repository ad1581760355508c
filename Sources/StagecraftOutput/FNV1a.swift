/// The 64-bit FNV-1a hash, for identifiers that must stay the same from run to run: SARIF
/// fingerprints and calendar (ICS) UIDs each take it, so neither depends on the other.
public enum FNV1a {
    /// The hash of a string's UTF-8 bytes, as 16 lower-case hex digits.
    public static func hex64(_ s: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in s.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
