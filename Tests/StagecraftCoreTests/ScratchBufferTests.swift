import Testing
@testable import StagecraftCore

/// The parser's scratch buffers keep every element exactly once: what `takeAll` moves
/// out is owned by the new array alone, and nothing leaks or is destroyed twice.
@Suite struct ScratchBufferTests {
    final class Counter { var alive = 0 }

    /// Counts how many of its instances are alive.
    final class Tracked {
        let id: Int
        let counter: Counter
        init(_ id: Int, _ counter: Counter) {
            self.id = id
            self.counter = counter
            counter.alive += 1
        }
        deinit { counter.alive -= 1 }
    }

    @Test func takeAllMovesEveryElementThroughGrowth() {
        let counter = Counter()
        var taken: [[Tracked]] = []
        do {
            let buffer = ScratchBuffer<Tracked>(capacity: 2)
            for round in 0..<5 {
                // 0, 3, 6, 9, 12 elements: the buffer doubles from 2 to 16 on the way.
                for k in 0..<(round * 3) { buffer.append(Tracked(100 * round + k, counter)) }
                var out = buffer.takeAll()
                #expect(out.map(\.id) == (0..<(round * 3)).map { 100 * round + $0 })
                #expect(buffer.count == 0)
                // The array holds the only reference to each element.
                for k in out.indices { #expect(isKnownUniquelyReferenced(&out[k])) }
                taken.append(out)
            }
            #expect(counter.alive == 30)
        }
        #expect(counter.alive == 30)
        taken.removeAll()
        #expect(counter.alive == 0)
    }

    @Test func removeAllAndDeinitDestroyWhatIsLeft() {
        let counter = Counter()
        do {
            let buffer = ScratchBuffer<Tracked>(capacity: 1)
            for k in 0..<5 { buffer.append(Tracked(k, counter)) }
            buffer.removeAll()
            #expect(counter.alive == 0 && buffer.count == 0)
            for k in 0..<3 { buffer.append(Tracked(k, counter)) }
            #expect(counter.alive == 3)
        }
        #expect(counter.alive == 0)
        #expect(ScratchBuffer<Tracked>().takeAll().isEmpty)
    }
}

extension ScratchBufferTests {
    @Test func movingAPieceToTheMemberListEmptiesIt() {
        let counter = Counter()
        do {
            // A piece's buffer grows past its capacity, then the list from the start takes it.
            let piece = ScratchBuffer<Tracked>(capacity: 1)
            for k in 0..<8 { piece.append(Tracked(k, counter)) }
            #expect(piece.count == 8)
            var members = [Tracked(-1, counter)]
            members.reserveCapacity(4)
            piece.move(appendingTo: &members)
            #expect(piece.count == 0)
            #expect(members.map(\.id) == [-1, 0, 1, 2, 3, 4, 5, 6, 7])
            for k in members.indices { #expect(isKnownUniquelyReferenced(&members[k])) }
            #expect(counter.alive == 9)
        }
        #expect(counter.alive == 0)
    }
}
