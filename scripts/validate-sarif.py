#!/usr/bin/env python3
"""Check that a SARIF file has every field GitHub code scanning needs from Stagecraft.

Usage: scripts/validate-sarif.py FILE.sarif [...]

Standard library only. Prints one line per problem and exits 1 when there is any,
2 when a file cannot be read or is not JSON, 0 when every file passes.
"""
import json
import sys

LEVELS = {"error", "warning", "note", "none"}


def check(log):
    problems = []

    def need(obj, key, where, kind=None):
        if not isinstance(obj, dict) or key not in obj:
            problems.append(f"{where}: missing '{key}'")
            return None
        value = obj[key]
        if kind is not None and not isinstance(value, kind):
            problems.append(f"{where}.{key}: expected {kind.__name__}, found {type(value).__name__}")
            return None
        return value

    def need_text(obj, key, where):
        inner = need(obj, key, where, dict)
        if inner is not None:
            text = need(inner, "text", f"{where}.{key}", str)
            if text is not None and not text.strip():
                problems.append(f"{where}.{key}.text: empty")

    def positive_int(obj, key, where):
        value = need(obj, key, where, int)
        if value is not None and (isinstance(value, bool) or value < 1):
            problems.append(f"{where}.{key}: must be a positive integer, found {value!r}")
        return value

    schema = need(log, "$schema", "log", str)
    if schema is not None and "sarif-2.1.0" not in schema:
        problems.append(f"log.$schema: not the SARIF 2.1.0 schema: {schema}")
    if need(log, "version", "log", str) not in (None, "2.1.0"):
        problems.append(f"log.version: expected '2.1.0', found {log['version']!r}")
    runs = need(log, "runs", "log", list) or []
    if isinstance(log, dict) and isinstance(log.get("runs"), list) and not runs:
        problems.append("log.runs: empty")
    for r, run in enumerate(runs):
        where = f"runs[{r}]"
        tool = need(run, "tool", where, dict)
        driver = need(tool, "driver", f"{where}.tool", dict) if tool is not None else None
        rule_ids = []
        if driver is not None:
            dw = f"{where}.tool.driver"
            if need(driver, "name", dw, str) not in (None, "stagecraft"):
                problems.append(f"{dw}.name: expected 'stagecraft'")
            need(driver, "version", dw, str)
            info = need(driver, "informationUri", dw, str)
            if info is not None and not info.startswith("https://"):
                problems.append(f"{dw}.informationUri: not an absolute https URL: {info!r}")
            rules = need(driver, "rules", dw, list) or []
            if isinstance(driver.get("rules"), list) and not rules:
                problems.append(f"{dw}.rules: empty")
            for i, rule in enumerate(rules):
                rw = f"{dw}.rules[{i}]"
                rule_ids.append(need(rule, "id", rw, str))
                need(rule, "name", rw, str)
                need_text(rule, "shortDescription", rw)
                need_text(rule, "fullDescription", rw)
                need_text(rule, "help", rw)
                help_obj = rule.get("help") if isinstance(rule, dict) else None
                if isinstance(help_obj, dict):
                    need(help_obj, "markdown", f"{rw}.help", str)
                config = need(rule, "defaultConfiguration", rw, dict)
                if config is not None and need(config, "level", f"{rw}.defaultConfiguration", str) not in (None, *LEVELS):
                    problems.append(f"{rw}.defaultConfiguration.level: not one of {sorted(LEVELS)}")
            if len(set(rule_ids)) != len(rule_ids):
                problems.append(f"{dw}.rules: duplicate rule ids")
        column_kind = run.get("columnKind") if isinstance(run, dict) else None
        if column_kind not in (None, "utf16CodeUnits", "unicodeCodePoints"):
            problems.append(f"{where}.columnKind: unknown value {column_kind!r}")
        results = need(run, "results", where, list) or []
        for k, result in enumerate(results):
            rw = f"{where}.results[{k}]"
            rule_id = need(result, "ruleId", rw, str)
            index = result.get("ruleIndex") if isinstance(result, dict) else None
            if index is not None:
                if not isinstance(index, int) or not 0 <= index < len(rule_ids):
                    problems.append(f"{rw}.ruleIndex: out of range")
                elif rule_ids[index] != rule_id:
                    problems.append(f"{rw}.ruleIndex: points at '{rule_ids[index]}', not '{rule_id}'")
            elif rule_id is not None and rule_id not in rule_ids:
                problems.append(f"{rw}.ruleId: '{rule_id}' is not in tool.driver.rules")
            if need(result, "level", rw, str) not in (None, *LEVELS):
                problems.append(f"{rw}.level: not one of {sorted(LEVELS)}")
            need_text(result, "message", rw)
            locations = need(result, "locations", rw, list) or []
            if isinstance(result, dict) and isinstance(result.get("locations"), list) and not locations:
                problems.append(f"{rw}.locations: empty")
            for m, location in enumerate(locations):
                lw = f"{rw}.locations[{m}]"
                physical = need(location, "physicalLocation", lw, dict)
                if physical is None:
                    continue
                pw = f"{lw}.physicalLocation"
                artifact = need(physical, "artifactLocation", pw, dict)
                if artifact is not None:
                    uri = need(artifact, "uri", f"{pw}.artifactLocation", str)
                    if uri is not None and ("\\" in uri or " " in uri or not uri):
                        problems.append(f"{pw}.artifactLocation.uri: not a URI reference: {uri!r}")
                region = need(physical, "region", pw, dict)
                if region is not None:
                    start_line = positive_int(region, "startLine", f"{pw}.region")
                    start_col = positive_int(region, "startColumn", f"{pw}.region")
                    end_line = positive_int(region, "endLine", f"{pw}.region")
                    end_col = positive_int(region, "endColumn", f"{pw}.region")
                    if None not in (start_line, start_col, end_line, end_col):
                        if (end_line, end_col) < (start_line, start_col):
                            problems.append(f"{pw}.region: ends before it starts")
            fingerprints = need(result, "partialFingerprints", rw, dict)
            if fingerprints is not None and (not fingerprints or not all(isinstance(v, str) and v for v in fingerprints.values())):
                problems.append(f"{rw}.partialFingerprints: needs at least one non-empty string")
    return problems


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    failed = False
    for path in argv[1:]:
        try:
            with open(path, encoding="utf-8") as f:
                log = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{path}: cannot read SARIF: {e}", file=sys.stderr)
            return 2
        problems = check(log)
        for p in problems:
            print(f"{path}: {p}")
        if problems:
            failed = True
        else:
            results = sum(len(r.get("results", [])) for r in log.get("runs", []))
            print(f"{path}: valid SARIF for GitHub code scanning ({results} results)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
