"""The public label set (taxonomy.json, shipped with the package): intent, category, authority."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
FIELDS = ("intent", "category", "authority")
OUR_AUTHORITY = "dpmptsp"
NOT_OURS_INTENT = "bukan_kewenangan"


@dataclass(frozen=True)
class Label:
    field: str
    code: str
    label: str
    description: str
    keywords: tuple[str, ...]


@lru_cache(maxsize=1)
def _raw() -> dict:  # type: ignore[type-arg]
    return json.loads((DATA_DIR / "taxonomy.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def labels() -> dict[str, tuple[Label, ...]]:
    raw = _raw()
    return {field: tuple(Label(field, item["id"], item["label"], item.get("description", ""),
                               tuple(item.get("keywords", ())))
                         for item in raw[field]) for field in FIELDS}


def codes(field: str) -> tuple[str, ...]:
    return tuple(label.code for label in labels()[field])


def label_of(field: str, code: str) -> str:
    for label in labels()[field]:
        if label.code == code:
            return label.label
    return code


def version() -> str:
    return str(_raw().get("version", ""))
