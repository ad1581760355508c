/// Deterministic randomness for the simulator: every draw depends only on the seed and the
/// stream, and every transformation uses only correctly rounded IEEE-754 operations and a
/// hand-written logarithm, so the same seed gives the same bits on every platform.

/// SplitMix64 (Steele, Lea and Flood): used to expand a 64-bit seed into generator state.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 output function: a strong 64-bit bijective mixer.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64.
///
/// `init(seed:stream:)` derives independent per-run streams: run `r` of a simulation with
/// seed `s` always draws from `SeededGenerator(seed: s, stream: r)`, whatever order or
/// thread the runs execute in.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    public init(seed: UInt64) {
        var sm = SplitMix64(state: seed)
        s0 = sm.next()
        s1 = sm.next()
        s2 = sm.next()
        s3 = sm.next()
        // The all-zero state is a fixed point; SplitMix64 cannot produce four zeros in a
        // row, but keep the generator valid regardless.
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// A generator in the given raw state (for reference test vectors).
    init(state s0: UInt64, _ s1: UInt64, _ s2: UInt64, _ s3: UInt64) {
        self.s0 = s0
        self.s1 = s1
        self.s2 = s2
        self.s3 = s3
    }

    /// Stream `stream` of seed `seed`: the seed is mixed with the stream number so that
    /// neighbouring seeds and neighbouring streams give unrelated sequences.
    public init(seed: UInt64, stream: UInt64) {
        let key = SplitMix64.mix(seed) ^ SplitMix64.mix(stream &* 0xD1B5_4A32_D192_ED03 &+ 0x8CB9_2BA7_2F3D_8DD7)
        self.init(seed: key)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform double in [0, 1): the top 53 bits of the next output, times 2⁻⁵³.
    @inline(__always)
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform double in (0, 1): never zero, so its logarithm is finite.
    @inline(__always)
    public mutating func nextOpenUniform() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// A uniform integer in 0..<bound (0 when bound ≤ 0), by Lemire's multiply-high
    /// (bias below 2⁻⁶⁴ × bound, irrelevant here and fully deterministic).
    @inline(__always)
    public mutating func nextIndex(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A standard normal deviate (Marsaglia's polar method; uses only `sqrt` and
    /// `deterministicLog`).
    public mutating func nextNormal() -> Double {
        // The acceptance probability is π/4 per try; 64 failures in a row has probability
        // below 1e-42. The fallback keeps the function total.
        for _ in 0..<64 {
            let u = 2 * nextUniform() - 1
            let v = 2 * nextUniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                return u * (-2 * deterministicLog(s) / s).squareRoot()
            }
        }
        return 0
    }

    /// A Gamma(shape, 1) deviate for shape ≥ 1 (Marsaglia and Tsang, 2000). Shapes below 1
    /// are raised to 1 (the simulator only needs shapes ≥ 1: beta-PERT parameters are ≥ 1).
    public mutating func nextGamma(shape: Double) -> Double {
        let a = shape.isFinite && shape >= 1 ? shape : 1
        let d = a - 1.0 / 3.0
        let c = 1.0 / (9 * d).squareRoot()
        // Acceptance is above 95% per try for a ≥ 1; the bound only keeps the loop total.
        for _ in 0..<256 {
            let x = nextNormal()
            var v = 1 + c * x
            if v <= 0 { continue }
            v = v * v * v
            let u = nextOpenUniform()
            let x2 = x * x
            if u < 1 - 0.0331 * x2 * x2 { return d * v }
            if deterministicLog(u) < 0.5 * x2 + d * (1 - v + deterministicLog(v)) { return d * v }
        }
        return d
    }

    /// A Beta(α, β) deviate for α, β ≥ 1, as X / (X + Y) with X ~ Gamma(α), Y ~ Gamma(β).
    public mutating func nextBeta(alpha: Double, beta: Double) -> Double {
        let x = nextGamma(shape: alpha)
        let y = nextGamma(shape: beta)
        let sum = x + y
        guard sum > 0 && sum.isFinite else { return alpha / (alpha + beta) }
        return x / sum
    }
}

/// The natural logarithm computed with basic IEEE operations only, so it gives the same
/// bits on every platform (unlike the C library's `log`). Accurate to about 1 ulp.
///
/// Returns −∞ for 0, NaN for negative numbers and NaN, +∞ for +∞.
public func deterministicLog(_ x: Double) -> Double {
    if x.isNaN || x < 0 { return .nan }
    if x == 0 { return -.infinity }
    if x.isInfinite { return .infinity }
    // x = m · 2^e with m in [1, 2); move m into [√½, √2) so the series below converges fast.
    var e = Double(Int(x.exponent))
    var m = x.significand
    if m > 1.4142135623730951 {
        m = m / 2
        e += 1
    }
    // log m = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + …) with s = (m − 1)/(m + 1), |s| ≤ 0.1716.
    let s = (m - 1) / (m + 1)
    let z = s * s
    var p = 1.0 / 25.0
    p = p * z + 1.0 / 23.0
    p = p * z + 1.0 / 21.0
    p = p * z + 1.0 / 19.0
    p = p * z + 1.0 / 17.0
    p = p * z + 1.0 / 15.0
    p = p * z + 1.0 / 13.0
    p = p * z + 1.0 / 11.0
    p = p * z + 1.0 / 9.0
    p = p * z + 1.0 / 7.0
    p = p * z + 1.0 / 5.0
    p = p * z + 1.0 / 3.0
    // ln 2 split into a high part with trailing zero bits (so e·ln2Hi is exact) and the rest.
    let ln2Hi = 6.93147180369123816490e-01
    let ln2Lo = 1.90821492927058770002e-10
    let logM = 2 * s + 2 * s * z * p
    return e * ln2Hi + (logM + e * ln2Lo)
}
