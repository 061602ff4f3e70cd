"""The triage contract: what the desk, the assistant and the CLI ask of the engine.

`suggest(office, text)` ranks intent, authority and category (taxonomy codes), the office's own
service types, units and referral agencies, and the best answers (FAQ entries and answers of
similar closed cases), each with a probability-like confidence and a one-line reason.
`predict_codes(office, texts)` gives the three taxonomy fields only, three codes each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aduan.triage import taxonomy
from aduan.triage.taxonomy import NOT_OURS_INTENT, OUR_AUTHORITY

TOP = 3
# A text with no content word at all: the most common answer at a licensing office.
EMPTY_PRIOR = {
    "intent": {"permintaan_informasi": 0.5, "pengaduan": 0.3, "aspirasi": 0.1,
               "bukan_kewenangan": 0.1},
    "category": {"lainnya": 0.5, "lambat": 0.2, "nib_oss": 0.1},
    "authority": {"dpmptsp": 0.8, "lainnya": 0.1, "disdukcapil": 0.05},
}


@dataclass(frozen=True)
class Ranked:
    code: str
    label: str
    confidence: float
    reason: str


@dataclass(frozen=True)
class Answer:
    kind: str
    ref: str
    title: str
    text: str
    confidence: float
    reason: str


@dataclass(frozen=True)
class Suggestions:
    intent: list[Ranked]
    authority: list[Ranked]
    category: list[Ranked]
    service_type: list[Ranked]
    unit: list[Ranked]
    agency: list[Ranked]
    answers: list[Answer]
    model_version: str


# -- taxonomy fields ------------------------------------------------------------------------

def _full(codes: list[str], probs: list[float], fieldname: str) -> dict[str, float]:
    """Probabilities over every code of the field (codes the model never saw get 0)."""
    valid = taxonomy.codes(fieldname)
    out = dict.fromkeys(valid, 0.0)
    for code, prob in zip(codes, probs, strict=False):
        if code in out:
            out[code] = float(prob)
    return out


def _couple(intent: dict[str, float], authority: dict[str, float]) -> dict[str, float]:
    """An item that is not the office's business is a referral (bukan_kewenangan), whatever
    its tone: the authority model decides that part of the intent, the intent model the rest
    (information request, complaint or aspiration)."""
    not_ours = 1.0 - authority.get(OUR_AUTHORITY, 0.0)
    mixed = 0.2 * intent.get(NOT_OURS_INTENT, 0.0) + 0.8 * not_ours
    rest = sum(p for code, p in intent.items() if code != NOT_OURS_INTENT)
    out = {}
    for code, p in intent.items():
        if code == NOT_OURS_INTENT:
            out[code] = mixed
        else:
            out[code] = (1.0 - mixed) * (p / rest if rest > 0 else 1.0 / (len(intent) - 1))
    return out


def _top(scores: dict[str, float], fieldname: str, n: int = TOP) -> list[str]:
    """The `n` best codes, ties broken by the taxonomy's order; always `n` distinct codes."""
    order = {code: i for i, code in enumerate(taxonomy.codes(fieldname))}
    scores = {**dict.fromkeys(order, -1.0), **{c: s for c, s in scores.items() if c in order}}
    return sorted(scores, key=lambda c: (-scores[c], order.get(c, 99)))[:n]


def _taxonomy_scores(engine: Any, matrix: Any) -> list[dict[str, dict[str, float]]]:
    ranked = {f: engine.rank(matrix, f) for f in taxonomy.FIELDS}
    out = []
    for i in range(matrix.shape[0]):
        scores = {f: _full(ranked[f][i].codes, ranked[f][i].probs, f) for f in taxonomy.FIELDS}
        scores["intent"] = _couple(scores["intent"], scores["authority"])
        out.append(scores)
    return out


def predict_codes(office: Any, texts: list[str], *, engine: Any = None
                  ) -> list[dict[str, list[str]]]:
    """Three distinct taxonomy codes per field, best first, for each text (for the CLI)."""
    from aduan.triage.services import engine_for
    from aduan.triage.text import prepare

    engine = engine or engine_for(office)
    out: list[dict[str, list[str]]] = []
    batch = 512
    for start in range(0, len(texts), batch):
        prepared = [prepare(t) for t in texts[start:start + batch]]
        matrix, _ = engine.vectorise(prepared)
        for (_, stems), scores in zip(prepared, _taxonomy_scores(engine, matrix), strict=True):
            out.append({f: _top(EMPTY_PRIOR[f] if not stems else scores[f], f)
                        for f in taxonomy.FIELDS})
    return out


# -- the office's terms -------------------------------------------------------------------

def _normalised(scores: dict[str, float]) -> dict[str, float]:
    total = sum(scores.values())
    return {k: v / total for k, v in scores.items()} if total > 0 else scores


def _direct(engine: Any, matrix: Any, fieldname: str) -> dict[str, float]:
    ranking = engine.rank(matrix, fieldname)[0]
    return dict(zip(ranking.codes, ranking.probs, strict=False))


def _service_types(mapping: Any, category: dict[str, float], direct: dict[str, float]
                   ) -> dict[str, float]:
    by_category: dict[str, list[str]] = {}
    for pk, (_, cat, _, _) in mapping.service_types.items():
        if cat:
            by_category.setdefault(cat, []).append(pk)
    mapped: dict[str, float] = dict.fromkeys(mapping.service_types, 0.0)
    for cat, pks in by_category.items():
        # Within a category, the direct model (names, keywords, history) picks the type.
        inner = _normalised({pk: direct.get(pk, 0.0) + 1e-3 for pk in pks})
        for pk in pks:
            mapped[pk] += category.get(cat, 0.0) * inner[pk]
    known = {pk: direct.get(pk, 0.0) for pk in mapping.service_types}
    if sum(known.values()) <= 0:
        return _normalised(mapped)
    return _normalised({pk: 0.5 * mapped[pk] + 0.5 * known[pk] for pk in mapping.service_types})


def _units(mapping: Any, service_types: dict[str, float], category: dict[str, float],
           direct: dict[str, float]) -> dict[str, float]:
    scores = dict.fromkeys(mapping.units, 0.0)
    for pk, p in service_types.items():
        unit = mapping.service_types[pk][3]
        if unit in scores:
            scores[unit] += p
    claimed: dict[str, list[str]] = {}
    for code, (_, cats) in mapping.units.items():
        for cat in cats:
            claimed.setdefault(cat, []).append(code)
    for cat, codes in claimed.items():
        for code in codes:
            scores[code] += category.get(cat, 0.0) / len(codes)
    scores = _normalised(scores)
    known = {code: direct.get(code, 0.0) for code in mapping.units}
    if sum(known.values()) > 0:
        scores = _normalised({c: 0.6 * scores[c] + 0.4 * known[c] for c in scores})
    return scores


def _agencies(mapping: Any, authority: dict[str, float], direct: dict[str, float]
              ) -> dict[str, float]:
    by_authority: dict[str, list[str]] = {}
    for pk, (_, auth, _) in mapping.agencies.items():
        by_authority.setdefault(auth, []).append(pk)
    scores = dict.fromkeys(mapping.agencies, 0.0)
    for auth, pks in by_authority.items():
        inner = _normalised({pk: direct.get(pk, 0.0) + 1e-3 for pk in pks})
        for pk in pks:
            scores[pk] += authority.get(auth, 0.0) * inner[pk]
    return scores  # not normalised: the mass left is "our own business"


def _similar(engine: Any, stems: list[str]) -> list[tuple[str, dict[str, str], float]]:
    return [s for s in engine.similar_cases(stems, 5) if s[2] >= 0.2]


def _reason(words: list[str], similar: list[tuple[str, dict[str, str], float]], fieldname: str,
            code: str) -> str:
    parts = []
    if words:
        parts.append("kata: " + ", ".join(words))
    refs = [ref for ref, labels, _ in similar if labels.get(fieldname) == code and ref][:2]
    if refs:
        parts.append("mirip " + ", ".join(f"#{r}" for r in refs))
    return "; ".join(parts) or "perkiraan umum"


def suggest(office: Any, text: str, *, channel: str | None = None,
            engine: Any = None) -> Suggestions:
    """Everything the case page offers for a new case of `office` with this text (`engine`:
    a given model instead of the office's active one, for benchmarks)."""
    from aduan.triage.services import engine_for, mapping_for
    from aduan.triage.text import prepare

    engine = engine or engine_for(office)
    mapping = mapping_for(office)
    prepared = prepare(text)
    stems = prepared[1].split()
    matrix, words = engine.vectorise([prepared])
    scores = _taxonomy_scores(engine, matrix)[0]
    similar = _similar(engine, stems)

    def ranked(fieldname: str, values: dict[str, float], labels: dict[str, str],
               reason_field: str | None = None, n: int = TOP) -> list[Ranked]:
        order = sorted(values, key=lambda c: -values[c])[:n]
        out = []
        for code in order:
            if fieldname in taxonomy.FIELDS:
                words_ = engine.matched_words(words, fieldname, code)
            else:
                words_ = engine.matched_words(words, fieldname, code) or []
            out.append(Ranked(code, labels.get(code, code), round(float(values[code]), 4),
                              _reason(words_, similar, reason_field or fieldname, code)))
        return out

    fields = {f: ranked(f, scores[f], {c: taxonomy.label_of(f, c) for c in scores[f]})
              for f in taxonomy.FIELDS}
    service_types = _service_types(mapping, scores["category"],
                                   _direct(engine, matrix, "service_type"))
    units = _units(mapping, service_types, scores["category"], _direct(engine, matrix, "unit"))
    agencies = _agencies(mapping, scores["authority"], _direct(engine, matrix, "agency"))
    not_ours = 1.0 - scores["authority"].get(OUR_AUTHORITY, 0.0)
    answers = [Answer(doc.kind, doc.ref, doc.title, doc.text, round(conf, 4),
                      ("FAQ" if doc.kind == "faq" else f"jawaban kasus {doc.title}")
                      + f" (kecocokan {conf:.0%})")
               for doc, conf in engine.find_answers(stems, TOP)]
    return Suggestions(
        intent=fields["intent"], authority=fields["authority"], category=fields["category"],
        service_type=ranked("service_type", service_types,
                            {pk: v[0] for pk, v in mapping.service_types.items()}),
        unit=ranked("unit", units, {code: v[0] for code, v in mapping.units.items()}),
        agency=ranked("agency", agencies, {pk: v[0] for pk, v in mapping.agencies.items()})
        if not_ours >= 0.2 else [],
        answers=answers, model_version=engine.version)
