"""Triage accuracy on the development set (bench/triage/devset.jsonl: the seed report's 32
complaints and WhatsApp-style messages written for it; none of it is in the training corpus).

    .venv/bin/python bench/triage_accuracy.py                 # cold start (no office history)
    .venv/bin/python bench/triage_accuracy.py --history half  # even items as --history
    .venv/bin/python bench/triage_accuracy.py --errors        # list the misses
    .venv/bin/python bench/triage_accuracy.py --cli           # through `manage.py triage predict`

Prints top-1 / top-3 per field and the macro-F1 over authorities (each agency counts equally).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")

import django  # noqa: E402

django.setup()

from aduan.triage import taxonomy  # noqa: E402
from aduan.triage.api import predict_codes  # noqa: E402
from aduan.triage.engine import Example  # noqa: E402
from aduan.triage.services import HISTORY_WEIGHT, build_engine, coldstart_engine  # noqa: E402

DEVSET = ROOT / "bench" / "triage" / "devset.jsonl"
TARGETS = {"authority": (0.90, 0.98), "category": (0.85, 0.97), "intent": (0.90, None)}


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    scores = []
    for label in sorted(set(gold)):
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label != g)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label != p)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def via_cli(items: list[dict], history: list[dict]) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        src, out, hist = Path(tmp, "in.jsonl"), Path(tmp, "out.jsonl"), Path(tmp, "h.jsonl")
        src.write_text("".join(json.dumps({"id": x["id"], "text": x["text"]}) + "\n"
                               for x in items))
        cmd = [sys.executable, str(ROOT / "manage.py"), "triage", "predict", "--in", str(src),
               "--out", str(out)]
        if history:
            hist.write_text("".join(json.dumps(x) + "\n" for x in history))
            cmd += ["--history", str(hist)]
        subprocess.run(cmd, check=True)
        by_id = {row["id"]: row for row in map(json.loads, out.read_text().splitlines())}
        return [by_id[x["id"]] for x in items]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history", choices=["none", "half"], default="none")
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--cli", action="store_true")
    args = parser.parse_args()
    items = [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    history: list[dict] = []
    if args.history == "half":
        history = [{k: x[k] for k in ("text", *taxonomy.FIELDS)} for x in items[::2]]
        items = items[1::2]
    if args.cli:
        predictions = via_cli(items, history)
    else:
        engine = (build_engine(None, extra=[
            Example(h["text"], {f: h[f] for f in taxonomy.FIELDS}, HISTORY_WEIGHT,
                    source="history") for h in history]) if history else coldstart_engine())
        predictions = predict_codes(None, [x["text"] for x in items], engine=engine)
    print(f"items: {len(items)}  history: {len(history)}  mode: {'cli' if args.cli else 'api'}")
    for field in ("authority", "category", "intent"):
        top1 = sum(p[field][0] == x[field] for x, p in zip(items, predictions, strict=True))
        top3 = sum(x[field] in p[field][:3] for x, p in zip(items, predictions, strict=True))
        n = len(items)
        line = f"{field:<10} top-1 {top1 / n:6.1%}  top-3 {top3 / n:6.1%}"
        if field == "authority":
            f1 = macro_f1([x[field] for x in items], [p[field][0] for p in predictions])
            line += f"  macro-F1 {f1:.3f}"
        print(line + f"   (targets {TARGETS[field]})")
    seed = [(x, p) for x, p in zip(items, predictions, strict=True)
            if x.get("source") == "seed-report"]
    if seed:
        print("seed report items: " + "  ".join(
            f"{f} {sum(p[f][0] == x[f] for x, p in seed)}/{len(seed)}"
            for f in ("authority", "category", "intent")))
    if args.errors:
        misses = Counter()
        for x, p in zip(items, predictions, strict=True):
            wrong = [f"{f}: {x[f]} -> {p[f][0]}" for f in ("authority", "category", "intent")
                     if p[f][0] != x[f]]
            for w in wrong:
                misses[w.split(" (")[0]] += 1
            if wrong:
                print(f"  {x['id']}: {x['text'][:90]!r}\n      " + "; ".join(wrong))


if __name__ == "__main__":
    main()
