"""Cost of one rate count on the file cache's counter table (core/filecache.py), known keys.

    PYTHONPATH=src python bench/rate_counter_cost.py 20000           # CPU per count (getrusage)
    PYTHONPATH=src strace -c -f -o out.txt python bench/rate_counter_cost.py 20000
        # syscalls: the fcntl calls over the counts (2 a count), the rest is start-up
    PYTHONPATH=src valgrind --tool=callgrind --callgrind-out-file=out.cg \\
        python bench/rate_counter_cost.py 20000
    callgrind_annotate --inclusive=yes out.cg | grep map_next    # divide by the argument

The counts run inside one `map` (C), so callgrind's inclusive cost of `map_next` is theirs
alone; the keys (2,000, counted once before) and the table are made outside it.
"""

from __future__ import annotations

import resource
import sys
import tempfile
from collections import deque
from itertools import islice, repeat, starmap

from django.conf import settings

settings.configure()

from aduan.core.filecache import FileCache  # noqa: E402


def main() -> None:
    counts = int(sys.argv[1])
    with tempfile.TemporaryDirectory() as directory:
        cache = FileCache(directory, {})
        keys = [f"aduan-rl:track_code:{i:032x}:0" for i in range(2000)]
        deque(starmap(cache.count, ((key, 3600) for key in keys)), 0)  # not in map_next
        stream = list(islice((key for _ in range(counts // len(keys) + 1) for key in keys), counts))
        before = resource.getrusage(resource.RUSAGE_SELF)
        deque(map(cache.count, stream, repeat(3600)), 0)
        after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(f"{counts} counts: {cpu / counts * 1e6:.2f} us CPU a count "
          f"(user {(after.ru_utime - before.ru_utime) / counts * 1e6:.2f})")


if __name__ == "__main__":
    main()
