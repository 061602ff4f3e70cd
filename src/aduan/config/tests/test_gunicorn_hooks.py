"""gunicorn's master releases and freezes its memory before the first fork (config/gunicorn.py,
issue 17): after `when_ready` every object it holds is in the permanent generation."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import gc
from aduan.config import gunicorn
before = gc.get_freeze_count()
gunicorn.when_ready(None)
print("FROZEN", before, gc.get_freeze_count())
"""


def test_when_ready_freezes_the_masters_objects():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, check=False,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    _, before, after = next(x for x in done.stdout.splitlines() if x.startswith("FROZEN")).split()
    assert int(before) == 0 and int(after) > 1000
