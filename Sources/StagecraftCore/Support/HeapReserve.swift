import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Lets a process about to check a big file take its heap in 2 MB pages.
///
/// Checking a 10 MB file touches about 70 MB of fresh memory, and with 4 KB pages the
/// kernel takes some 17,000 page faults to hand it over: a sixth of the run's CPU time.
/// Linux backs memory with 2 MB pages ("transparent huge pages") where a program asks
/// for them with `madvise(MADV_HUGEPAGE)`, but malloc grows its heap a little at a time
/// and never asks. `prepare(forTouching:)` grows the calling thread's heap once, up
/// front, asks for huge pages over it, and gives it back to malloc, which then hands it
/// out piece by piece; pages that are never touched cost nothing.
///
/// Only the executable calls this (through `CommandEnvironment.tunesHeap`), once, before
/// reading: it changes two malloc settings for the rest of the process (blocks up to
/// 32 MB come from the heap, and freed memory is kept rather than returned). Where the
/// platform has none of this (not glibc, or huge pages switched off), it does nothing.
public enum HeapReserve {
    /// The size of one block taken from the heap: glibc serves blocks below its largest
    /// mmap threshold (32 MB on 64-bit systems) from the heap itself.
    static let block = 30 << 20
    /// At most this much is reserved, whatever the input.
    static let limit = 240 << 20
    /// The page size the kernel uses for transparent huge pages on x86-64 and arm64.
    static let hugePage = 2 << 20
    /// Fresh memory a check touches per byte of its files: the bytes, line starts, syntax
    /// tree and model (about seven on the 10 MB benchmark file).
    static let touchedPerCheckedByte = 8
    /// Fresh memory a thread parsing a piece of a file touches per byte of the piece.
    static let touchedPerParsedByte = 4

    /// Prepares the calling thread's heap for checking files of these sizes when one of
    /// them is big (`Checker.parallelRulesThreshold` bytes or more), the only case where
    /// it pays; does nothing otherwise. Returns how many bytes were advised.
    @discardableResult
    public static func prepare(forChecking sizes: [Int]) -> Int {
        guard let biggest = sizes.max(), biggest >= Checker.parallelRulesThreshold else { return 0 }
        return prepare(forTouching: touchedPerCheckedByte * sizes.reduce(0, +))
    }

    /// Prepares the calling thread's heap for parsing a piece of `bytes` bytes.
    @discardableResult
    static func prepare(forParsing bytes: Int) -> Int {
        prepare(forTouching: touchedPerParsedByte * bytes)
    }

    /// Grows the calling thread's heap by about `bytes` (at most `limit`) and asks for
    /// huge pages over it. Returns how many bytes were advised: 0 where not supported.
    @discardableResult
    public static func prepare(forTouching bytes: Int) -> Int {
        #if canImport(Glibc)
        guard bytes > 0, hugePagesAvailable(),
              let symbol = dlsym(nil, "mallopt") else { return 0 }
        typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: MallocOption.self)
        // M_MMAP_THRESHOLD (-3) and M_TRIM_THRESHOLD (-1), from <malloc.h>.
        guard mallopt(-3, 32 << 20) == 1, mallopt(-1, Int32.max) == 1 else { return 0 }
        let count = (min(bytes, limit) + block - 1) / block
        var blocks: [UnsafeMutableRawPointer] = []
        for _ in 0..<count {
            guard let p = malloc(block) else { break }
            blocks.append(p)
        }
        defer { for p in blocks.reversed() { free(p) } }
        var advised = 0
        for span in spans(blocks.map { UInt(bitPattern: $0) }.sorted(), length: UInt(block)) {
            let start = (span.lowerBound + UInt(hugePage) - 1) & ~UInt(hugePage - 1)
            let end = span.upperBound & ~UInt(hugePage - 1)
            guard end > start, madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start),
                                       MADV_HUGEPAGE) == 0 else { continue }
            advised += Int(end - start)
        }
        return advised
        #else
        return 0
        #endif
    }

    /// Joins blocks that follow each other in memory (a heap block's header is the only
    /// gap between them) into spans; blocks elsewhere stay spans of their own.
    static func spans(_ starts: [UInt], length: UInt) -> [Range<UInt>] {
        var out: [Range<UInt>] = []
        for start in starts {
            if let last = out.last, start >= last.upperBound, start - last.upperBound <= 64 {
                out[out.count - 1] = last.lowerBound..<(start + length)
            } else {
                out.append(start..<(start + length))
            }
        }
        return out
    }

    /// Whether the kernel gives huge pages to memory that asks for them: its setting
    /// reads `[always]` or `[madvise]`, not `[never]`.
    static func hugePagesAvailable() -> Bool {
        guard let setting = try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled",
                                        encoding: .utf8) else { return false }
        return !setting.contains("[never]")
    }
}
