"""gunicorn hooks shared by `make run` (`-c python:aduan.config.gunicorn`) and
deploy/gunicorn.conf.py: each new worker warms itself before it takes traffic.

With `--preload` the master has imported Django, every URL module and the common templates
(config/warmup.py). What is left per worker can only happen after the fork: opening its database
connection and filling the per-process memos (office configuration, page memos). The worker does
that by answering one GET of the portal home to itself, before it accepts connections, so a
client's first request is as fast as the later ones (docs/benchmarks.md, Worker warm-up).

Memory (issue 17, docs/benchmarks.md, Worker memory): once the application is loaded and before
the first fork, the master collects garbage, hands the C heap's free pages back to the system
(`malloc_trim`: importing leaves freed memory behind, which every forked worker would inherit
as resident) and moves every object it has into the collector's permanent generation
(`gc.freeze()`), so a worker's collections do not write to the pages it shares with the master
(copy-on-write would make each worker's copy of them private).

A worker hands its C heap's free pages back every TRIM_EVERY requests (`post_request`): glibc
gives memory back only from the heap's top, so what is freed below it stays resident. The
largest such block is SQLite's page cache, freed each time Django reopens the worker's
connection (CONN_MAX_AGE): it stayed as holes until the next fill, and the worker at its peak
(12.5 MB of a SQLite worker's 86 MB anonymous memory after 40,000 harness requests was free
heap; docs/benchmarks.md, Worker memory, session 10). The trim lowers a worker's memory between
the fills, not its peak: the cache's bound (settings.py) does that.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import logging
import time
from typing import Any

preload_app = True
logger = logging.getLogger("gunicorn.error")


# Requests between two trims of a worker's heap. A trim walks the heap's free blocks: 0.4-0.5 ms
# when little is to be returned, up to ~16 ms when 14 MB in 2,500 holes are (in process,
# 16 KB blocks); after the response is sent, so no client waits for it.
TRIM_EVERY = 500


@functools.cache
def _malloc_trim() -> Any:
    name = ctypes.util.find_library("c")  # runs ldconfig: once per process
    return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None


def trim_heap() -> None:
    """Return the C heap's free pages to the system, the holes below its top included (glibc's
    malloc_trim; nothing elsewhere)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def release_memory() -> None:
    """Collect garbage and return the C heap's free pages to the system (glibc only)."""
    gc.collect()
    trim_heap()


def when_ready(server: Any) -> None:
    """In the master, after the preloaded application and before the first worker."""
    release_memory()
    gc.freeze()


def post_worker_init(worker: Any) -> None:
    from aduan.config.warmup import warm_worker

    started = time.perf_counter()
    try:
        status = warm_worker(worker.wsgi)
    except Exception:  # a cold worker is slower, never broken: serve anyway
        logger.exception("aduan: worker warm-up failed")
        return
    _name_sample_prefetch()
    release_memory()  # what the warm-up freed
    logger.info("aduan: worker %s warm (%s) in %.2fs", worker.pid, status,
                time.perf_counter() - started)


def _name_sample_prefetch() -> None:
    """On PostgreSQL, start the worker's background read of its sample of names now
    (complaints/search.py), not at its first desk request: a worker is recycled every
    max_requests, and a fresh one's first search of a name of several words, before the sample
    is read, estimates with the product of the words' shares, which at 1M picked a plan of
    127-271 ms for 'rahm hid' (docs/benchmarks.md). About 0.6 MB per worker."""
    try:
        from aduan.complaints.search import name_sample_prefetch

        name_sample_prefetch()
    except Exception:  # the sample only sharpens estimates: serve without it
        logger.exception("aduan: the name sample's read could not start")


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    """In a worker, after a response was sent: every TRIM_EVERY requests, the heap's free pages
    go back to the system (module docstring)."""
    if getattr(worker, "nr", 0) % TRIM_EVERY == 0:
        trim_heap()
