import Foundation

/// Parsing a big file on several cores.
///
/// A workflow's members (stages, gates, owners …) parse independently of one another,
/// and the lexer carries no state from one token to the next. So the workflow body can
/// be cut at lines that start with `stage` or `gate`, and each piece after a cut parsed
/// ahead of time by a parser that starts there and stops at the next cut. Whether a cut
/// was a real member boundary is only known when the parser coming from the start
/// arrives: if it reaches the cut at the top of the workflow's member loop, the state it
/// would have there is exactly the fresh state the piece was parsed from, and it takes
/// over the piece's members, diagnostics, comments and position (`Parser.joinChunk`),
/// then goes on from where the piece stopped. If it arrives anywhere else (the line was
/// inside a list or a broken block), the piece is not used and parsing goes on serially.
/// Either way the result is the one the serial parser gives, byte for byte; tests
/// compare the two on every possible cut.
///
/// The file is cut into many small pieces. The other cores take them from the end of
/// the file backwards while the calling thread parses from the start, taking over each
/// piece it reaches that is done and parsing itself each one nobody has started; they
/// meet wherever the work divides evenly, however late a worker starts or however often
/// the host takes a core away, and the calling thread waits only for pieces a worker is
/// still on (with one worker, at most one). In a broken file a worker may parse pieces
/// whose cuts turn out not to be member boundaries; they are not used.
extension Parser {
    /// Files of this many bytes or more are parsed in pieces on all cores.
    public static let chunkThreshold = 1 << 20
    /// The size of a piece: small enough that the wait for the piece a worker is still
    /// on where the threads meet is short, big enough that setting a piece up is nothing
    /// next to parsing it.
    static let pieceSize = 256 << 10
    /// At most this many pieces, whatever the size of the file.
    static let maximumPieces = 1024
    /// How far past its target a cut may move to find a line that starts a stage or gate.
    static let cutSearchLimit = 64 << 10

    /// Room to reserve in the workflow's member list for `bytes` of source: a member per
    /// 64 bytes, so that the list rarely grows and copies itself. Pages of it that stay
    /// unused are never touched.
    static func memberRoom(_ bytes: Int) -> Int { bytes / 64 }

    /// Room to reserve in a piece's member list for `bytes` of source: a member per 128
    /// bytes. The lists of a thread's pieces lie next to each other in its heap, whose
    /// 2 MB pages the kernel clears whole, so room left over costs as much as room used;
    /// a piece of small members grows its list instead.
    static func pieceMemberRoom(_ bytes: Int) -> Int { bytes / 128 }

    /// Where to try to cut a file of `size` bytes: into pieces of about `pieceSize`
    /// (at most `maximumPieces`), or not at all on one core or below two pieces.
    static func chunkTargets(size: Int, cores: Int) -> [Int] {
        let pieces = min(maximumPieces, size / pieceSize)
        guard cores > 1, pieces > 1 else { return [] }
        return (1..<pieces).map { $0 * size / pieces }
    }

    /// The offsets of the cuts: for each target, the first `stage` or `gate` keyword at
    /// the start of a line (after spaces and tabs) at or after it, within the search
    /// limit. Strictly increasing; targets with no such line are dropped.
    static func cuts(in b: UnsafeBufferPointer<UInt8>, targets: [Int]) -> [(keyword: Int, lineStart: Int)] {
        var out: [(keyword: Int, lineStart: Int)] = []
        for target in targets {
            var i = max(target, (out.last?.keyword ?? 0) + 1)
            let limit = min(b.count, i + cutSearchLimit)
            // Move to the start of the next line.
            while i < limit && i > 0 && b[i - 1] != 0x0A && b[i - 1] != 0x0D { i += 1 }
            while i < limit {
                let lineStart = i
                var k = i
                while k < limit && (b[k] == 0x20 || b[k] == 0x09) { k += 1 }
                if startsNode(b, k) && k > 0 {
                    out.append((k, lineStart))
                    break
                }
                while i < limit && b[i] != 0x0A && b[i] != 0x0D { i += 1 }
                while i < limit && (b[i] == 0x0A || b[i] == 0x0D) { i += 1 }
            }
        }
        return out
    }

    /// Whether `stage` or `gate` followed by a space or tab starts at `k`.
    static func startsNode(_ b: UnsafeBufferPointer<UInt8>, _ k: Int) -> Bool {
        var end = k
        while end < b.count && Lexer.isIdentifierContinue(b[end]) { end += 1 }
        guard end < b.count, b[end] == 0x20 || b[end] == 0x09 else { return false }
        let keyword = Keyword.spelled(b, k, end)
        return keyword == .stage || keyword == .gate
    }

    /// Lexes and parses with the workflow body cut near `targets` (see `cuts`), the
    /// pieces parsed by `workers` threads from the last backwards. Gives exactly what
    /// the serial parser gives.
    ///
    /// With `piecesDone` (for tests), no thread is started: the last `piecesDone` pieces
    /// are parsed on this thread, the last first, before the parse from the start, which
    /// then finds them done and the others not started, whatever the timing.
    static func parse(_ source: SourceFile, cuttingNear targets: [Int], piecesDone: Int? = nil,
                      workers: Int = max(1, ProcessInfo.processInfo.activeProcessorCount - 1),
                      tunesHeap: Bool = false) -> (parsed: ParsedFile, piecesUsed: Int) {
        source.bytes.withUnsafeBufferPointer { buffer in
            let found = cuts(in: buffer, targets: targets)
            let chunks = found.map { ParseChunk(keyword: $0.keyword, lineStart: $0.lineStart) }
            let bytes = SharedBytes(buffer: buffer)
            /// Parses piece `index` unless it was given up; false if it was.
            @Sendable func work(_ index: Int) -> Bool {
                let chunk = chunks[index]
                return chunk.run {
                    var parser = Parser(source: source, scanner: Lexer.State(bytes: bytes.buffer, at: chunk.keyword))
                    parser.previousEnd = chunk.lineStart
                    parser.chunks = chunks
                    parser.nextChunk = index + 1
                    let members = parser.parseMembersToNextCut()
                    // The piece keeps its parser, and the parser must not keep the pieces:
                    // that would be a cycle holding the file and every piece for good.
                    parser.chunks = nil
                    return ParseChunk.Piece(members: members, parser: parser)
                }
            }
            if let piecesDone {
                for index in chunks.indices.reversed().prefix(piecesDone) { _ = work(index) }
            } else if !chunks.isEmpty {
                let queue = PieceQueue(count: chunks.count)
                let threads = max(1, min(workers, chunks.count))
                for _ in 0..<threads {
                    DispatchQueue.global().async {
                        if tunesHeap {
                            // The pieces' trees go on this thread's heap.
                            HeapReserve.prepare(forParsing: source.bytes.count / (threads + 1))
                        }
                        // A piece given up means the parse from the start has gone past it,
                        // and so past every piece before it.
                        while let index = queue.take(), work(index) {}
                    }
                }
            }
            var parser = Parser(source: source, scanner: Lexer.State(bytes: buffer))
            parser.chunks = chunks
            let tree = parser.parseFile()
            // Pieces still running use the buffer: wait for them before it goes away.
            for chunk in chunks { _ = chunk.join() }
            return (parser.finish(tree), parser.piecesUsed)
        }
    }

    /// The members of a workflow body from a piece's cut to the next cut the parser
    /// stands on at the top of the member loop, or to the `}` that closes the body or the
    /// end of the file: the member loop of `parseBlock`, less what the parser coming from
    /// the start does itself (the brace, and the error at the end of the file).
    mutating func parseMembersToNextCut() -> ScratchBuffer<WorkflowMember> {
        let next = chunks.flatMap { nextChunk < $0.count ? $0[nextChunk].keyword : nil } ?? source.bytes.count
        let members = ScratchBuffer<WorkflowMember>(capacity: Parser.pieceMemberRoom(next - current.range.start))
        while kind != .rightBrace && kind != .endOfFile && !atNextCut() {
            let before = position
            if let m = parseWorkflowMember() { members.append(m) }
            if position == before { advance() }
            skipNewlines()
        }
        return members
    }

    /// Whether the parser, at the top of the workflow's member loop, stands exactly on
    /// a cut; cuts it went past are skipped (they were not member boundaries).
    mutating func atNextCut() -> Bool {
        guard let chunks else { return false }
        let here = current.range.start
        while nextChunk < chunks.count && chunks[nextChunk].keyword < here { nextChunk += 1 }
        return nextChunk < chunks.count && chunks[nextChunk].keyword == here
    }

    /// One step of the workflow's member loop, the same as a piece's: the members of a
    /// piece cut exactly here, else the next member.
    mutating func parseMemberOrPiece(into members: inout [WorkflowMember]) {
        if let joined = joinChunk() {
            joined.move(appendingTo: &members)
        } else if let m = parseWorkflowMember() {
            members.append(m)
        }
    }

    /// At the top of the workflow's member loop: if a piece was cut exactly here, takes
    /// over its members and everything the parser would have found up to where the
    /// piece stopped (the next cut, or the end of the body).
    mutating func joinChunk() -> ScratchBuffer<WorkflowMember>? {
        guard let chunks, atNextCut() else { return nil }
        let here = current.range.start
        let chunk = chunks[nextChunk]
        nextChunk += 1
        guard let piece = chunk.join() else { return nil }
        let tail = piece.parser
        // This parser has lexed the `stage` or `gate` keyword at the cut and nothing
        // after it; the piece's lexer starts with that same keyword.
        while let last = scanner.comments.last, last.range.start >= here { scanner.comments.removeLast() }
        while let last = scanner.diagnostics.last, last.range.start >= here { scanner.diagnostics.removeLast() }
        scanner.comments += tail.scanner.comments
        scanner.diagnostics += tail.scanner.diagnostics
        scanner.i = tail.scanner.i
        scanner.produced = nil
        diagnostics += tail.diagnostics
        current = tail.current
        previousEnd = tail.previousEnd
        position += tail.position
        nextChunk = tail.nextChunk
        piecesUsed += 1
        return piece.members
    }

    /// The parsed file from the tree and what the parser collected.
    func finish(_ tree: FlowFile) -> ParsedFile {
        let diagnostics = limited(lexical: scanner.diagnostics, syntax: self.diagnostics)
        return ParsedFile(source: source, tree: tree, comments: scanner.comments,
                          diagnostics: diagnostics.sorted { $0.range.start < $1.range.start })
    }
}

/// The file's bytes, shared read-only with the threads parsing pieces of it.
private struct SharedBytes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
}

/// One piece of a file cut for parsing on several cores, and its result.
///
/// A piece is parsed by a worker, or by nobody: if the parser coming from the start
/// arrives before a worker has picked the piece up, it gives the piece up and parses on
/// itself, so no thread ever waits for work that has not started.
final class ParseChunk: @unchecked Sendable {
    /// What the worker found: the members, and the parser where it stopped.
    struct Piece {
        var members: ScratchBuffer<WorkflowMember>
        var parser: Parser
    }

    private enum State { case pending, running, done, abandoned }

    /// The offset of the `stage` or `gate` keyword the piece starts with.
    let keyword: Int
    /// The start of that keyword's line (the end of the newline before it).
    let lineStart: Int
    private let lock = NSLock()
    private let finished = DispatchGroup()
    private var state = State.pending
    private var piece: Piece?

    init(keyword: Int, lineStart: Int) {
        self.keyword = keyword
        self.lineStart = lineStart
        finished.enter()
    }

    /// Parses the piece, unless it was given up (or is taken); false if it was.
    func run(_ work: () -> Piece) -> Bool {
        lock.lock()
        guard state == .pending else {
            lock.unlock()
            return false
        }
        state = .running
        lock.unlock()
        let result = work()
        lock.lock()
        piece = result
        state = .done
        lock.unlock()
        finished.leave()
        return true
    }

    /// The piece's result, waiting for it if a worker is on it; nil if it had not
    /// started (it is then given up for good).
    func join() -> Piece? {
        lock.lock()
        if state == .pending {
            state = .abandoned
            lock.unlock()
            finished.leave()
            return nil
        }
        lock.unlock()
        finished.wait()
        lock.lock()
        defer { lock.unlock() }
        return piece
    }
}

/// Hands out the pieces of a file to the worker threads, the last first.
private final class PieceQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next: Int

    init(count: Int) { next = count - 1 }

    /// The index of the next piece to parse, or nil when every piece was handed out.
    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next >= 0 else { return nil }
        next -= 1
        return next + 1
    }
}
