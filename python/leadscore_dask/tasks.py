"""What one Dask task does on its worker: score one part with the leadscore binary.

Kept free of the rest of the package and pickled by value, so workers need only the binary, the rules
and the files (not this package) at the paths the driver names.
"""

import os
import re
import socket
import subprocess
import time

SUMMARY = re.compile(r"^leads: (\d+) rows read = (\d+) scored \+ (\d+) rejected", re.MULTILINE)


def _worker_name():
    """The Dask worker's address (tcp://host:port), or the host name outside a worker."""
    try:
        from distributed import get_worker
        return get_worker().address
    except (ImportError, ValueError):
        return socket.gethostname()


class PartFailed(RuntimeError):
    """A part's `leadscore score` run failed; the message names the part and gives leadscore's own."""


def score_part(binary, rules, name, part_dir, stage_dir, score_args):
    """Scores part `name` into stage_dir/name/{scores.csv,rejects.csv}; returns its summary counts."""
    out_dir = os.path.join(stage_dir, name)
    os.makedirs(out_dir, exist_ok=True)
    command = [binary, "score", rules, "--leads", os.path.join(part_dir, "leads.csv")]
    for option, file in (("--activities", "activities.csv"), ("--previous", "previous.csv"),
                         ("--accounts", "accounts.csv")):
        path = os.path.join(part_dir, file)
        if os.path.exists(path):
            command += [option, path]
    command += ["--out", os.path.join(out_dir, "scores.csv"), "--rejects", os.path.join(out_dir, "rejects.csv")]
    command += list(score_args)
    started = time.time()
    try:
        run = subprocess.run(command, capture_output=True, text=True, errors="replace", check=False)
    except OSError as e:
        raise PartFailed(f"{name}: cannot run {binary}: {e.strerror}") from None
    if run.returncode != 0:
        message = " | ".join(line for line in run.stderr.strip().splitlines()[-5:] if line.strip())
        raise PartFailed(f"{name}: leadscore exited with status {run.returncode}: {message}")
    match = SUMMARY.search(run.stderr)
    if not match:
        raise PartFailed(f"{name}: leadscore printed no summary line (`leads: N rows read = S scored + R rejected`)")
    rows_read, scored, rejected = (int(g) for g in match.groups())
    return {"part": name, "rows_read": rows_read, "scored": scored, "rejected": rejected,
            "worker": _worker_name(), "started": round(started, 3),
            "seconds": round(time.time() - started, 3), "summary": run.stderr}
