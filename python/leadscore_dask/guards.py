"""The publish guards of `leadscore score`, judged over all the parts of a run.

A part is a slice of the whole export: one part may hold no lead, or only leads whose latest events
are a few days old, while the run as a whole is fine. So every part runs with `--no-guards` and the
driver applies --max-reject-rate and --max-staleness to the totals, with the same defaults and
meaning as `leadscore score` (docs/cli.md): nothing is published when they refuse.
"""

import datetime
import re

DEFAULT_MAX_REJECT_RATE = 0.5
DEFAULT_REJECT_RATE_MIN_ROWS = 100  # the default rate judges only runs of this many rows or more
DEFAULT_MAX_STALENESS = "365d"
REFUSED_STATUS = 4  # as `leadscore score` exits when a guard refuses

_DURATION = re.compile(r"^(\d+)([hdw])$")
_HOURS = {"h": 1, "d": 24, "w": 24 * 7}


def parse_duration(text):
    """A `--max-staleness` value (36h, 7d, 2w) as a timedelta, or None for `none`. Raises ValueError."""
    if text == "none":
        return None
    match = _DURATION.match(text)
    if not match or int(match.group(1)) == 0 or int(match.group(1)) > 100_000:
        raise ValueError(f'--max-staleness "{text}": write a duration (36h, 7d, 2w) or none')
    return datetime.timedelta(hours=int(match.group(1)) * _HOURS[match.group(2)])


def parse_instant(text):
    """An --as-of or summary time (2026-11-01, 2026-11-01T00:00:00Z, ...+02:00) as an aware datetime."""
    instant = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return instant if instant.tzinfo else instant.replace(tzinfo=datetime.timezone.utc)


def refusal(results, as_of, max_reject_rate=None, max_staleness=None):
    """Why the parts' `results` (as tasks.score_part returns them) must not be published, or None.

    max_reject_rate: a share from 0 to 1, or None for the default (judged from 100 rows on);
    max_staleness: a --max-staleness text, or None for the default (365d, not refusing a run
    that used no event)."""
    rows_read = sum(r["rows_read"] for r in results)
    scored = sum(r["scored"] for r in results)
    rejected = sum(r["rejected"] for r in results)
    if scored == 0:
        return ("no part has a data row: nothing to score" if rows_read == 0
                else f"none of the {rows_read} lead rows of the parts could be scored (all rejected)")
    rate_given = max_reject_rate is not None
    rate_limit = max_reject_rate if rate_given else DEFAULT_MAX_REJECT_RATE
    if (rate_given or rows_read >= DEFAULT_REJECT_RATE_MIN_ROWS) and rejected / rows_read > rate_limit:
        return (f"{rejected} of {rows_read} rows ({100 * rejected / rows_read:.1f}%) were rejected over all parts, "
                f"more than --max-reject-rate {100 * rate_limit:g}%")

    if all(r.get("events_read") is None for r in results):
        return None  # the rules read no activity events
    staleness_given = max_staleness is not None
    window = parse_duration(max_staleness if staleness_given else DEFAULT_MAX_STALENESS)
    if window is None:
        return None
    used = sum(r.get("events_used") or 0 for r in results)
    if used == 0:
        if not staleness_given:
            return None
        read = sum(r.get("events_read") or 0 for r in results)
        return (f"no activity event before as-of belongs to a lead of any part ({read} events read): the events "
                f"export is empty or from another system (--max-staleness none accepts it)")
    newest = max(parse_instant(r["newest_used"]) for r in results if r.get("newest_used"))
    if newest < parse_instant(as_of) - window:
        return (f"the newest activity event over all parts ({newest.isoformat()}) is older than --max-staleness "
                f"{max_staleness or DEFAULT_MAX_STALENESS} before as-of {as_of}: the events export looks stale "
                f"(--max-staleness none accepts it)")
    return None
