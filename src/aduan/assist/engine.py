"""The one door to the triage engine (`aduan.triage.api.suggest`), returning plain data that
can be stored (Suggestion.data) and read without the engine loaded."""

from __future__ import annotations

from typing import Any

from aduan.offices.models import Office

FIELDS = ("intent", "authority", "category", "service_type", "unit", "agency")


class EngineUnavailable(Exception):
    """The triage app is not installed in this deployment."""


def _ranked(items: Any) -> list[dict[str, Any]]:
    rows = []
    for item in list(items or [])[:3]:
        rows.append({"code": str(item.code), "label": str(item.label),
                     "confidence": round(float(item.confidence), 4),
                     "reason": str(item.reason)[:300]})
    return rows


def _answers(items: Any) -> list[dict[str, Any]]:
    rows = []
    for item in list(items or [])[:3]:
        rows.append({"kind": str(item.kind), "ref": str(item.ref), "title": str(item.title)[:300],
                     "text": str(item.text), "confidence": round(float(item.confidence), 4),
                     "reason": str(item.reason)[:300]})
    return rows


def engine_suggest(office: Office, text: str, *, channel: str | None = None) -> dict[str, Any]:
    """The engine's suggestions for `text` as a dict: the six ranked fields, `answers` and
    `model_version`."""
    try:
        from aduan.triage.api import suggest
    except ImportError as exc:
        raise EngineUnavailable(str(exc)) from exc
    result = suggest(office, text, channel=channel)
    data: dict[str, Any] = {name: _ranked(getattr(result, name, [])) for name in FIELDS}
    data["answers"] = _answers(getattr(result, "answers", []))
    data["model_version"] = str(getattr(result, "model_version", ""))
    return data

