/// `stagecraft help SUBCOMMAND` texts: the options contract of CLI.md.
let helpTexts: [String: String] = [
    "check": """
    Usage: stagecraft check PATH... [--format text|json|sarif|github] [--strict] [--max-warnings N]
                            [--stdin-filename NAME] [--print-config FILE]

    Lex, parse and validate .flow files and report every problem in one run.
    PATH is a file, a directory (every *.flow below it, skipping hidden folders and .build)
    or - for standard input (name it with --stdin-filename).

    Options:
      --format FORMAT       text (default), json, sarif or github
      --strict              warnings fail the run too (exit 1)
      --max-warnings N      fail when there are more than N warnings
      --stdin-filename NAME the name to report for standard input
      --print-config FILE   print the effective settings for FILE and exit

    Exit codes: 0 clean; 1 errors (or warnings with --strict / over --max-warnings); 2 usage or I/O error.

    """,
]
