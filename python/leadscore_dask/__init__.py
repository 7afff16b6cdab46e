"""Run `leadscore score` over partitioned inputs on a dask.distributed cluster.

`leadscore partition` (or a warehouse export using `part_of`) writes DIR/part-NNNNN/{leads,activities,
previous,accounts}.csv; `python3 -m leadscore_dask` scores every part as one task, adds the per-part summaries
up, and publishes OUT all or nothing. See docs/scale-out.md.
"""

from .part_hash import part_of
from .driver import DriverError, run_parts

__all__ = ["part_of", "run_parts", "DriverError"]
