/// The on-disk layout of an event log.
///
/// Chosen from the file extension (`.csv`, `.xes`, `.jsonl`/`.ndjson`, each optionally
/// followed by `.gz`) or given explicitly; gzip compression is detected from the bytes.
public enum HistoryFormat: String, Sendable, Hashable, CaseIterable {
    case csv
    case xes
    case jsonl
}

/// A field of an event that a reader maps from a column (CSV), attribute (XES) or key (JSONL).
public enum HistoryField: String, Sendable, Hashable, CaseIterable {
    case caseID = "case"
    case activity
    case start
    case end
    case resource
    case lifecycle
}

/// Options that steer how an event log is read.
///
/// Every option has a sensible default: the format comes from the extension, columns are
/// detected from the header, the delimiter is sniffed, and naive timestamps are UTC.
public struct HistoryOptions: Sendable, Hashable {
    /// Format override; nil chooses by extension (or by content for standard input).
    public var format: HistoryFormat?
    /// Column (CSV), key (JSONL) names that override detection, matched case-insensitively.
    /// For XES these are ignored: the standard attribute keys are used.
    public var columns: [HistoryField: String]
    /// CSV delimiter override (one ASCII byte, e.g. `;`); nil sniffs among `, ; \t |`.
    public var delimiter: UInt8?
    /// IANA time zone identifier for timestamps written without an offset; nil means UTC.
    public var timeZone: String?
    /// The layout of every timestamp (`--timestamp-format`); nil auto-detects.
    public var timestampFormat: TimestampFormat?
    /// Count and skip malformed rows instead of throwing on the first one.
    public var skipBadRows: Bool
    /// Drop exact duplicate rows (all mapped fields equal) instead of keeping them.
    public var dedupe: Bool
    /// Case attributes to keep, by name (matched case-insensitively): a CSV column or JSONL
    /// key named NAME or `case:NAME`, or an XES trace attribute with that key. Only these are
    /// kept, so a log's other columns cost nothing; `HistoryCase.attributes` holds them.
    public var caseAttributes: Set<String> = []

    /// The name under which a column, key or trace attribute is kept when it is one of
    /// `caseAttributes`: lowercased, without a `case:` prefix; nil when not wanted.
    public func caseAttribute(named column: String) -> String? {
        guard !caseAttributes.isEmpty else { return nil }
        var name = column.lowercased()
        if name.hasPrefix("case:") { name.removeFirst(5) }
        return caseAttributes.contains(where: { $0.lowercased() == name }) ? name : nil
    }

    /// The delimiter byte named by an option value: one ASCII character, or `tab`/`\\t`.
    /// Nil when the value is not a single ASCII character.
    public static func delimiter(named text: String) -> UInt8? {
        switch text.lowercased() {
        case "tab", "\\t", "\t": return 9
        default:
            let bytes = Array(text.utf8)
            return bytes.count == 1 && bytes[0] < 128 ? bytes[0] : nil
        }
    }

    /// Creates options; every parameter defaults to detection.
    public init(
        format: HistoryFormat? = nil, columns: [HistoryField: String] = [:], delimiter: UInt8? = nil,
        timeZone: String? = nil, skipBadRows: Bool = false, dedupe: Bool = false,
        timestampFormat: TimestampFormat? = nil
    ) {
        self.timestampFormat = timestampFormat
        self.format = format
        self.columns = columns
        self.delimiter = delimiter
        self.timeZone = timeZone
        self.skipBadRows = skipBadRows
        self.dedupe = dedupe
    }
}

/// An error in an event log, located by file, line and column (or XES element).
///
/// `column` names the CSV column, JSONL key or XES element/attribute at fault when known.
public struct HistoryError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The file (or `-` for standard input) being read.
    public var file: String
    /// 1-based line number, or nil when the error concerns the whole file.
    public var line: Int?
    /// Column, key or XES element name, when known.
    public var column: String?
    /// What went wrong.
    public var message: String

    /// Creates an error located in `file` at `line` and `column`.
    public init(file: String, line: Int? = nil, column: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line: column 'x': message`.
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ": "
        if let column { s += "column '\(column)': " }
        return s + message
    }
}

/// One occurrence of an activity in a case: an interval, or an instant when the start is unknown.
///
/// Stored compactly, since a log holds one per event: indices in 32 bits, no resource as
/// `Int32.min`, no start as NaN.
public struct Occurrence: Sendable, Hashable {
    private var storedActivity: Int32
    private var storedResource: Int32
    private var storedStart: Double
    /// Completion instant (seconds since the epoch, UTC).
    public var end: Double
    /// Line (CSV/JSONL row, XES `<event>`) where the occurrence begins (its start event if paired).
    public var line: Int

    /// Index into `EventLog.activities`.
    public var activity: Int {
        get { Int(storedActivity) }
        set { storedActivity = Int32(clamping: newValue) }
    }

    /// Index into `EventLog.resources`; nil when the row had no resource.
    public var resource: Int? {
        get { storedResource == Int32.min ? nil : Int(storedResource) }
        set {
            guard let r = newValue else { storedResource = Int32.min; return }
            storedResource = max(Int32.min + 1, Int32(clamping: r))
        }
    }

    /// Start instant (seconds since the epoch, UTC); nil when only the completion was recorded
    /// (or the start is not a number).
    public var start: Double? {
        get { storedStart.isNaN ? nil : storedStart }
        set { storedStart = newValue ?? .nan }
    }

    /// Creates an occurrence.
    public init(activity: Int, resource: Int?, start: Double?, end: Double, line: Int) {
        storedActivity = 0
        storedResource = Int32.min
        storedStart = .nan
        self.end = end
        self.line = line
        self.activity = activity
        self.resource = resource
        self.start = start
    }

    public static func == (a: Occurrence, b: Occurrence) -> Bool {
        a.storedActivity == b.storedActivity && a.storedResource == b.storedResource && a.start == b.start
            && a.end == b.end && a.line == b.line
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storedActivity)
        hasher.combine(storedResource)
        hasher.combine(start)
        hasher.combine(end)
        hasher.combine(line)
    }
}

/// A lifecycle transition that is not an occurrence (e.g. `schedule`), kept as a hint of readiness.
public struct ReadyHint: Sendable, Hashable {
    /// Index into `EventLog.activities`.
    public var activity: Int
    /// The transition as written (e.g. `SCHEDULE`).
    public var transition: String
    /// Index into `EventLog.resources`, when given.
    public var resource: Int?
    /// Instant of the transition.
    public var time: Double
    /// Line of the event.
    public var line: Int
}

/// A start that never completed: a `start` event without a matching `complete`, or a CSV
/// interval row whose end is blank.
public struct UnfinishedStart: Sendable, Hashable {
    /// Index into `EventLog.activities`.
    public var activity: Int
    /// Index into `EventLog.resources`, when given.
    public var resource: Int?
    /// Start instant.
    public var start: Double
    /// Line of the start event.
    public var line: Int

    public init(activity: Int, resource: Int?, start: Double, line: Int) {
        self.activity = activity
        self.resource = resource
        self.start = start
        self.line = line
    }
}

/// A value a case carries as a whole (a CSV column or JSONL key repeated on its rows, an
/// XES trace attribute), e.g. its deadline, as written and where it was first read.
public struct CaseAttribute: Sendable, Hashable {
    /// The value as written.
    public var value: String
    /// The column, key or trace attribute it came from, as written.
    public var column: String
    /// The line it was first read on.
    public var line: Int

    public init(value: String, column: String, line: Int) {
        self.value = value
        self.column = column
        self.line = line
    }
}

/// The recorded history of one case (process instance).
public struct HistoryCase: Sendable, Hashable {
    /// Case identifier as written.
    public var id: String
    /// Occurrences sorted stably by (start ?? end, end, line).
    public var occurrences: [Occurrence]
    /// Non-occurrence transitions (schedule, assign, …) in time order.
    public var readyHints: [ReadyHint]
    /// Starts without a completion, in time order.
    public var unfinished: [UnfinishedStart]
    /// The case attributes `HistoryOptions.caseAttributes` asks for, by their lowercased
    /// name (without a `case:` prefix); empty unless asked.
    public var attributes: [String: CaseAttribute] = [:]
}

/// A count of lines of some kind, with the first few line numbers for the report.
public struct LineReport: Sendable, Hashable {
    /// How many.
    public var count: Int
    /// The first few (at most 10) line numbers, ascending.
    public var firstLines: [Int]
    /// The first few messages (for skipped bad rows), in line order.
    public var firstMessages: [String]

    /// Creates a report.
    public init(count: Int = 0, firstLines: [Int] = [], firstMessages: [String] = []) {
        self.count = count
        self.firstLines = firstLines
        self.firstMessages = firstMessages
    }
}

/// A lifecycle transition value (as written) and how many events carried it.
public struct TransitionCount: Sendable, Hashable {
    /// The value as written, e.g. `COMPLETE`.
    public var transition: String
    /// Events carrying it.
    public var count: Int
}

/// A timestamp layout seen in the log, e.g. `YYYY-MM-DDTHH:MM:SS.fff+HH:MM`, with its count.
public struct TimestampFormatCount: Sendable, Hashable {
    /// Layout description, e.g. `YYYY/MM/DD HH:MM:SS.fff`.
    public var format: String
    /// Timestamps parsed with that layout.
    public var count: Int
}

/// How a log was read: format, delimiter, the columns chosen and those passed over.
public struct HistoryDetection: Sendable, Hashable {
    /// Format read.
    public var format: HistoryFormat
    /// Whether the bytes were gzip-compressed.
    public var compressed: Bool
    /// CSV delimiter used (nil for XES/JSONL).
    public var delimiter: UInt8?
    /// Whether the delimiter was sniffed (true) or given (false).
    public var delimiterSniffed: Bool
    /// All column names of the CSV header (or JSONL keys / XES event attribute keys seen).
    public var columns: [String]
    /// The column (or key) used for each field.
    public var chosen: [HistoryField: String]
    /// Other well-known columns that also matched a field but lost to `chosen`
    /// (e.g. `Activity` when `concept:name` is present: the XES-standard name wins).
    public var passedOver: [HistoryField: [String]]
    /// Fields whose column was given by an option rather than detected.
    public var overridden: Set<HistoryField>
    /// Timestamp layouts seen, most frequent first.
    public var timestampFormats: [TimestampFormatCount]
    /// Time zone used for naive timestamps.
    public var timeZone: String
}

/// A read event log: interned names, cases with sorted occurrences, and a report of what was read.
public struct EventLog: Sendable {
    /// Where the log came from (path, or `-` for standard input).
    public var source: String
    /// Distinct activity names; `Occurrence.activity` indexes this.
    public var activities: [String]
    /// Events read per activity (parallel to `activities`; every lifecycle event counts).
    public var activityEventCounts: [Int]
    /// Distinct resource names; `Occurrence.resource` indexes this.
    public var resources: [String]
    /// Cases in order of first appearance.
    public var cases: [HistoryCase]
    /// Events read: CSV/JSONL rows or XES `<event>` elements, including duplicates,
    /// excluding skipped bad rows.
    public var eventCount: Int
    /// Exact duplicate rows found (the later copies): all mapped fields (case, activity, resource,
    /// start, end, lifecycle) equal; dropped when `dedupeApplied`.
    public var duplicates: LineReport
    /// Of `duplicates`, how many are also identical in every column (the whole row text), as
    /// counted by tools that compare full rows; nil for XES.
    public var identicalDuplicateRows: Int?
    /// Whether duplicates were dropped.
    public var dedupeApplied: Bool
    /// Malformed rows skipped (only with `skipBadRows`).
    public var skipped: LineReport
    /// Lifecycle transition values as written, most frequent first.
    public var transitions: [TransitionCount]
    /// How the log was detected and mapped.
    public var detection: HistoryDetection

    /// Total occurrences over all cases.
    public var occurrenceCount: Int { cases.reduce(0) { $0 + $1.occurrences.count } }
    /// Total starts without completion over all cases.
    public var unfinishedCount: Int { cases.reduce(0) { $0 + $1.unfinished.count } }
    /// Total ready hints over all cases.
    public var readyHintCount: Int { cases.reduce(0) { $0 + $1.readyHints.count } }
}
