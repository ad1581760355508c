import Foundation

/// Maps `0..<count` on all cores and returns the results in index order.
///
/// The one place that joins threads: per-file work (checking, formatting), simulation blocks
/// and the two halves of a replay all go through it. The body must not touch shared mutable
/// state. Results are collected under a lock, so order never depends on timing.
package func concurrentMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    // One item (a single file) runs here, without the shared results box.
    if count == 1 { return [body(0)] }
    let box = ConcurrentResults<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { i in
        box.set(i, body(i))
    }
    return box.values.compactMap { $0 }
}

/// Results written from several threads.
private final class ConcurrentResults<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [T?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) {
        lock.lock()
        values[i] = value
        lock.unlock()
    }
}
