/// A buffer the parser collects a list in when the list is handed on whole: a node's
/// statements and a checklist's items (the buffer is reused, and each list leaves as an
/// array of exactly its size), and the members of a piece of a big file (which move to
/// the list of the parser that joins the piece).
///
/// Elements leave by moving: unlike copying out of an `Array`, nothing is retained on
/// the way out or released when the buffer is cleared, which on a big file is a retain
/// and a release for every statement and member. The buffer is used by one parser on
/// one thread at a time.
final class ScratchBuffer<Element>: @unchecked Sendable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// How many elements are in the buffer.
    private(set) var count = 0

    init(capacity: Int = 16) {
        self.capacity = max(1, capacity)
        self.base = UnsafeMutablePointer<Element>.allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    func append(_ element: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    /// Drops every element.
    func removeAll() {
        base.deinitialize(count: count)
        count = 0
    }

    /// The elements, moved into a new array of exactly their count; the buffer is left
    /// empty.
    func takeAll() -> [Element] {
        // (Not `Array(unsafeUninitializedCapacity:)`: its allocation is not specialized,
        // and looks up the array's type at run time on every call.)
        var out: [Element] = []
        out.reserveCapacity(count)
        move(appendingTo: &out)
        return out
    }

    /// Moves every element to the end of `array`; the buffer is left empty.
    func move(appendingTo array: inout [Element]) {
        let n = count
        count = 0
        // The array pulls the elements one by one from an iterator that moves each out
        // of the buffer: `append(contentsOf:)` consumes all of them, and stores each
        // without a copy.
        array.append(contentsOf: Draining(base: base, count: n))
    }

    /// The elements of a buffer, moved out one by one as they are read; whoever iterates
    /// must go to the end (`Array.append(contentsOf:)` does).
    private struct Draining: Sequence, IteratorProtocol {
        let base: UnsafeMutablePointer<Element>
        let count: Int
        var index = 0

        var underestimatedCount: Int { count - index }

        mutating func next() -> Element? {
            guard index < count else { return nil }
            defer { index += 1 }
            return (base + index).move()
        }
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }
}
