"""python3 -m leadscore_dask (--scheduler ADDR | --local N [--worker-processes])
    --binary PATH --rules R --parts DIR --out OUT [score args]"""

import argparse
import logging
import os
import sys

from .driver import PART_OUTPUTS

USAGE_EXAMPLE = """score options such as --as-of 2026-11-01 --threads 1 are passed to every part's
`leadscore score`; --leads, --activities, --previous, --accounts, --out and --rejects are set per part,
and the publish guards are judged on all parts together."""


def start_worker_forkserver():
    """--local --worker-processes starts worker processes. By default each one is a fresh
    interpreter that imports dask.distributed after the cluster starts (about 0.5 s). Instead, a
    fork server imports it now, while the driver imports it too, and the workers are forked from it:
    about 0.5 s less per run, and still no fork of the driver's own threads. A method set in the
    environment is kept."""
    if "DASK_DISTRIBUTED__WORKER__MULTIPROCESSING_METHOD" in os.environ:
        return
    import multiprocessing
    import multiprocessing.forkserver
    try:
        multiprocessing.set_forkserver_preload(["distributed"])
        multiprocessing.forkserver.ensure_running()
    except (OSError, ValueError):
        return  # no fork server on this platform: workers are spawned as usual
    os.environ["DASK_DISTRIBUTED__WORKER__MULTIPROCESSING_METHOD"] = "forkserver"


def quiet_local_profiler(dask_config):
    """Every Dask server samples its threads' stacks every 10 ms. A part's work happens in the
    leadscore process, which that profiler cannot see, so on a --local cluster it only takes CPU
    from the parts. A setting in the environment is kept."""
    if "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED" not in os.environ:
        dask_config.set({"distributed.worker.profile.enabled": False})


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m leadscore_dask", allow_abbrev=False,
                                     description="Score the parts of `leadscore partition` on a Dask cluster.",
                                     epilog=USAGE_EXAMPLE)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", metavar="ADDR", help="a running scheduler, e.g. tcp://10.0.0.5:8786")
    where.add_argument("--local", metavar="N", type=int,
                       help="a LocalCluster on this machine: N single-threaded workers in the driver's process "
                            "(each part still runs in its own leadscore process)")
    parser.add_argument("--worker-processes", action="store_true",
                        help="with --local: each worker in its own process, reached over TCP on 127.0.0.1 "
                             "(about 0.3 s more to start; a worker can die alone and its parts are retried)")
    parser.add_argument("--binary", required=True, help="the leadscore binary (same path on every worker)")
    parser.add_argument("--rules", required=True, help="the rules file (same path on every worker)")
    parser.add_argument("--parts", required=True, metavar="DIR", help="the output of `leadscore partition`")
    parser.add_argument("--out", required=True, help="the directory to publish: part-NNNNN/scores.csv, _SUCCESS")
    parser.add_argument("--retries", type=int, default=2, help="times a failed part is tried again (default 2)")
    parser.add_argument("--write-changes", action="store_true",
                        help="each part also writes part-NNNNN/changes.csv (score --changes-out; the parts need "
                             "previous.csv, from partition --previous)")
    parser.add_argument("--write-accounts", action="store_true",
                        help="each part also writes part-NNNNN/accounts.csv (score --accounts-out)")
    parser.add_argument("--max-reject-rate", metavar="R", type=float,
                        help="refuse to publish when more than this share of all parts' lead rows is rejected "
                             "(as score's option, judged on the totals)")
    parser.add_argument("--max-staleness", metavar="DURATION",
                        help="refuse to publish when the newest event used by any part is older than this before "
                             "as-of (as score's option, judged over all parts)")
    args, score_args = parser.parse_known_args(argv)
    if args.local is not None and args.local < 1:
        parser.error("--local takes a number of workers of 1 or more")
    if args.worker_processes and args.local is None:
        parser.error("--worker-processes goes with --local; a running cluster's workers are its own")
    if args.max_reject_rate is not None and not 0 <= args.max_reject_rate <= 1:
        parser.error("--max-reject-rate takes a share from 0 to 1")
    outputs = [(option, file) for option, (flag, file) in PART_OUTPUTS.items()
               if getattr(args, flag[2:].replace("-", "_"))]

    if args.worker_processes:
        start_worker_forkserver()
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("leadscore_dask: the dask.distributed package is missing (Debian: apt-get install python3-distributed)",
              file=sys.stderr)
        return 1
    import cloudpickle
    from . import tasks
    from .driver import DriverError, check_paths, find_parts, run_parts

    try:  # before a cluster is started
        check_paths(*(os.path.abspath(p) for p in (args.binary, args.rules, args.parts, args.out)), score_args)
        find_parts(os.path.abspath(args.parts))
    except DriverError as e:
        print(f"leadscore_dask: {e}", file=sys.stderr)
        return 1

    # Workers need the binary and the rules, not this package.
    cloudpickle.register_pickle_by_value(tasks)
    if args.local is not None:
        import dask
        quiet_local_profiler(dask.config)
        cluster = LocalCluster(n_workers=args.local, threads_per_worker=1, processes=args.worker_processes,
                               dashboard_address=None, silence_logs=logging.CRITICAL)
        client = Client(cluster)
    else:
        cluster, client = None, Client(args.scheduler)
    try:
        manifest = run_parts(client, args.binary, args.rules, args.parts, args.out, score_args, args.retries, outputs,
                             args.max_reject_rate, args.max_staleness)
    except DriverError as e:
        print(f"leadscore_dask: {e}", file=sys.stderr)
        return e.status
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    t = manifest["totals"]
    print(f"leads: {t['rows_read']} rows read = {t['scored']} scored + {t['rejected']} rejected "
          f"over {len(manifest['parts'])} parts", file=sys.stderr)
    rejected = manifest.get("partition_rejected", {})
    if any(rejected.values()):
        print("partition rejected: " + ", ".join(f"{k} {v}" for k, v in rejected.items()) +
              f" (see {args.parts}/_rejects.csv)", file=sys.stderr)
    print(f"published {args.out} (part-NNNNN/scores.csv, _manifest.json, _SUCCESS)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    status = main()
    # Everything is published and the cluster closed. Tearing down the interpreter's modules (Dask,
    # Tornado, NumPy) takes ~0.1 s and has nothing left to save, so the process ends here.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
