"""The default cache without Redis (core/filecache.py): Django's file cache culled every
few writes, still bounded."""

from __future__ import annotations

import os

from aduan.core.filecache import FileCache


def test_file_cache_counts_and_stays_bounded(tmp_path):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 50, "CULL_FREQUENCY": 2}})
    assert cache.add("rl", 1, timeout=60)
    assert not cache.add("rl", 1, timeout=60)
    assert cache.incr("rl") == 2
    for i in range(500):
        cache.set(f"key-{i}", i, timeout=60)
        files = [f for f in os.listdir(tmp_path) if f.endswith(".djcache")]
        assert len(files) <= 50 + FileCache.CULL_EVERY
    assert cache.get("key-499") == 499
