"""The seed training corpus (data/seed_topics.json, data/seed_items.jsonl), written for Aduan.

Topic phrases are combined with the intent frames, deterministically, with the spelling people use
on WhatsApp (sy, blm, ijin, apotik, ...) so the cold-start model has seen them; whole messages in
seed_items.jsonl add the shapes the frames do not cover. The taxonomy's own descriptions and
keywords are examples too.
"""

from __future__ import annotations

import json
import random
import re
from functools import lru_cache

from aduan.triage import taxonomy
from aduan.triage.engine import Example
from aduan.triage.taxonomy import DATA_DIR, NOT_OURS_INTENT, OUR_AUTHORITY

# Formal -> informal spellings, applied at random to generated texts.
_INFORMAL = {
    "saya": ["sy", "sya", "aku"], "tidak": ["tdk", "gak", "ga", "nggak"], "belum": ["blm", "blom"],
    "sudah": ["sdh", "udah", "udh"], "izin": ["ijin"], "apotek": ["apotik"],
    "bagaimana": ["gmn", "gimana"], "yang": ["yg"], "dengan": ["dgn"], "untuk": ["utk", "buat"],
    "berapa": ["brp"], "mohon": ["mhn"], "kenapa": ["knp"], "bisa": ["bs"], "praktik": ["praktek"],
    "karena": ["krn", "karna"], "sampai": ["sampe"], "kalau": ["kalo", "klo"], "tapi": ["tp"],
    "sekarang": ["skrg"], "bapak": ["pak", "bpk"], "apa": ["ap"], "juga": ["jg"],
}
_WORD = re.compile(r"\w+")


def _informal(text: str, rng: random.Random, rate: float) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        options = _INFORMAL.get(word.lower())
        if options and rng.random() < rate:
            return rng.choice(options)
        return word

    text = _WORD.sub(swap, text)
    roll = rng.random()
    if roll < 0.35:
        text = text.lower()
    elif roll < 0.45:
        text = text.upper() if len(text) < 80 else text
    if rng.random() < 0.3:
        text = text.replace("?", "??").replace(",", "")
    return text


def _wrap(text: str, data: dict, rng: random.Random) -> str:  # type: ignore[type-arg]
    return " ".join(p for p in (rng.choice(data["greetings"]), text,
                                rng.choice(data["closings"])) if p).strip()


@lru_cache(maxsize=1)
def _data() -> dict:  # type: ignore[type-arg]
    return json.loads((DATA_DIR / "seed_topics.json").read_text(encoding="utf-8"))


def _item_lines() -> list[dict]:  # type: ignore[type-arg]
    out = []
    for line in (DATA_DIR / "seed_items.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.append(json.loads(line))
    return out


@lru_cache(maxsize=1)
def seed_examples() -> tuple[Example, ...]:  # noqa: PLR0912
    """The whole seed corpus as labelled examples (a few thousand, deterministic)."""
    data = _data()
    rng = random.Random(20261206)  # noqa: S311 (a corpus, not a secret)
    frames = data["frames"]
    out: list[Example] = []

    def add(text: str, intent: str, category: str, authority: str) -> None:
        text = _wrap(_informal(text, rng, rate=0.35), data, rng)
        out.append(Example(text, {"intent": intent, "category": category,
                                  "authority": authority}))

    for topic in data["topics"]:
        for phrase in topic["phrases"]:
            for frame in rng.sample(frames["info"], 5):
                add(frame.format(x=phrase), "permintaan_informasi", topic["category"], OUR_AUTHORITY)
            for frame in rng.sample(frames["complaint"], 3):
                add(frame.format(x=phrase), "pengaduan", topic["category"], OUR_AUTHORITY)
            add(rng.choice(frames["aspiration"]).format(x=phrase), "aspirasi", topic["category"],
                OUR_AUTHORITY)
    permits = [(t["category"], p) for t in data["topics"] for p in t["phrases"]
               if t["category"] != "lainnya"]
    for topic in data["problem_topics"]:
        for phrase in topic["phrases"]:
            for frame in topic["frames"]:
                add(frame.format(x=phrase), topic["intent"], topic["category"], OUR_AUTHORITY)
            # The precedence of the taxonomy: a fee or a broken system outranks the permit,
            # the permit outranks an officer or a delay.
            for _ in range(4):
                category, permit = rng.choice(permits)
                winner = topic["category"] if topic["category"] in (
                    "biaya_pungli", "sistem_error") else category
                if topic["intent"] == "aspirasi":
                    continue
                add(f"{rng.choice(['urus', 'pengajuan', 'mau buat', 'soal'])} {permit}, "
                    f"{phrase}", topic["intent"], winner, OUR_AUTHORITY)
    # A fee or a broken system about a named permit is still the fee or the system.
    for key, combo in data.get("combo_frames", {}).items():
        category, intent = key.split("|")
        for _, permit in rng.sample(permits, min(len(permits), 60)):
            add(rng.choice(combo).format(x=permit), intent, category, OUR_AUTHORITY)
    for topic in data["referral_topics"]:
        special = topic.get("categories", {})
        for phrase in topic["phrases"]:
            # The same question shapes as the office's own topics: the topic, not the tone,
            # tells whose business it is.
            chosen = rng.sample(frames["other"], 5) + rng.sample(frames["info"], 3) + [
                rng.choice(frames["complaint"])]
            for frame in chosen:
                add(frame.format(x=phrase), NOT_OURS_INTENT, special.get(phrase, "lainnya"),
                    topic["authority"])
    for item in _item_lines():
        labels = {k: item[k] for k in ("intent", "category", "authority") if item.get(k)}
        out.append(Example(item["text"], labels))
        out.append(Example(_informal(item["text"], rng, rate=0.6), labels))
    return tuple(out)


def taxonomy_examples() -> list[Example]:
    """The label descriptions and keywords, as short examples of their own label."""
    out: list[Example] = []
    for fieldname in taxonomy.FIELDS:
        for label in taxonomy.labels()[fieldname]:
            texts = [label.description, label.label, *label.keywords]
            for text in texts:
                if text:
                    out.append(Example(text, {fieldname: label.code}, 0.5, source="taxonomy"))
    return out
