import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftOutput

/// `wait`, `chance`, params that vary per case and `hours` (LANGUAGE.md, "Waiting and
/// variation"): tokens, trees, the model's accessors, diagnostics, layout and output.
@Suite struct WaitingAndVariationTests {
    static let flow = """
    workflow "Launch" {
      calendar {
        workdays mon tue wed thu fri
        hours 09:00-17:00
      }
      param tier: string = "basic" { "basic" 70%; "pro" 30% }
      param seats: number = 10 {
        10 50%
        100 50%
      }
      param region: string = "US"
      owner pm { capacity 2; hours 8:30-24:00 }
      owner sec
      stage build { owner pm; sla 5bd; wait 2d..5d; chance 30% }
      gate review { after build; approvers sec; sla 1bd; wait 4h; chance 99.5% }
      stage ship { after review; owner pm; sla 1bd; wait 1h 2h 6h; when tier == "pro" and seats > 5 and region == "US" }
    }

    """

    func kinds(_ text: String) -> [TokenKind] {
        Lexer.lex(SourceFile(path: "t", text: text)).tokens.map(\.kind)
    }

    func model(_ text: String) throws -> WorkflowModel {
        let parsed = Parser.parse(SourceFile(path: "t.flow", text: text))
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics.map(\.message))")
        return WorkflowModel(try #require(parsed.tree.workflow))
    }

    // MARK: - Lexer

    @Test func timesOfDayAndTheDashBetweenThem() {
        #expect(kinds("hours 09:00-17:00") == [.identifier, .time, .dash, .time, .endOfFile])
        #expect(kinds("hours 9:00 - 17:30") == [.identifier, .time, .dash, .time, .endOfFile])
        #expect(kinds("hours 00:00-24:00") == [.identifier, .time, .dash, .time, .endOfFile])
        let lexed = Lexer.lex(SourceFile(path: "t", text: "hours 09:00-17:00"))
        #expect(lexed.tokens.map(\.range) == [SourceRange(0, 5), SourceRange(6, 11), SourceRange(11, 12),
                                              SourceRange(12, 17), SourceRange(17, 17)])
        #expect(lexed.diagnostics.isEmpty)
    }

    @Test func colonsElsewhereLexAsBefore() {
        // A param's colon follows an identifier; a number followed by ':' is not a time
        // unless exactly two digits follow, and three digits before ':' never are.
        #expect(kinds("param x: number = 3") == [.identifier, .identifier, .colon, .identifier, .equal, .number, .endOfFile])
        #expect(kinds("param x:number=-3") == [.identifier, .identifier, .colon, .identifier, .equal, .number, .endOfFile])
        #expect(kinds("10:5") == [.number, .colon, .number, .endOfFile])
        #expect(kinds("123:45") == [.number, .colon, .number, .endOfFile])
        #expect(kinds("2.5:30") == [.number, .colon, .number, .endOfFile])
        #expect(kinds("-5 -> x") == [.number, .arrow, .identifier, .endOfFile])
        #expect(kinds("2026-12-25") == [.date, .endOfFile])
    }

    @Test func malformedTimesAndStrayDashes() {
        let lexed = Lexer.lex(SourceFile(path: "t", text: "09:000 9:00am - x"))
        #expect(lexed.tokens.map(\.kind) == [.invalid, .invalid, .invalid, .identifier, .endOfFile])
        #expect(lexed.diagnostics.map(\.message) == ["malformed time of day", "malformed time of day", "unexpected '-'"])
        #expect(lexed.diagnostics.map(\.range) == [SourceRange(0, 6), SourceRange(7, 13), SourceRange(14, 15)])
        #expect(lexed.diagnostics[2].help == "a rework route is written 'on reject -> ID'")
        let spaced = Lexer.lex(SourceFile(path: "t", text: "hours 9 - 17"))
        #expect(spaced.diagnostics.map(\.help) == ["working hours are written as two times of day, as in hours 09:00-17:00"])
    }

    // MARK: - Parser and model

    @Test func treeOfTheNewStatements() throws {
        let parsed = Parser.parse(SourceFile(path: "t.flow", text: Self.flow))
        #expect(parsed.diagnostics.isEmpty)
        #expect(FormatDump.dump(parsed.tree) == """
        (workflow "Launch"
         (calendar (workdays mon tue wed thu fri) (hours 9:0-17:0))
         (param tier string string "basic" (shares ("basic" 70.0) ("pro" 30.0)))
         (param seats number number 10.0 (shares (10.0 50.0) (100.0 50.0)))
         (param region string string "US")
         (owner pm nil body (capacity 2.0) (hours 8:30-24:0))
         (owner sec nil nobody)
         (stage build nil
          (owner pm)
          (sla 5.0bd)
          (wait-range 2.0d 5.0d)
          (chance 30.0))
         (gate review nil
          (after build)
          (approvers sec)
          (sla 1.0bd)
          (wait 4.0h)
          (chance 99.5))
         (stage ship nil
          (after review)
          (owner pm)
          (sla 1.0bd)
          (wait-pert 1.0h 2.0h 6.0h)
          (when (and (and (== $tier "pro") (> $seats 5.0)) (== $region "US")))))
        """)
    }

    @Test func rangesOfTheNewStatements() throws {
        let source = SourceFile(path: "t.flow", text: Self.flow)
        let workflow = try #require(Parser.parse(source).tree.workflow)
        let build = workflow.nodes[0]
        #expect(source.text(of: build.statements[2].range) == "wait 2d..5d")
        #expect(source.text(of: build.statements[2].keywordRange) == "wait")
        #expect(source.text(of: build.statements[3].range) == "chance 30%")
        #expect(source.text(of: build.statements[3].keywordRange) == "chance")
        let tier = workflow.params[0]
        #expect(source.text(of: tier.range) == #"param tier: string = "basic" { "basic" 70%; "pro" 30% }"#)
        let shares = try #require(tier.shares)
        #expect(source.text(of: shares.range) == #"{ "basic" 70%; "pro" 30% }"#)
        #expect(shares.items.map { source.text(of: $0.range) } == [#""basic" 70%"#, #""pro" 30%"#])
        let pm = workflow.owners[0]
        #expect(pm.items.map { source.text(of: $0.range) } == ["capacity 2", "hours 8:30-24:00"])
        let calendar = try #require(workflow.calendars.first)
        #expect(source.text(of: calendar.items[1].range) == "hours 09:00-17:00")
    }

    @Test func modelAccessorsForTheSimulator() throws {
        let m = try model(Self.flow)
        let build = try #require(m.nodeIndex["build"]), review = try #require(m.nodeIndex["review"])
        let ship = try #require(m.nodeIndex["ship"])
        guard case .spread(.range(let low, let high))? = m.nodes[build].wait else {
            Issue.record("expected a range wait, got \(String(describing: m.nodes[build].wait))")
            return
        }
        #expect(low.value.seconds == 2 * 86_400 && high.value.seconds == 5 * 86_400)
        guard case .fixed(let fixed)? = m.nodes[review].wait else {
            Issue.record("expected a fixed wait")
            return
        }
        #expect(fixed.value == Duration(amount: 4, unit: .hours))
        guard case .spread(.pert(let o, let l, let p))? = m.nodes[ship].wait else {
            Issue.record("expected a PERT wait")
            return
        }
        #expect([o, l, p].map(\.value.seconds) == [3600, 7200, 21_600])
        #expect(m.chance(of: build) == 0.3)
        #expect(m.chance(of: review) == 0.995)
        #expect(m.chance(of: ship) == nil)

        let tier = try #require(m.paramIndex["tier"]), seats = try #require(m.paramIndex["seats"])
        let region = try #require(m.paramIndex["region"])
        #expect(m.shares(ofParam: tier).map(\.value) == [.string("basic"), .string("pro")])
        #expect(m.shares(ofParam: tier).map(\.share) == [0.7, 0.3])
        #expect(m.shares(ofParam: seats).map(\.value) == [.number(10), .number(100)])
        #expect(m.shares(ofParam: region).isEmpty)

        #expect(m.calendar.hours == WorkingHours(start: 9 * 60, end: 17 * 60))
        let pm = try #require(m.ownerIndex["pm"]), sec = try #require(m.ownerIndex["sec"])
        #expect(m.owners[pm].hours?.workingHours == WorkingHours(start: 8 * 60 + 30, end: 24 * 60))
        #expect(m.owners[sec].hours?.workingHours == nil)
    }

    @Test func withoutTheNewStatementsNothingChanges() throws {
        let m = try model("""
        workflow "w" {
          param p: bool = true
          owner o
          stage s { owner o; sla 1bd; when p }
        }
        """)
        #expect(m.nodes[0].wait == nil)
        #expect(m.chance(of: 0) == nil)
        #expect(m.shares(ofParam: 0).isEmpty)
        #expect(m.owners[0].hours?.workingHours == nil)
        #expect(m.calendar == BusinessCalendar.standard)
        #expect(m.calendar.hours == nil)
    }

    @Test func invalidValuesAreLeftOutOfTheModel() throws {
        // Each is an error of `check`; the accessors still give something safe.
        let m = try model("""
        workflow "w" {
          calendar { hours 17:00-09:00 }
          param n: number = 1 { 1 50%; "x" 50% }
          owner o { hours 25:00-26:00 }
          stage s { owner o; sla 1bd; chance 130% }
          stage t { owner o; sla 1bd; chance -5% }
        }
        """)
        #expect(m.calendar.hours == nil)
        #expect(m.owners[0].hours?.workingHours == nil)
        #expect(m.shares(ofParam: 0).map(\.value) == [.number(1)])
        #expect(m.chance(of: 0) == 1)
        #expect(m.chance(of: 1) == 0)
    }

    @Test func twentyFourHundredEndsADayAndTheFirstHoursCount() throws {
        let m = try model("""
        workflow "w" {
          calendar {
            hours 00:00-24:00
            hours 10:00-11:00
          }
          owner o
        }
        """)
        #expect(m.calendar.hours == WorkingHours(start: 0, end: 1440))
    }

    // MARK: - Diagnostics

    @Test func parseErrorsHaveExactPositions() {
        func errors(_ body: String) -> [String] {
            let text = "workflow \"w\" {\n  owner o\n" + body + "\n}\n"
            let parsed = Parser.parse(SourceFile(path: "t.flow", text: text))
            return parsed.diagnostics.map {
                let loc = parsed.source.location(of: $0.range.start)
                return "\(loc.line):\(loc.column) \($0.message)"
            }
        }
        #expect(errors("  stage s { owner o; wait }") == ["3:27 expected a duration such as 2d, found '}'"])
        #expect(errors("  stage s { owner o; wait 1d.. }") == ["3:32 expected the high end of the range, found '}'"])
        #expect(errors("  stage s { owner o; wait 1d 2d }") == ["3:33 expected the pessimistic wait, found '}'"])
        #expect(errors("  gate g { approvers o; chance 0.3 }") == ["3:32 expected a percentage after 'chance', found number 0.3"])
        #expect(errors("  calendar { hours 09:00 }") == ["3:26 expected '-' and the time work ends, found '}'"])
        #expect(errors("  calendar { hours 09:00- }") == ["3:25 unexpected '-'"])
        #expect(errors("  calendar { hours nine-five }") == ["3:24 unexpected '-'"])
        #expect(errors("  calendar { hour 09:00-17:00 }") == ["3:14 expected 'workdays', 'holiday' or 'hours' in a calendar, found 'hour'"])
        #expect(errors("  param p: string = \"a\" { \"a\" }") == ["3:31 expected the share of cases with this value, as a percentage, found '}'"])
        #expect(errors("  param p: string = \"a\" { 50% \"a\" }") == ["3:27 expected a value (a string, a number, true or false), found percentage 50%"])
        // The param's block takes the workflow's '}', so the workflow is the one left open.
        #expect(errors("  param p: string = \"a\" {\n    \"a\" 50%\n") == ["7:1 missing '}' to close the workflow body"])
        #expect(errors("  owner p { hours 9-17 }") == ["3:19 expected the time work starts, as in 09:00, found number 9"])
    }

    @Test func misplacedStatementsSayWhereTheyBelong() {
        let parsed = Parser.parse(SourceFile(path: "t.flow", text: """
        workflow "w" {
          hours 09:00-17:00
          wait 2d
          owner o
          stage s { owner o; hours 09:00-17:00 }
        }
        """))
        #expect(parsed.diagnostics.map { "\(parsed.source.location(of: $0.range.start).line): \($0.help ?? "")" } == [
            "2: working hours go in the calendar or an owner, as in calendar { hours 09:00-17:00 }",
            "3: 'wait' belongs in a stage or gate",
            "5: working hours belong to an owner or the calendar, as in owner ID { hours 09:00-17:00 }",
        ])
    }

    @Test func checkFindsTheNewMistakes() {
        let keys = diagnosticKeys("""
        workflow "w" {
          calendar { hours 12:00-12:00 }
          param p: string = "a" { "a" 50%; "b" 49.995% }
          param q: string = "a" { "a" 50%; "b" 49% }
          owner o { hours 09:00-17:00 }
          stage s { owner o; sla 2bd; wait 1d; chance 50%; when p == "a" and q == "b" }
          stage t { after s; owner o; sla 1bd; wait 2d..1d; chance 100.5% }
        }
        """)
        #expect(keys == ["invalid-value 2:20", "invalid-value 4:25", "invalid-duration 7:45", "invalid-value 7:60"])
    }

    @Test func aStatementGivenTwiceInOneBodyIsReportedAtEachRepeat() {
        let source = """
        workflow "w" {
          description "a"
          description "b"
          calendar { hours 09:00-17:00; hours 10:00-18:00; hours 08:00-16:00 }
          owner o { capacity 2; capacity 3; members "a"; members "b"; contact "x"; contact "y" }
          stage s { owner o; sla 2bd }
        }
        """
        #expect(diagnosticKeys(source) == ["invalid-value 3:3", "invalid-value 4:33", "invalid-value 4:52",
                                           "invalid-value 5:25", "invalid-value 5:76"])
        let parsed = Checker.check(SourceFile(path: "t.flow", text: source))
        #expect(parsed.diagnostics.map(\.help) == ["keep one; the first is at line 2", "keep one; the first is at line 4",
                                                   "keep one; the first is at line 4", "keep one; the first is at line 5",
                                                   "keep one; the first is at line 5"])
    }

    // MARK: - Output

    @Test func formatsCanonicallyAndIdempotently() throws {
        let formatted = try #require(FlowFormatter.format(SourceFile(path: "t.flow", text: Self.flow)).formatted)
        #expect(formatted.contains("""
          param tier: string = "basic" {
            "basic" 70%
            "pro" 30%
          }
        """))
        #expect(formatted.contains("    hours 08:30-24:00\n"))
        #expect(formatted.contains("    wait 1h 2h 6h\n"))
        let again = try #require(FlowFormatter.format(SourceFile(path: "t.flow", text: formatted)).formatted)
        #expect(again == formatted)
        #expect(FormatDump.dump(Parser.parse(SourceFile(path: "a", text: formatted)).tree)
                == FormatDump.dump(Parser.parse(SourceFile(path: "b", text: Self.flow)).tree))
    }

    @Test func graphLabelsShowWaitAndChance() {
        let out = runCLI(["graph", "-", "--stdin-filename", "g.flow", "--set", "tier=pro"], stdin: Self.flow)
        #expect(out.exitCode == 0)
        expectGolden(out.stdout, "graph/waiting.mmd")
        let dot = runCLI(["graph", "-", "--stdin-filename", "g.flow", "--format", "dot"], stdin: Self.flow)
        expectGolden(dot.stdout, "graph/waiting.dot")
        #expect(out.stdout.contains(#"n_build["build<br/>owner: pm<br/>SLA 5bd<br/>wait 2d..5d<br/>runs in 30%"]"#))
    }

    @Test(arguments: [("markdown", "waiting.md"), ("json", "waiting.json"), ("ics", "waiting.ics")])
    func checklistShowsWaitAndChance(_ format: String, _ golden: String) {
        let out = runCLI(["checklist", "-", "--stdin-filename", "w.flow", "--start", "2026-12-21", "--set", "tier=pro",
                          "--format", format], stdin: Self.flow)
        #expect(out.exitCode == 0, "\(out.stderr)")
        expectGolden(out.stdout, "checklist/" + golden)
        if format == "markdown" {
            #expect(out.stdout.contains("**[critical]** · Stage · owner: `pm` · runs in 30% of launches · wait 2d..5d\n"))
        }
    }
}
