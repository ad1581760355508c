/// The release this build is, and the project's home page: the lowest layer holds them so
/// that every layer above (the SARIF log, the language server, `--version`) reads one value.
public enum StagecraftVersion {
    /// The version `stagecraft --version`, SARIF logs and the language server report.
    public static let number = "0.1.0"
    /// The project's home page, the base of every documentation link the tool prints.
    public static let homepage = "https://github.com/stagecraft/stagecraft"
}
