"""Benchmark: every redaction and parsing regular expression on 20,000-character hostile input.

Usage (docs/benchmarks.md, section "Regular expressions"):
    .venv/bin/python bench/regex_linear.py            # the table, worst input per function
    .venv/bin/python bench/regex_linear.py --sizes 5000,10000,20000,40000

For each function of src/aduan/core/tests/test_regex_linear.py it runs every adversarial input
of that test and prints the slowest (CPU ms of this process, best of --repeat runs). Then it
runs the patterns this project used before they were made linear on the inputs that hurt them,
at each size, so the difference between linear and quadratic growth is visible. Needs no
database (the test settings are enough to import the modules).
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings_test")

# The patterns as they were before issue 11, with the inputs that made them slow.
OLD = {
    "e-mail (redaction, API scrub)": (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+").sub, "1"),
    "HTML link (e-mail to text)": (
        re.compile(r"<a\b[^>]*href\s*=\s*[\"']([^\"']+)[\"'][^>]*>(.*?)</a\s*>",
                   re.IGNORECASE | re.DOTALL).sub, "<a "),
    "Message-ID in a bounce": (
        re.compile(r"^Message-ID:\s*(<[^>]+>)", re.I | re.M).search, "Message-ID: <x\n"),
}


def cpu_ms(function: Callable[[str], object], text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.disable()
        start = time.process_time()
        function(text)
        best = min(best, time.process_time() - start)
        gc.enable()
    return best * 1000


def main() -> None:
    import django

    django.setup()
    sys.path.insert(0, str(ROOT / "src" / "aduan" / "core" / "tests"))
    from test_regex_linear import ADVERSARIAL, FUNCTIONS, _fill_to

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="5000,10000,20000")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
          f"{os.getloadavg()[2]:.2f}")
    print(f"{'function':40} {'worst input':24} {'CPU ms':>8}")
    for name in sorted(FUNCTIONS):
        worst = max(((cpu_ms(FUNCTIONS[name], text, args.repeat), label)
                     for label, text in ADVERSARIAL.items()))
        print(f"{name:40} {worst[1]:24} {worst[0]:8.1f}")
    sizes = [int(s) for s in args.sizes.split(",")]
    print()
    print(f"{'before the fix':32} " + " ".join(f"{n:>9}" for n in sizes) + "   (CPU ms)")
    for name, (function, unit) in OLD.items():
        def call(text: str, function: Callable = function) -> object:
            return function("x", text) if function.__name__ == "sub" else function(text)

        cells = [cpu_ms(call, _fill_to(unit, n), 1) for n in sizes]
        print(f"{name:32} " + " ".join(f"{c:9.1f}" for c in cells))
    print(f"{'after (redaction, html_to_text)':32} " + " ".join(
        f"{max(cpu_ms(FUNCTIONS['redaction'], _fill_to('1', n), 1), cpu_ms(FUNCTIONS['html_to_text'], _fill_to('<a ', n), 1)):9.1f}"
        for n in sizes))


if __name__ == "__main__":
    main()
