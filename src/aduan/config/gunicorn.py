"""gunicorn hooks shared by `make run` (`-c python:aduan.config.gunicorn`) and
deploy/gunicorn.conf.py: each new worker warms itself before it takes traffic.

With `--preload` the master has imported Django, every URL module and the common templates
(config/warmup.py). What is left per worker can only happen after the fork: opening its database
connection and filling the per-process memos (office configuration, page memos). The worker does
that by answering one GET of the portal home to itself, before it accepts connections, so a
client's first request is as fast as the later ones (docs/benchmarks.md, Worker warm-up).
"""

from __future__ import annotations

import logging
import time
from typing import Any

preload_app = True
logger = logging.getLogger("gunicorn.error")


def post_worker_init(worker: Any) -> None:
    from aduan.config.warmup import warm_worker

    started = time.perf_counter()
    try:
        status = warm_worker(worker.wsgi)
    except Exception:  # a cold worker is slower, never broken: serve anyway
        logger.exception("aduan: worker warm-up failed")
        return
    logger.info("aduan: worker %s warm (%s) in %.2fs", worker.pid, status,
                time.perf_counter() - started)
