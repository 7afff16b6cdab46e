"""Submit one task per part, add the summaries up, publish OUT all or nothing."""

import ctypes
import json
import os
import re
import shutil
import tempfile
import uuid

from . import guards, tasks

# Options the driver sets for every part itself.
DRIVER_OPTIONS = ("--leads", "--activities", "--previous", "--accounts", "--out", "--rejects", "--quiet",
                  "--no-guards")
# Outputs a part writes beside its scores.csv, asked for with the driver's own option.
PART_OUTPUTS = {"--changes-out": ("--write-changes", "changes.csv"), "--accounts-out": ("--write-accounts", "accounts.csv")}
PART_NAME = re.compile(r"^part-\d+$")


class DriverError(RuntimeError):
    """The run cannot start, or a part failed after its retries: nothing was published."""
    status = 1


class GuardRefused(DriverError):
    """The parts scored, but a publish guard refuses the whole: nothing was published."""
    status = guards.REFUSED_STATUS


def _within(inner, outer):
    inner, outer = os.path.realpath(inner), os.path.realpath(outer)
    return inner == outer or inner.startswith(outer.rstrip(os.sep) + os.sep)


def find_parts(parts_dir):
    """[(name, part_dir, expected_rows or None)] from DIR/_manifest.json, or the part-* folders."""
    manifest_path = os.path.join(parts_dir, "_manifest.json")
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
        rows = manifest["files"]["leads"]["rows_per_part"]
        names = manifest["part_names"]
        return [(n, os.path.join(parts_dir, n), rows[i]) for i, n in enumerate(names)], manifest
    if not os.path.isdir(parts_dir):
        raise DriverError(f"--parts {parts_dir}: no such directory")
    names = sorted(n for n in os.listdir(parts_dir) if PART_NAME.match(n))
    if not names:
        raise DriverError(f"--parts {parts_dir}: no part-NNNNN folders and no _manifest.json")
    return [(n, os.path.join(parts_dir, n), None) for n in names], None


def check_paths(binary, rules, parts_dir, out, score_args):
    for arg in score_args:
        option = arg.split("=", 1)[0]
        if option in DRIVER_OPTIONS:
            raise DriverError(f"{option} is set by the driver for each part; leave it out")
        if option in PART_OUTPUTS:
            flag, file = PART_OUTPUTS[option]
            raise DriverError(f"{option} would have every part write the same file; give {flag} and each part "
                              f"writes OUT/part-NNNNN/{file}")
    for path, described in ((rules, "--rules"), (parts_dir, "--parts"), (binary, "--binary")):
        if _within(path, out):
            raise DriverError(f"{described} {path} is inside --out {out}: an output never replaces an input")
    if _within(out, parts_dir):
        raise DriverError(f"--out {out} is inside --parts {parts_dir}; choose a directory beside it")
    if os.path.lexists(out):
        if not os.path.isdir(out) or os.path.islink(out):
            raise DriverError(f"--out {out} exists and is not a directory")
        if os.listdir(out) and not os.path.exists(os.path.join(out, "_manifest.json")):
            raise DriverError(f"--out {out} holds other files (no _manifest.json); name a new or empty directory")


def _fsync_tree(root):
    for folder, _, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def publish(stage, out):
    """Renames the staged directory onto OUT; an existing OUT is swapped out in one step, then removed."""
    _fsync_tree(stage)
    if not os.path.lexists(out):
        os.rename(stage, out)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    at_fdcwd, rename_exchange = -100, 2
    if libc.renameat2(at_fdcwd, os.fsencode(stage), at_fdcwd, os.fsencode(out), rename_exchange) == 0:
        shutil.rmtree(stage, ignore_errors=True)  # the previous OUT, now at the staging path
        return
    old = tempfile.mkdtemp(prefix=f".{os.path.basename(out)}.old.", dir=os.path.dirname(out))
    os.rename(out, os.path.join(old, "out"))
    os.rename(stage, out)
    shutil.rmtree(old, ignore_errors=True)


def _as_of(score_args):
    for i, arg in enumerate(score_args):
        if arg == "--as-of" and i + 1 < len(score_args):
            return score_args[i + 1]
        if arg.startswith("--as-of="):
            return arg.split("=", 1)[1]
    return None


def run_parts(client, binary, rules, parts_dir, out, score_args, retries=2, outputs=(), max_reject_rate=None,
              max_staleness=None):
    """Scores every part on the cluster; returns the manifest written to OUT. Raises DriverError.

    outputs: files each part writes beside scores.csv, as (score option, file name) pairs, e.g.
    ("--changes-out", "changes.csv"). max_reject_rate, max_staleness: the publish guards, judged on
    all parts together (guards.refusal); every part runs with --no-guards."""
    binary, rules, parts_dir, out = (os.path.abspath(p) for p in (binary, rules, parts_dir, out))
    score_args = list(score_args)
    check_paths(binary, rules, parts_dir, out, score_args)
    if max_staleness is not None:
        try:
            guards.parse_duration(max_staleness)
        except ValueError as e:
            raise DriverError(str(e)) from None
    part_args = score_args + ["--no-guards"]
    parts, partition = find_parts(parts_dir)
    stage = tempfile.mkdtemp(prefix=f".{os.path.basename(out)}.staging.", dir=os.path.dirname(out))
    tasks.give_mkdir_mode(stage)
    attempts = tempfile.mkdtemp(prefix=f".{os.path.basename(out)}.attempts.", dir=os.path.dirname(out))
    try:
        run_id = uuid.uuid4().hex[:8]
        futures = [
            client.submit(tasks.score_part, binary, rules, name, part_dir, stage, attempts, part_args, tuple(outputs),
                          key=f"leadscore-{name}-{run_id}", retries=retries, pure=False)
            for name, part_dir, _ in parts
        ]
        failures, results = [], []
        for (name, _, expected), future in zip(parts, futures):
            try:
                result = future.result()
            except Exception as e:  # noqa: BLE001 - a task's error, or a worker lost too often
                message = str(e)
                failures.append(message if message.startswith(name + ":") else f"{name}: {type(e).__name__}: {message}")
                continue
            if expected is not None and result["rows_read"] != expected:
                failures.append(f"{name}: leadscore read {result['rows_read']} lead rows, the partition wrote {expected}")
            results.append(result)
        if failures:
            raise DriverError(f"{len(failures)} of {len(parts)} parts failed after {retries} retries; nothing was "
                              f"published:\n  " + "\n  ".join(failures))
        totals = {key: sum(r[key] for r in results) for key in ("rows_read", "scored", "rejected")}
        if totals["rows_read"] != totals["scored"] + totals["rejected"]:
            raise DriverError(f"the parts do not reconcile: {totals}; nothing was published")
        reason = guards.refusal(results, _as_of(score_args), max_reject_rate, max_staleness)
        if reason:
            raise GuardRefused(f"refused to publish: {reason}; the previous output is left as it was")
        manifest = {
            "format": "leadscore-scores/1",
            "binary": binary,
            "rules": rules,
            "parts_dir": parts_dir,
            "score_args": score_args,
            "parts": [{k: r[k] for k in ("part", "rows_read", "scored", "rejected", "worker", "started", "seconds")}
                      for r in results],
            "totals": totals,
        }
        if partition is not None:
            manifest["partition_rejected"] = {k: f["rejected"] for k, f in partition["files"].items()}
        with open(os.path.join(stage, "_manifest.json"), "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=2)
            f.write("\n")
        open(os.path.join(stage, "_SUCCESS"), "w").close()
        publish(stage, out)
        return manifest
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(attempts, ignore_errors=True)
