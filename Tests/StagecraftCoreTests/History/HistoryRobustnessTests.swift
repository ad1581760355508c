import Foundation
import Testing
@testable import StagecraftHistory

/// Mutated inputs must produce a log or a `HistoryError`, never a crash.
@Suite struct HistoryRobustnessTests {
    static let seeds: [(String, String)] = [
        (CSVReaderTests.sampleForFuzz, "f.csv"),
        (XESReaderTests.sample, "f.xes"),
        (JSONLAndGzipTests.jsonl, "f.jsonl"),
        (LifecycleTests.lifecycleCSV, "g.csv"),
    ]

    @Test(arguments: 0..<4)
    func mutatedInputsNeverCrash(seedIndex: Int) {
        let (text, name) = Self.seeds[seedIndex]
        let original = Array(text.utf8)
        var rng = TestRandom(state: UInt64(seedIndex + 1) &* 7919)
        let interesting: [UInt8] = Array("<>\"'&;,\t|\n\r{}[]:\\/ -+.Z0123456789T".utf8) + [0, 0xFF, 0xC3]
        for round in 0..<400 {
            var bytes = original
            for _ in 0..<(1 + rng.below(6)) {
                guard !bytes.isEmpty else { break }
                let at = rng.below(bytes.count)
                switch rng.below(4) {
                case 0: bytes[at] = interesting[rng.below(interesting.count)]
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(interesting[rng.below(interesting.count)], at: at)
                default: bytes.removeSubrange(at..<min(bytes.count, at + rng.below(40)))
                }
            }
            let skip = round % 2 == 0
            do {
                let log = try HistoryReader.read(bytes: bytes, name: name, options: HistoryOptions(skipBadRows: skip))
                _ = inspect(log).render()
            } catch is HistoryError {
                // Expected for many mutations.
            } catch {
                Issue.record("unexpected error type \(error)")
            }
            if round % 50 == 0, let gz = Gzip.deflate(bytes) {
                var broken = gz
                if broken.count > 20 { broken[10 + rng.below(broken.count - 20)] ^= 0x5A }
                _ = try? HistoryReader.read(bytes: broken, name: name + ".gz")
            }
        }
    }

    @Test func optionHelpers() {
        #expect(HistoryOptions.delimiter(named: "tab") == 9)
        #expect(HistoryOptions.delimiter(named: ";") == UInt8(ascii: ";"))
        #expect(HistoryOptions.delimiter(named: ";;") == nil)
        #expect(HistoryFormat(rawValue: "jsonl") == .jsonl)
    }
}

extension CSVReaderTests {
    static let sampleForFuzz = "case_id,activity,start_time,end_time,resource\r\n"
        + "c1,\"Pack, \"\"then\"\" ship\",2020-01-01T10:00:00.5,2020-01-01T11:00:00+01:00,Ann\r\n"
        + "c1,\"Two\nlines\",2020/01/01 12:00:00,2020-01-01 12:30:00Z,\r\n\r\n"
        + "c2,Check,2020-01-02,2020-01-02T09:05:00-0130,10861.0\r\n"
}
