"""What one Dask task does on its worker: score one part with the leadscore binary.

Kept free of the rest of the package and pickled by value, so workers need only the binary, the rules
and the files (not this package) at the paths the driver names.
"""

import errno
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

SUMMARY = re.compile(r"^leads: (\d+) rows read = (\d+) scored \+ (\d+) rejected", re.MULTILINE)
EVENTS = re.compile(r"^activities: (\d+) events read, (\d+) used", re.MULTILINE)
NEWEST = re.compile(r"; newest used (\S+)$", re.MULTILINE)


def _worker_name():
    """The Dask worker's address (tcp://host:port), or the host name outside a worker."""
    try:
        from distributed import get_worker
        return get_worker().address
    except (ImportError, ValueError):
        return socket.gethostname()


def _signal_name(number):
    try:
        return signal.Signals(number).name
    except ValueError:
        return "unknown signal"


def give_mkdir_mode(path):
    """mkdtemp makes a directory 0700; one to be published gets the mode mkdir would give it, so
    readers running as another user (workers on shared storage, the upload job) can open it."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o777 & ~mask)


class PartFailed(RuntimeError):
    """A part's `leadscore score` run failed; the message names the part and gives leadscore's own."""


def score_part(binary, rules, name, part_dir, stage_dir, attempts_dir, score_args, outputs=()):
    """Scores part `name` into stage_dir/name/{scores.csv,rejects.csv} (and the files of `outputs`, pairs
    of a score option and a file name, e.g. ("--changes-out", "changes.csv")); returns its summary counts.

    Each attempt writes into a fresh directory under attempts_dir, outside the stage, and only a
    finished attempt is renamed into the stage. What a killed attempt leaves behind (a partial file,
    or a leadscore process still running after its worker died) never reaches the published output."""
    try:
        out_dir = tempfile.mkdtemp(prefix=f"{name}.", dir=attempts_dir)
        give_mkdir_mode(out_dir)
    except OSError as e:
        raise PartFailed(f"{name}: cannot create an attempt directory in {attempts_dir}: {e.strerror}") from None
    try:
        result = _run_leadscore(binary, rules, name, part_dir, out_dir, score_args, outputs)
        _move_into_stage(name, out_dir, os.path.join(stage_dir, name))
        return result
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)


def _move_into_stage(name, attempt_dir, staged_dir):
    try:
        os.rename(attempt_dir, staged_dir)
    except OSError as e:
        if e.errno in (errno.EEXIST, errno.ENOTEMPTY) and os.path.isdir(staged_dir):
            return  # another attempt at this part (on a worker thought lost) finished first: same output
        raise PartFailed(f"{name}: cannot move the finished part into {staged_dir}: {e.strerror}") from None


def _run_leadscore(binary, rules, name, part_dir, out_dir, score_args, outputs):
    command = [binary, "score", rules, "--leads", os.path.join(part_dir, "leads.csv")]
    for option, file in (("--activities", "activities.csv"), ("--previous", "previous.csv"),
                         ("--accounts", "accounts.csv")):
        path = os.path.join(part_dir, file)
        if os.path.exists(path):
            command += [option, path]
    command += ["--out", os.path.join(out_dir, "scores.csv"), "--rejects", os.path.join(out_dir, "rejects.csv")]
    for option, file in outputs:
        command += [option, os.path.join(out_dir, file)]
    command += list(score_args)
    started = time.time()
    try:
        run = subprocess.run(command, capture_output=True, text=True, errors="replace", check=False)
    except OSError as e:
        raise PartFailed(f"{name}: cannot run {binary}: {e.strerror}") from None
    if run.returncode < 0:
        raise PartFailed(f"{name}: leadscore was killed by signal {-run.returncode} ({_signal_name(-run.returncode)})")
    if run.returncode != 0:
        message = " | ".join(line for line in run.stderr.strip().splitlines()[-5:] if line.strip())
        raise PartFailed(f"{name}: leadscore exited with status {run.returncode}: {message}")
    match = SUMMARY.search(run.stderr)
    if not match:
        raise PartFailed(f"{name}: leadscore printed no summary line (`leads: N rows read = S scored + R rejected`)")
    rows_read, scored, rejected = (int(g) for g in match.groups())
    events = EVENTS.search(run.stderr)
    newest = NEWEST.search(run.stderr)
    return {"part": name, "rows_read": rows_read, "scored": scored, "rejected": rejected,
            "events_read": int(events.group(1)) if events else None,
            "events_used": int(events.group(2)) if events else None,
            "newest_used": newest.group(1) if newest else None,
            "worker": _worker_name(), "started": round(started, 3),
            "seconds": round(time.time() - started, 3), "summary": run.stderr}
