extension Files {
    /// Throws when a directory named on the command line holds no `.flow` file: a
    /// mistyped or empty folder must not pass CI as "no problems". `--allow-empty`
    /// (`allowEmpty`) lets an expected empty folder through.
    static func requireFlowFiles(in argument: String, found: [String], allowEmpty: Bool) throws {
        guard found.isEmpty, !allowEmpty else { return }
        throw InputError("\(argument): no .flow file in this directory (pass --allow-empty if that is expected)")
    }
}
