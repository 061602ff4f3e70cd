"""Triage at scale: training on 100,000 synthetic closed cases, the loaded model's memory, and
the latency of `api.suggest` for one new case (p50/p99).

    ADUAN_SQLITE_PATH=var/triage-bench.sqlite3 .venv/bin/python bench/triage_latency.py
    BENCH_CASES=20000 ... (a smaller history)

The history is made in memory from the seed corpus's phrases (deterministic), labelled with the
demo office's service types, units and agencies; 20,000 of the cases carry a public answer. The
demo office and its mapping are loaded into the (scratch) database for the office's terms.
"""

from __future__ import annotations

import gc
import os
import pickle
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from aduan.demo.office import load_demo_office  # noqa: E402
from aduan.triage.api import suggest  # noqa: E402
from aduan.triage.corpus import seed_examples, taxonomy_examples  # noqa: E402
from aduan.triage.engine import AnswerDoc, Example, train  # noqa: E402
from aduan.triage.mapping import load_demo_mapping  # noqa: E402
from aduan.triage.services import config_examples, mapping_for  # noqa: E402

CASES = int(os.environ.get("BENCH_CASES", "100000"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "300"))
ANSWERED = 20_000


def synthetic_history(office, n: int) -> tuple[list[Example], list[AnswerDoc]]:
    rng = random.Random(7)
    mapping = mapping_for(office, fresh=True)
    by_category: dict[str, list[str]] = {}
    for pk, (_, category, _, _) in mapping.service_types.items():
        by_category.setdefault(category, []).append(pk)
    by_authority: dict[str, list[str]] = {}
    for pk, (_, authority, _) in mapping.agencies.items():
        by_authority.setdefault(authority, []).append(pk)
    seeds = list(seed_examples())
    history: list[Example] = []
    answers: list[AnswerDoc] = []
    for i in range(n):
        base = rng.choice(seeds)
        other = rng.choice(seeds)
        # A case: one seed message plus a few words of another, numbered so that no two
        # texts are equal (a real office's history is that varied, or more).
        words = other.text.split()
        text = f"{base.text} {' '.join(rng.sample(words, min(3, len(words))))} no {i}"
        labels = dict(base.labels)
        category, authority = labels.get("category", ""), labels.get("authority", "")
        if authority == "dpmptsp" and by_category.get(category):
            st = rng.choice(by_category[category])
            labels["service_type"] = st
            if mapping.service_types[st][3]:
                labels["unit"] = mapping.service_types[st][3]
        elif by_authority.get(authority):
            labels["agency"] = rng.choice(by_authority[authority])
        history.append(Example(text, labels, 3.0, source="office", ref=f"{i}/2025"))
        if i < ANSWERED:
            answers.append(AnswerDoc("case", str(i), f"{i}/2025",
                                     "Silakan mendaftar melalui aplikasi dan unggah berkas.",
                                     text))
    return history, answers


def main() -> None:
    call_command("migrate", verbosity=0)
    office = load_demo_office()
    load_demo_mapping(office)
    mapping = mapping_for(office, fresh=True)
    history, answers = synthetic_history(office, CASES)
    examples = list(seed_examples()) + taxonomy_examples() + config_examples(office, mapping)
    examples += history
    print(f"load average before: {os.getloadavg()}")
    gc.collect()
    started = time.perf_counter()
    engine = train(examples, answers=answers, version="bench")
    training = time.perf_counter() - started
    print(f"training: {len(examples)} examples ({CASES} synthetic closed cases) in "
          f"{training:.1f} s")
    blob = pickle.dumps(engine, protocol=pickle.HIGHEST_PROTOCOL)
    del engine
    gc.collect()
    tracemalloc.start()
    engine = pickle.loads(blob)
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"model: file {len(blob) / 1e6:.1f} MB, loaded {current / 1e6:.1f} MB (tracemalloc)")
    rng = random.Random(11)
    texts = [rng.choice(history).text.rsplit(" no ", 1)[0] + f" {rng.randint(0, 99)}"
             for _ in range(QUERIES)]
    suggest(office, texts[0], engine=engine)  # warm: stemmer, feature names
    times = []
    for text in texts:
        t0 = time.perf_counter()
        suggest(office, text, engine=engine)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"suggest: {QUERIES} cases, p50 {statistics.median(times):.1f} ms, "
          f"p99 {p99:.1f} ms, max {times[-1]:.1f} ms")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
