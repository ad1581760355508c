import Foundation
import Testing
@testable import StagecraftLanguage
@testable import StagecraftAnalysis
@testable import StagecraftSimulation

/// Replay metrics on `Fixtures/replay/metrics.{flow,csv}`, every number worked out by hand.
///
/// The log (all on 2024-01-02, hours UTC; `b` comes after `a`):
///
///     c1: A 9–10 alice, B 11–13 alice
///     c2: A 9–9:30 alice, B 12–16 alice
///     c3: X 8–8:30 zed (unmapped), A 9–11 alice, B 10:30–12 alice   (B starts before A completes)
///     c4: A 9–10 BOB, B 10–10:45 BOB, A 11–12 BOB, B 12:30–13 BOB   (rework)
///
/// Ready, waiting, processing, sojourn per occurrence (hours):
///
///     a  c1: ready 9 (case start), wait 0, proc 1, sojourn 1
///     a  c2: ready 9, wait 0, proc 0.5, sojourn 0.5
///     a  c3: ready 8 (X starts the case), wait 1, proc 2, sojourn 3
///     a  c4: ready 9, wait 0, proc 1, sojourn 1
///     a  c4: ready 9 (a has no `after`), wait 2, proc 1, sojourn 3
///     b  c1: ready 10 (A done), wait 1, proc 2, sojourn 3
///     b  c2: ready 9.5, wait 2.5, proc 4, sojourn 6.5
///     b  c3: no A done by 10:30 → ready 8 (case start), wait 2.5, proc 1.5, sojourn 4
///     b  c4: ready 10 (A done at 10), wait 0, proc 0.75, sojourn 0.75
///     b  c4: ready 12 (the latest A done by 12:30), wait 0.5, proc 0.5, sojourn 1
@Suite struct ReplayMetricsTests {
    func metrics() throws -> (WorkflowModel, ReplayResult) {
        try replay(flow: replayFixture("metrics.flow"), csv: replayFixture("metrics.csv"))
    }

    @Test func processingWaitingSojournWithPercentiles() throws {
        let (_, r) = try metrics()
        let a = try stage(r, "a")
        #expect(a.count == 5 && a.cases == 4)
        // a processing sorted [0.5, 1, 1, 1, 2] h: mean 5.5/5 = 1.1 h; median 1 h;
        // p85 at (5−1)·0.85 = 3.4 → 1 + (2 − 1)·0.4 = 1.4 h; p95 at 3.8 → 1 + 0.8 = 1.8 h.
        let ap = try #require(a.processing)
        #expect(close(ap.mean, 1.1 * hour) && close(ap.median, 1 * hour))
        #expect(close(ap.p85, 1.4 * hour) && close(ap.p95, 1.8 * hour))
        // a waiting sorted [0, 0, 0, 1, 2]: mean 0.6 h; median 0; p85 1 + 1·0.4 = 1.4 h; p95 1.8 h.
        let aw = try #require(a.waiting)
        #expect(close(aw.mean, 0.6 * hour) && close(aw.median, 0))
        #expect(close(aw.p85, 1.4 * hour) && close(aw.p95, 1.8 * hour))
        // a sojourn sorted [0.5, 1, 1, 3, 3]: mean 8.5/5 = 1.7 h; median 1 h; p85 3 + 0·0.4 = 3 h; p95 3 h.
        let asj = try #require(a.sojourn)
        #expect(close(asj.mean, 1.7 * hour) && close(asj.median, 1 * hour))
        #expect(close(asj.p85, 3 * hour) && close(asj.p95, 3 * hour))

        let b = try stage(r, "b")
        // b processing sorted [0.5, 0.75, 1.5, 2, 4]: mean 8.75/5 = 1.75 h; median 1.5 h;
        // p85 2 + (4 − 2)·0.4 = 2.8 h; p95 2 + 2·0.8 = 3.6 h.
        let bp = try #require(b.processing)
        #expect(close(bp.mean, 1.75 * hour) && close(bp.median, 1.5 * hour))
        #expect(close(bp.p85, 2.8 * hour) && close(bp.p95, 3.6 * hour))
        // b waiting sorted [0, 0.5, 1, 2.5, 2.5]: mean 6.5/5 = 1.3 h; median 1 h; p85 = p95 = 2.5 h.
        let bw = try #require(b.waiting)
        #expect(close(bw.mean, 1.3 * hour) && close(bw.median, 1 * hour))
        #expect(close(bw.p85, 2.5 * hour) && close(bw.p95, 2.5 * hour))
        // b sojourn sorted [0.75, 1, 3, 4, 6.5]: mean 15.25/5 = 3.05 h; median 3 h;
        // p85 4 + 2.5·0.4 = 5 h; p95 4 + 2.5·0.8 = 6 h.
        let bs = try #require(b.sojourn)
        #expect(close(bs.mean, 3.05 * hour) && close(bs.median, 3 * hour))
        #expect(close(bs.p85, 5 * hour) && close(bs.p95, 6 * hour))
    }

    @Test func leadTimeCoversUnmappedEvents() throws {
        let (_, r) = try metrics()
        // c1 9→13 = 4 h; c2 9→16 = 7 h; c3 8 (X) →12 = 4 h; c4 9→13 = 4 h. Sorted [4, 4, 4, 7]:
        // mean 19/4 = 4.75 h; median (4 + 4)/2 = 4 h; p85 at 3·0.85 = 2.55 → 4 + 3·0.55 = 5.65 h;
        // p95 at 2.85 → 4 + 3·0.85 = 6.55 h.
        let l = try #require(r.leadTime)
        #expect(l.count == 4)
        #expect(close(l.mean, 4.75 * hour) && close(l.median, 4 * hour))
        #expect(close(l.p85, 5.65 * hour) && close(l.p95, 6.55 * hour))
        #expect(close(r.totalLeadTime, 19 * hour))
        #expect(r.firstInstant == utc(2024, 1, 2, 8) && r.lastInstant == utc(2024, 1, 2, 16))
    }

    @Test func slaBreachesAndRework() throws {
        let (_, r) = try metrics()
        let a = try stage(r, "a"), b = try stage(r, "b")
        // a: SLA 2 h; sojourns 1, 0.5, 3, 1, 3 → two breaches (the 3 h ones), rate 2/5.
        #expect(a.sla?.seconds == 2 * hour && a.slaBreaches == 2 && close(a.breachRate, 0.4))
        // b: SLA 5 h; only c2's 6.5 h breaches (c3's 4 h and the 5 h p85 do not count).
        #expect(b.slaBreaches == 1 && close(b.breachRate, 0.2))
        // Only c4 runs a and b twice.
        #expect(a.reworkCases == 1 && b.reworkCases == 1)
    }

    @Test func conformanceOfTheMetricsLog() throws {
        let (_, r) = try metrics()
        // c3: b starts 10:30, a completes 11:00 → out of order. c4: a and b repeat, no `on reject`.
        // b is the only final node and occurs everywhere → 4 finished, none missing a or b.
        let byKind = Dictionary(uniqueKeysWithValues: r.violations.map { ($0.kind, $0) })
        #expect(byKind[.outOfOrder]?.count == 1 && byKind[.outOfOrder]?.examples == ["c3"])
        #expect(byKind[.reworkOutsideRoute]?.count == 1 && byKind[.reworkOutsideRoute]?.examples == ["c4"])
        #expect(byKind[.missingRequired]?.count == 0 && byKind[.gateWithoutApprovals]?.count == 0)
        #expect(r.finishedCases == 4 && r.conformingCases == 2 && close(r.conformingShare, 0.5))
    }

    @Test func unmappedActivitiesAndUnobservedNodes() throws {
        let (_, r) = try metrics()
        #expect(r.unmappedActivities == [UnmappedActivity(activity: "X", events: 1)])
        #expect(r.unobservedNodes.isEmpty)
        #expect(r.occurrenceCount == 11 && r.mappedOccurrenceCount == 10 && r.eventCount == 11)
    }

    @Test func bottleneckSharesAndReasons() throws {
        let (_, r) = try metrics()
        // Each case's lead time divided once (work in progress shared; idle time to what starts next):
        //   c1 (4 h): a 9–10 = 1; idle 10–11 and b 11–13 → b 3.
        //   c2 (7 h): a 0.5; idle 9:30–12 and b 12–16 → b 6.5.
        //   c3 (4 h): X 8–8:30 (unmapped, dropped); idle 8:30–9 → a 0.5; a alone 9–10:30 1.5; a and b
        //             share 10:30–11 (0.25 each); b alone 11–12 1 → a 2.25, b 1.25.
        //   c4 (4 h): a 1; b 0.75; idle 10:45–11 → a 0.25; a 1; idle 12–12:30 → b 0.5; b 0.5 → a 2.25, b 1.75.
        // a = 6 h, b = 12.5 h of Σ lead time 19 h; with X's 0.5 h that is all 19 h, none counted twice.
        #expect(close(try stage(r, "a").leadTimeShare, 6 / 19))
        #expect(close(try stage(r, "b").leadTimeShare, 12.5 / 19))
        #expect(r.bottlenecks.map(\.stage) == ["b", "a"])
        // 12.5/19 = 65.8 % → "66%"; b's median wait 1 h; eng peaks at 4 items (see owners test).
        #expect(r.bottlenecks.first?.reason
            == "b: 66% of lead time; median wait 1h before it starts; SLA 5h broken in 20% of occurrences; "
            + "eng had 4 open at peak against capacity 1")
    }

    @Test func ownersAndResources() throws {
        let (_, r) = try metrics()
        // "alice" matches eng's members exactly, "BOB" matches "Bob" ignoring case, "zed" nothing.
        #expect(r.resources.map(\.name) == ["BOB", "alice", "zed"])
        #expect(r.resources.map(\.owner) == [0, 0, nil])
        let eng = try #require(r.owners.first)
        #expect(eng.members == ["BOB", "alice"])
        #expect(eng.workItems == 10 && eng.capacity == 1)
        // eng's items: starts 9,9,9,9,10,10:30,11,11,12,12:30; ends 9:30,10,10,10:45,11,12,12,13,13,16.
        // Level: 9→4, 9:30→3, 10→(−2 +1) 2, 10:30→3, 10:45→2, 11→(−1 +2) 3, 12→(−2 +1) 2, 12:30→3,
        // 13→1, 16→0. Peak 4; busy = at capacity (level ≥ 1) = 9→16 = 7 h.
        #expect(eng.peakConcurrency == 4)
        #expect(close(eng.busy, 7 * hour) && close(eng.atCapacity, 7 * hour))
        // Processing: a 5.5 h + b 8.75 h = 14.25 h.
        #expect(close(eng.processing, 14.25 * hour))
        // Waits while eng was at capacity (level ≥ 1 only from 9): a c3 8→9: 0; a c4 9→11: 2 h;
        // b c1 10→11: 1 h; b c2 9:30→12: 2.5 h; b c3 8→10:30: 1.5 h; b c4 12→12:30: 0.5 h. Σ 7.5 h.
        #expect(close(eng.waitedAtCapacity, 7.5 * hour))
        #expect(close(try stage(r, "a").waitedAtCapacity, 2 * hour))
        #expect(close(try stage(r, "b").waitedAtCapacity, 5.5 * hour))
        // alice: 9–10, 11–13, 9–9:30, 12–16, 9–11, 10:30–12 → peak 3 at 9:00, busy 9→16 = 7 h.
        // BOB: 9–10, 10–10:45, 11–12, 12:30–13 → back to back, peak 1, busy 1 + 0.75 + 1 + 0.5 = 3.25 h.
        // zed: 8–8:30.
        let bob = r.resources[0], alice = r.resources[1], zed = r.resources[2]
        #expect(alice.workItems == 6 && alice.peakConcurrency == 3 && close(alice.busy, 7 * hour))
        #expect(bob.workItems == 4 && bob.peakConcurrency == 1 && close(bob.busy, 3.25 * hour))
        #expect(zed.workItems == 1 && zed.peakConcurrency == 1 && close(zed.busy, 0.5 * hour))
    }

    @Test func resourceToOwnerPrefersExactNames() throws {
        let flow = """
        workflow "Owners" {
          owner first { members "ANN", "eve" }
          owner second { members "ann" }
          stage s { owner first }
        }
        """
        let model = try checkedModel(flow)
        let log = try readLog("case,activity,end,resource\n1,s,2024-01-01T00:00:00,ann\n1,s,2024-01-01T01:00:00,ANN\n"
            + "1,s,2024-01-01T02:00:00,Ann\n1,s,2024-01-01T03:00:00,EVE\n1,s,2024-01-01T04:00:00,nobody\n")
        let owners = Replay.resourceOwners(model: model, log: log)
        let byName = Dictionary(uniqueKeysWithValues: zip(log.resources, owners))
        // Exact first: "ann" → second, "ANN" → first; then ignoring case, the first declared wins:
        // "Ann" → first; "EVE" → first; "nobody" → none.
        #expect(byName["ann"] == .some(1) && byName["ANN"] == .some(0) && byName["Ann"] == .some(0))
        #expect(byName["EVE"] == .some(0) && byName["nobody"] == .some(nil))
    }

    @Test func unmappedCountsEventsNotOccurrences() throws {
        // Y has a start and a complete event: one occurrence, two events.
        let flow = "workflow \"W\" {\n  owner o\n  stage s \"S\" { owner o }\n  stage never { after s; owner o }\n}\n"
        let csv = """
        case,activity,timestamp,lifecycle
        1,S,2024-01-01T10:00:00,complete
        1,Y,2024-01-01T11:00:00,start
        1,Y,2024-01-01T12:00:00,complete
        1,Z,2024-01-01T13:00:00,complete
        """
        let (model, r) = try replay(flow: flow, csv: csv)
        #expect(r.unmappedActivities == [UnmappedActivity(activity: "Y", events: 2), UnmappedActivity(activity: "Z", events: 1)])
        #expect(r.unobservedNodes.map { model.nodes[$0].id.name } == ["never"])
        // S has no recorded start: no processing or waiting, but a sojourn (ready = case start = 10:00 → 0).
        let s = try stage(r, "s")
        #expect(s.processing == nil && s.waiting == nil && close(s.sojourn?.mean, 0))
        // Lead time 10:00 → 13:00 over all events.
        #expect(close(r.leadTime?.mean, 3 * hour))
    }

    @Test func readyIsTheLatestOfSeveralAfterNodes() throws {
        // c after a and b: a done 10:00, b done 12:00 → ready 12:00; c starts 13:00, ends 15:00.
        // A third b completing after c started (16:00) does not count.
        let flow = """
        workflow "Join" {
          owner o { capacity 5 }
          stage a { owner o }
          stage b { owner o }
          stage c { after a, b; owner o; sla 2h }
        }
        """
        let csv = """
        case,activity,start,end
        1,a,2024-01-01T09:00:00,2024-01-01T10:00:00
        1,b,2024-01-01T09:30:00,2024-01-01T12:00:00
        1,c,2024-01-01T13:00:00,2024-01-01T15:00:00
        1,b,2024-01-01T15:30:00,2024-01-01T16:00:00
        """
        let (_, r) = try replay(flow: flow, csv: csv)
        let c = try stage(r, "c")
        #expect(close(c.waiting?.mean, 1 * hour) && close(c.sojourn?.mean, 3 * hour) && close(c.processing?.mean, 2 * hour))
        // 3 h sojourn > 2 h SLA.
        #expect(c.slaBreaches == 1)
        // b: first ready 9:00 (case start), the second also 9:00 (b has no `after`): sojourns 3 h and 7 h.
        #expect(close(try stage(r, "b").sojourn?.mean, 5 * hour))
    }
}

/// Business-day SLAs across a weekend and a holiday.
@Suite struct ReplayBusinessDayTests {
    static let csv = """
    case,activity,start,end
    k1,S,2023-12-29T12:00:00,2024-01-02T11:00:00
    k2,S,2023-12-29T12:00:00,2024-01-02T13:00:00
    k3,S,2024-01-04T10:00:00,2024-01-05T09:00:00
    k4,S,2024-01-04T10:00:00,2024-01-05T10:00:00
    """

    func flow(sla: String, holiday: Bool) -> String {
        """
        workflow "BD" {
          calendar {
            workdays mon tue wed thu fri
            \(holiday ? "holiday 2024-01-01 \"New Year\"" : "")
          }
          owner o
          stage s "S" {
            owner o
            sla \(sla)
          }
        }
        """
    }

    @Test func businessDaysSkipWeekendAndHoliday() throws {
        // S is the only node: ready = start, so sojourn = processing.
        // k1: Fri 2023-12-29 12:00 → Tue 2024-01-02 11:00: Fri 12 h + (Sat, Sun, Mon holiday) + Tue 11 h = 23 h ≤ 24 h.
        // k2: same start → Tue 13:00: 12 h + 13 h = 25 h > 24 h: breach.
        // k3: Thu 10:00 → Fri 09:00 = 23 h. k4: Thu 10:00 → Fri 10:00 = exactly 24 h, not more.
        let (_, r) = try replay(flow: flow(sla: "1bd", holiday: true), csv: Self.csv)
        #expect(try stage(r, "s").slaBreaches == 1)
    }

    @Test func withoutTheHolidayMondayCounts() throws {
        // k1: 12 h + Mon 24 h + 11 h = 47 h and k2 = 49 h both breach.
        let (_, r) = try replay(flow: flow(sla: "1bd", holiday: false), csv: Self.csv)
        #expect(try stage(r, "s").slaBreaches == 2)
    }

    @Test func elapsedSLAsCountEveryHour() throws {
        // 1d elapsed: k1 95 h and k2 97 h breach; k3 23 h and k4 24 h do not.
        let (_, r) = try replay(flow: flow(sla: "1d", holiday: true), csv: Self.csv)
        let s = try stage(r, "s")
        #expect(s.slaBreaches == 2 && close(s.breachRate, 0.5))
    }
}

/// Percentiles and duration text.
@Suite struct DurationStatsTests {
    @Test func medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() throws {
        // [1, 2, 3, 10]: median (2 + 3)/2 = 2.5; p85 at 3·0.85 = 2.55 → 3 + 7·0.55 = 6.85;
        // p95 at 2.85 → 3 + 7·0.85 = 8.95; mean 16/4 = 4.
        let s = try #require(DurationStats([10, 3, 1, 2]))
        #expect(s.median == 2.5 && s.mean == 4 && s.total == 16 && s.count == 4)
        #expect(close(s.p85, 6.85) && close(s.p95, 8.95))
    }

    @Test func oneValueAndNone() throws {
        let s = try #require(DurationStats([7]))
        #expect(s.mean == 7 && s.median == 7 && s.p85 == 7 && s.p95 == 7)
        #expect(DurationStats([]) == nil)
    }

    @Test func quantileMatchesNumPyLinear() {
        // numpy.percentile([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110], [85, 95]) = [93.5, 104.5]:
        // positions 11·0.85 = 9.35 → 90 + 10·0.35; 11·0.95 = 10.45 → 100 + 10·0.45.
        let v = stride(from: 0.0, through: 110, by: 10).map { $0 }
        #expect(close(DurationStats.quantile(sorted: v, 0.85), 93.5))
        #expect(close(DurationStats.quantile(sorted: v, 0.95), 104.5))
        #expect(DurationStats.quantile(sorted: v, 0) == 0 && DurationStats.quantile(sorted: v, 1) == 110)
    }

    @Test func humanDurations() {
        #expect(humanDuration(0) == "0s")
        #expect(humanDuration(12) == "12s")
        #expect(humanDuration(45 * 60) == "45m")
        #expect(humanDuration(5 * 3600 + 12 * 60) == "5h12m")
        #expect(humanDuration(3600) == "1h")
        #expect(humanDuration(3.2 * 86_400) == "3.2d")
        #expect(humanDuration(2 * 86_400) == "2d")
        #expect(humanDuration(150 * 86_400) == "150d")
        // 59 m 50 s rounds to 60 minutes → shown in hours.
        #expect(humanDuration(3590) == "1h")
        #expect(percentText(0.41) == "41%" && percentText(0.045) == "4.5%" && percentText(0) == "0%")
    }
}

/// The radix sort behind the replay's percentiles and concurrency profiles.
@Suite struct RadixSortTests {
    @Test func agreesWithTheStandardSort() {
        var rng = SplitMix64(state: 7)
        for n in [0, 1, 5, 1023, 1024, 5000] {
            // Timestamps, small durations, negatives, zeros, duplicates and infinities.
            var values: [Double] = (0..<n).map { i in
                switch i % 6 {
                case 0: return 1.7e9 + Double(rng.next() % 100_000_000) / 1000
                case 1: return Double(rng.next() % 1000) / 7
                case 2: return -Double(rng.next() % 1_000_000) / 3
                case 3: return 0
                case 4: return 42
                default: return i % 12 == 5 ? .infinity : -.infinity
                }
            }
            var expected = values
            expected.sort()
            radixSort(&values)
            #expect(values == expected, "n = \(n)")
        }
    }

    @Test func skipsDigitsAllValuesShare() {
        // 2,000 equal values: every digit pass is skipped and the array is unchanged.
        var same = [Double](repeating: 1.5, count: 2000)
        radixSort(&same)
        #expect(same == [Double](repeating: 1.5, count: 2000))
    }
}
