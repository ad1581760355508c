import Foundation

/// Lets another thread resolve part of a model's node declarations while the thread
/// building the model resolves the rest.
///
/// `check` of a big file builds the model on one core while another runs the rules that
/// read only the tree, which take about half as long; that core then calls `help()`. The
/// declarations are resolved in chunks: the builder takes them from the first, helpers
/// from the last, until they meet, and the builder adds the helpers' chunks after its
/// own. The model is the same whoever resolved what. A helper never waits: before the
/// builder has its indexes, or after it has taken every chunk, `help()` returns at once.
/// A share serves one model.
public final class ResolutionShare: @unchecked Sendable {
    /// Declarations per chunk.
    let chunkSize: Int
    private let lock = NSLock()
    private let helping = DispatchGroup()
    private var job: ResolutionJob?
    /// Where each chunk starts in the declarations, and the number of its first
    /// declaration that counts.
    private var chunkStarts: [Int] = []
    private var firstSummaries: [Int] = []
    /// The next chunk for the builder, and the next for a helper (going down).
    private var front = 0
    private var back = -1
    private var helped: [WorkflowModel.Resolution?] = []
    private var finished = false

    /// Whether the builder has resolved everything (tests).
    var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    public init() { self.chunkSize = 2048 }

    /// A share with chunks of `chunkSize` declarations (tests make them small).
    init(chunkSize: Int) { self.chunkSize = max(1, chunkSize) }

    /// Tests: chunks the builder resolves the helpers' way (from the last) before its own.
    var builderHelpsFirst = 0

    /// Resolves chunks from the last until none is left (or `limit` are done); returns
    /// how many it resolved.
    @discardableResult
    public func help(atMost limit: Int = .max) -> Int {
        var done = 0
        while done < limit, let (job, c) = takeBack() {
            let range = chunkStarts[c]..<chunkStarts[c + 1]
            var out = job.emptyResolution(room: range.count)
            job.resolve(range, firstSummary: firstSummaries[c], into: &out)
            lock.lock()
            helped[c] = out
            lock.unlock()
            helping.leave()
            done += 1
        }
        return done
    }

    /// The builder's side: publishes the job, resolves chunks from the first, waits for
    /// the helpers' and joins them in order.
    func resolve(_ job: ResolutionJob) -> WorkflowModel.Resolution {
        let count = job.nodeMembers.count
        var starts = Array(stride(from: 0, to: count, by: chunkSize))
        starts.append(count)
        var firsts: [Int] = []
        firsts.reserveCapacity(starts.count)
        var unique = 0
        for c in 0..<(starts.count - 1) {
            firsts.append(unique)
            for k in starts[c]..<starts[c + 1] where job.nodeMembers[k].unique { unique += 1 }
        }
        lock.lock()
        self.chunkStarts = starts
        self.firstSummaries = firsts
        self.helped = Array(repeating: nil, count: firsts.count)
        self.front = 0
        self.back = firsts.count - 1
        self.job = job
        lock.unlock()
        if builderHelpsFirst > 0 { help(atMost: builderHelpsFirst) }
        var out = job.emptyResolution(room: count)
        while let c = takeFront() {
            job.resolve(starts[c]..<starts[c + 1], firstSummary: firsts[c], into: &out)
        }
        helping.wait()
        lock.lock()
        let theirs = helped
        helped = []
        finished = true
        lock.unlock()
        for part in theirs { if let part { out.append(part) } }
        return out
    }

    private func takeFront() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard front <= back else { return nil }
        front += 1
        return front - 1
    }

    private func takeBack() -> (ResolutionJob, Int)? {
        lock.lock()
        defer { lock.unlock() }
        guard let job, back >= front else { return nil }
        back -= 1
        helping.enter()
        return (job, back + 1)
    }
}
