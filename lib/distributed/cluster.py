"""Where the partition tasks run: an existing Dask scheduler (--scheduler ADDRESS, e.g. one started by
dask-jobqueue, dask-kubernetes or a cloud service) or, without one, a LocalCluster of one-thread worker
processes on this machine (one per core: the listening models are single-threaded numpy, so processes, not
threads, are what use more cores)."""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from lib.ingest.reading import InputError

CONNECT_TIMEOUT = 10  # seconds to reach a scheduler before saying it is not there


def _quiet() -> None:
    """distributed logs connection retries and worker start-up at INFO/WARNING on stderr; a command-line run
    says one line on failure, so only errors are let through."""
    for name in ("distributed", "distributed.comm", "distributed.client", "distributed.core"):
        logging.getLogger(name).setLevel(logging.ERROR)


@contextmanager
def connected(address: str | None, workers: int | None = None) -> Iterator[Any]:
    """A `distributed.Client` on the scheduler at `address`, or on a LocalCluster started (and closed) here."""
    from distributed import Client, LocalCluster

    _quiet()
    if address:
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except Exception as exc:  # OSError, TimeoutError, ValueError for a malformed address
            why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InputError(f"--scheduler: cannot reach a Dask scheduler at {address} within "
                             f"{CONNECT_TIMEOUT} s ({why[:160]})") from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster, set_as_default=False)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def describe(client: Any) -> str:
    """'2 workers at tcp://127.0.0.1:40123', for the progress line and summary.json."""
    info = client.scheduler_info()
    n = len(info.get("workers", {}))
    return f"{n} worker{'' if n == 1 else 's'} at {info.get('address', client.scheduler.address)}"
