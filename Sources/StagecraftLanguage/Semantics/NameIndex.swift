/// A table from declared IDs to their index in declaration order; the first declaration
/// of a name keeps it.
public struct NameIndex: Sendable {
    private var values: [String: Int]

    /// An empty index sized for about `capacity` names.
    public init(capacity: Int = 8) {
        values = Dictionary(minimumCapacity: capacity)
    }

    /// How many names the index holds.
    public var count: Int { values.count }

    /// The index of a name, or nil when it is not declared.
    public subscript(name: String) -> Int? { values[name] }

    /// Adds a name unless it is already there; returns the index it maps to (the earlier
    /// one when the name was already declared) and whether it was added.
    @discardableResult
    public mutating func insert(_ name: String, _ value: Int) -> (value: Int, inserted: Bool) {
        if let first = values[name] { return (first, false) }
        values[name] = value
        return (value, true)
    }
}
