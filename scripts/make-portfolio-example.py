#!/usr/bin/env python3
"""Writes examples/portfolio/history.csv: twelve launches, some finished and some in flight
on 2026-11-30, from a fixed pseudo-random sequence (no seed drift: same file every run)."""
import datetime as dt

def rnd(state=[12345]):
    state[0] = (state[0] * 1103515245 + 12345) % 2**31
    return state[0] / 2**31

day = dt.timedelta(days=1)
as_of = dt.datetime(2026, 11, 30, 12, tzinfo=dt.timezone.utc)
rows = []
for i in range(12):
    start = dt.datetime(2026, 9, 7, 9, tzinfo=dt.timezone.utc) + i * 7 * day
    t = start
    def run(act, who, wait, work):
        global t
        s = t + wait * day
        e = s + work * day
        rows.append([f"L-{i+1:03d}", act, who, s, e])
        return e
    prd = run("prd", "Ana", 0.2 + rnd(), 2 + 3 * rnd())
    t = prd
    legal = run("legal_review", "Lee", 1 + 3 * rnd(), 1 + 3 * rnd())
    t = prd
    build = run("build", "Eng team", 0.5 + rnd(), 5 + 7 * rnd())
    t = build
    sec = run("security_review", "Board", 2 + 8 * rnd(), 0.5 + rnd())
    t = max(sec, legal)
    run("launch", "Ana", 0.5 + rnd(), 0.2)

def fmt(x):
    return x.strftime("%Y-%m-%dT%H:%M:%SZ")

with open("examples/portfolio/history.csv", "w") as f:
    f.write("case_id,activity,resource,start_time,end_time\n")
    for case, act, who, s, e in sorted(rows, key=lambda r: (r[3], r[0])):
        if s > as_of:
            continue  # not started yet by the log's end
        f.write(f"{case},{act},{who},{fmt(s)},{fmt(e) if e <= as_of else ''}\n")
