import Foundation
import Testing
@testable import StagecraftCore

@Suite struct HeapReserveTests {
    @Test func blocksThatFollowEachOtherJoinIntoOneSpan() {
        let length: UInt = 0x1000
        // The second block starts 16 bytes (a heap header) after the first ends; the third
        // is elsewhere, and a block before the last span's end never joins it.
        let spans = HeapReserve.spans([0x10000, 0x11010, 0x40000], length: length)
        #expect(spans == [0x10000..<0x12010, 0x40000..<0x41000])
        #expect(HeapReserve.spans([0x10000, 0x10800], length: length) == [0x10000..<0x11000, 0x10800..<0x11800])
        #expect(HeapReserve.spans([], length: length).isEmpty)
    }

    @Test func nothingToReserveAdvisesNothing() {
        #expect(HeapReserve.prepare(forTouching: 0) == 0)
        #expect(HeapReserve.prepare(forTouching: -5) == 0)
        // Checking only files below the threshold of a big file leaves the heap alone.
        #expect(HeapReserve.prepare(forChecking: []) == 0)
        #expect(HeapReserve.prepare(forChecking: [Checker.parallelRulesThreshold - 1, 10]) == 0)
    }

    @Test func whatIsAdvisedIsWholeHugePagesWithinTheBlocks() {
        let advised = HeapReserve.prepare(forTouching: 40 << 20)
        #if canImport(Glibc)
        if HeapReserve.hugePagesAvailable() {
            // Two 30 MB blocks, joined: 60 MB less at most one huge page at each end.
            #expect(advised >= (60 << 20) - 2 * HeapReserve.hugePage)
        }
        #endif
        #expect(advised % HeapReserve.hugePage == 0)
        #expect(advised <= 2 * HeapReserve.block)
    }

    @Test func checkingABigFileWithTheHeapTunedReportsTheSame() throws {
        // Over `Checker.parallelRulesThreshold`, so the check command tunes the heap.
        var text = "workflow \"Big\" {\n  owner lead\n"
        var k = 0
        while text.utf8.count < Checker.parallelRulesThreshold + 4096 {
            text += "  stage s\(k) {\n    owner \(k % 97 == 0 ? "nobody" : "lead")\n    sla 2bd\n"
            if k > 0 { text += "    after s\(k - 1)\n" }
            text += "  }\n"
            k += 1
        }
        text += "}\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("heap-reserve-\(getpid()).flow").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let plain = StagecraftCommand.run(["check", path, "--format", "json"], environment: CommandEnvironment())
        let tuned = StagecraftCommand.run(["check", path, "--format", "json"], environment: CommandEnvironment(tunesHeap: true))
        #expect(plain.exitCode == 1)
        #expect(plain.stdout.contains("unknown-reference"))
        #expect(tuned.exitCode == plain.exitCode)
        #expect(tuned.stdout == plain.stdout)
    }
}
