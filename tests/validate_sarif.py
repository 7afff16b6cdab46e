#!/usr/bin/env python3
"""Checks a SARIF log written by leadscore: python3 validate_sarif.py SCHEMA LOG

Validates LOG against SCHEMA (tests/schemas/sarif-2.1.0-subset.schema.json) with the jsonschema
module (Debian: python3-jsonschema) when it is installed, else with a structural check of the same
required members; then checks what the schema cannot: every result's ruleId is one of
tool.driver.rules and its ruleIndex points at that rule. Exit 0 when valid, 1 with the reason."""
import json
import sys


def structural(log):
    assert log.get("version") == "2.1.0", "version must be 2.1.0"
    assert isinstance(log.get("runs"), list), "runs must be an array"
    for run in log["runs"]:
        driver = run["tool"]["driver"]
        assert isinstance(driver["name"], str), "tool.driver.name"
        for rule in driver.get("rules", []):
            assert isinstance(rule["id"], str), "rule id"
            for key in ("shortDescription", "fullDescription", "help"):
                if key in rule:
                    assert isinstance(rule[key]["text"], str), f"rule {key}.text"
        for result in run.get("results", []):
            assert isinstance(result["message"]["text"], str), "result message.text"
            assert result.get("level", "warning") in ("none", "note", "warning", "error"), "level"
            for loc in result.get("locations", []) + result.get("relatedLocations", []):
                region = loc["physicalLocation"].get("region", {})
                for key in ("startLine", "startColumn"):
                    assert region.get(key, 1) >= 1, f"region.{key} >= 1"
            for s in result.get("suppressions", []):
                assert s["kind"] in ("inSource", "external"), "suppression kind"


def main():
    schema_path, log_path = sys.argv[1], sys.argv[2]
    with open(log_path, encoding="utf-8") as f:
        log = json.load(f)
    try:
        import jsonschema
    except ImportError:
        jsonschema = None
    if jsonschema:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
        errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(log), key=lambda e: list(e.path))
        if errors:
            for e in errors[:5]:
                print(f"schema: {'/'.join(map(str, e.path))}: {e.message}")
            return 1
        how = "jsonschema"
    else:
        try:
            structural(log)
        except (AssertionError, KeyError, TypeError) as e:
            print(f"structure: {e!r}")
            return 1
        how = "structural check (python3-jsonschema not installed)"
    for run in log["runs"]:
        rules = [r["id"] for r in run["tool"]["driver"].get("rules", [])]
        for result in run.get("results", []):
            rule_id = result.get("ruleId")
            if rule_id not in rules:
                print(f"result ruleId {rule_id!r} is not in tool.driver.rules")
                return 1
            if "ruleIndex" in result and rules[result["ruleIndex"]] != rule_id:
                print(f"ruleIndex {result['ruleIndex']} does not point at {rule_id!r}")
                return 1
    print(f"valid SARIF 2.1.0 ({how})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
