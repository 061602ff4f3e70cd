"""Training, storing and loading an office's triage model; the office's label mapping."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction

from aduan.offices.models import Office
from aduan.triage import taxonomy
from aduan.triage.corpus import seed_examples, taxonomy_examples
from aduan.triage.engine import AnswerDoc, Engine, Example, train
from aduan.triage.taxonomy import NOT_OURS_INTENT, OUR_AUTHORITY

logger = logging.getLogger(__name__)

HISTORY_WEIGHT = 3.0       # an office's own closed case counts as much as three seed examples
CONFIG_WEIGHT = 1.5        # its service types, FAQ and agency directory
CASE_ANSWER_LIMIT = 20_000  # newest closed cases whose answers are offered
CACHE_SIZE = 4             # engines kept in memory per process
MAPPING_TTL = 30.0         # seconds a read mapping is reused

INTENT_OF_CLASSIFICATION = {"complaint": "pengaduan", "aspiration": "aspirasi",
                            "information_request": "permintaan_informasi"}


def model_dir() -> Path:
    path = Path(getattr(settings, "TRIAGE_MODEL_DIR", settings.VAR_DIR / "triage"))
    path.mkdir(parents=True, exist_ok=True)
    return path


# -- the office's mapping -------------------------------------------------------------------

@dataclass
class Mapping:
    service_types: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
    # pk -> (name, category, authority, default unit code)
    units: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # code -> (name, cats)
    agencies: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    # pk -> (name, authority, referral text)


_mapping_cache: dict[int, tuple[float, Mapping]] = {}


def mapping_for(office: Office | None, *, fresh: bool = False) -> Mapping:
    if office is None:
        return Mapping()
    cached = _mapping_cache.get(office.pk)
    if cached and not fresh and time.monotonic() - cached[0] < MAPPING_TTL:
        return cached[1]
    mapping = Mapping()
    for st in office.service_types.filter(is_active=True).select_related(
            "default_unit", "triage_label"):
        label = getattr(st, "triage_label", None)
        mapping.service_types[str(st.pk)] = (
            st.name, label.category if label else "", label.authority if label else OUR_AUTHORITY,
            st.default_unit.code if st.default_unit else "")
    for unit in office.units.filter(is_active=True).select_related("triage_label"):
        label = getattr(unit, "triage_label", None)
        mapping.units[unit.code] = (unit.name, list(label.categories) if label else [])
    for agency in office.agencies.filter(is_active=True).select_related("triage_label"):
        label = getattr(agency, "triage_label", None)
        mapping.agencies[str(agency.pk)] = (agency.name, label.authority if label else "lainnya",
                                            agency.referral_text)
    _mapping_cache[office.pk] = (time.monotonic(), mapping)
    return mapping


# -- training data --------------------------------------------------------------------------

def config_examples(office: Office, mapping: Mapping) -> list[Example]:
    """The office's service types, FAQ and agency directory as labelled examples."""
    from aduan.portal.models import FaqEntry

    out: list[Example] = []
    for st in office.service_types.filter(is_active=True):
        _name, category, authority, unit = mapping.service_types[str(st.pk)]
        labels = {"service_type": str(st.pk), "authority": authority}
        if category:
            labels["category"] = category
        if unit:
            labels["unit"] = unit
        for text in (st.name, st.keywords, st.description):
            if text:
                out.append(Example(text, dict(labels), CONFIG_WEIGHT, source="taxonomy"))
    for faq in FaqEntry.objects.filter(office=office, is_published=True):
        labels = {"intent": "permintaan_informasi"}
        if faq.service_type_id and str(faq.service_type_id) in mapping.service_types:
            _, category, authority, unit = mapping.service_types[str(faq.service_type_id)]
            labels.update({"service_type": str(faq.service_type_id), "authority": authority})
            if category:
                labels["category"] = category
        out.append(Example(f"{faq.question} {faq.keywords}", labels, CONFIG_WEIGHT,
                           source="taxonomy"))
    for agency in office.agencies.filter(is_active=True):
        _, authority, _ = mapping.agencies[str(agency.pk)]
        labels = {"agency": str(agency.pk), "authority": authority, "intent": NOT_OURS_INTENT}
        for text in (agency.topics, agency.keywords, agency.name):
            if text:
                out.append(Example(text, dict(labels), CONFIG_WEIGHT, source="taxonomy"))
    return out


def case_labels(complaint: Any, mapping: Mapping) -> dict[str, str]:
    """What a settled case teaches: its final service type, unit, agency, and their codes."""
    from aduan.complaints.workflow import Status

    labels: dict[str, str] = {}
    if complaint.status == Status.REFERRED or complaint.referred_agency_id:
        labels["intent"] = NOT_OURS_INTENT
        agency = mapping.agencies.get(str(complaint.referred_agency_id))
        labels["authority"] = agency[1] if agency else "lainnya"
        if complaint.referred_agency_id:
            labels["agency"] = str(complaint.referred_agency_id)
    else:
        labels["authority"] = OUR_AUTHORITY
        intent = INTENT_OF_CLASSIFICATION.get(complaint.classification)
        if intent:
            labels["intent"] = intent
    if complaint.service_type_id:
        st = mapping.service_types.get(str(complaint.service_type_id))
        labels["service_type"] = str(complaint.service_type_id)
        if st and st[1]:
            labels["category"] = st[1]
    elif labels.get("authority") != OUR_AUTHORITY:
        labels["category"] = "lainnya"
    if complaint.unit_id:
        labels["unit"] = complaint.unit.code
    return labels


def feedback_examples(office: Office, mapping: Mapping) -> list[Example]:
    """What officers chose on cases not settled yet (settled ones teach through their final
    fields): the assist app's record of accepted and corrected suggestions."""
    from aduan.assist.selectors import feedback_for_training
    from aduan.complaints.models import Complaint
    from aduan.complaints.workflow import SETTLED_STATUSES

    rows = feedback_for_training(office)
    open_ids = set(Complaint.objects.filter(pk__in={r["complaint_id"] for r in rows})
                   .exclude(status__in=SETTLED_STATUSES).values_list("pk", flat=True))
    latest: dict[tuple[int, str], dict[str, Any]] = {}
    for row in rows:  # oldest first: the last decision on a field wins
        if row["complaint_id"] in open_ids and row.get("chosen"):
            latest[(row["complaint_id"], row["field"])] = row
    by_case: dict[int, tuple[str, dict[str, str]]] = {}
    for (complaint_id, fieldname), row in latest.items():
        text, labels = by_case.setdefault(complaint_id, (row["text"], {}))
        labels[fieldname] = str(row["chosen"])
        if fieldname == "service_type" and row["chosen"] in mapping.service_types:
            category = mapping.service_types[row["chosen"]][1]
            if category:
                labels.setdefault("category", category)
    valid = {"intent": set(taxonomy.codes("intent")), "category": set(taxonomy.codes("category")),
             "authority": set(taxonomy.codes("authority")), "service_type": set(
                 mapping.service_types), "unit": set(mapping.units), "agency": set(
                 mapping.agencies)}
    out = []
    for text, chosen in by_case.values():
        labels = {f: c for f, c in chosen.items() if c in valid.get(f, set())}
        if labels:
            out.append(Example(text, labels, HISTORY_WEIGHT, source="office"))
    return out


def history_examples(office: Office, mapping: Mapping) -> tuple[list[Example], list[AnswerDoc]]:
    """Settled cases of the office (withdrawn ones teach nothing) and their public answers."""
    from aduan.complaints.models import Complaint
    from aduan.complaints.publication import public_text
    from aduan.complaints.workflow import Status

    settled = (Complaint.objects.filter(office=office, status__in=[
        Status.CLOSED, Status.ANSWERED, Status.REFERRED]).select_related("unit")
        .only("pk", "register_number", "subject", "description", "status", "classification",
              "service_type_id", "unit__code", "referred_agency_id"))
    examples = [Example(f"{c.subject}\n{c.description}", case_labels(c, mapping), HISTORY_WEIGHT,
                        source="office", ref=c.register_number)
                for c in settled.iterator(chunk_size=2000)]
    answers: list[AnswerDoc] = []
    answered = (Complaint.objects.filter(office=office, status__in=[Status.ANSWERED, Status.CLOSED],
                                         is_secret=False, reporter__is_confidential=False)
                .exclude(response_text="")
                # Not an answer to learn from: a duplicate's reply points at another case, and
                # a confirmed automatic answer is a FAQ entry already in the index.
                .exclude(events__data__has_key="duplicate_of")
                .exclude(events__data__has_key="automatic")
                .select_related("reporter")
                .order_by("-received_at")[:CASE_ANSWER_LIMIT])
    for c in answered:
        text = public_text(c.response_text, c)
        answers.append(AnswerDoc("case", str(c.pk), c.register_number, text,
                                 f"{c.subject} {c.description}"))
    return examples, answers


def faq_answers(office: Office) -> list[AnswerDoc]:
    from aduan.portal.models import FaqEntry

    return [AnswerDoc("faq", str(f.pk), f.question, f.answer, f"{f.question} {f.keywords}")
            for f in FaqEntry.objects.filter(office=office, is_published=True)]


# -- models: train, store, load ------------------------------------------------------------

def _version(office: Office | None) -> str:
    prefix = office.code if office else "umum"
    return f"{prefix}-{time.strftime('%Y%m%d-%H%M%S')}-{os.urandom(3).hex()}"


def build_engine(office: Office | None, *, extra: list[Example] | None = None,
                 with_history: bool = True, cross_validate: bool = False) -> Engine:
    return _build(office, extra=extra, with_history=with_history,
                  cross_validate=cross_validate)[0]


def _build(office: Office | None, *, extra: list[Example] | None = None,
           with_history: bool = True, cross_validate: bool = False) -> tuple[Engine, Path]:
    """Train (or reuse, see _train_or_reuse) an engine from the seed corpus, the taxonomy, the office's configuration and
    history, and `extra` labelled examples (the CLI's --history)."""
    examples = list(seed_examples()) + taxonomy_examples()
    answers: list[AnswerDoc] = []
    if office is not None:
        mapping = mapping_for(office, fresh=True)
        examples += config_examples(office, mapping)
        answers += faq_answers(office)
        if with_history:
            history, case_answers = history_examples(office, mapping)
            examples += history + feedback_examples(office, mapping)
            answers += case_answers
    examples += extra or []
    return _train_or_reuse(examples, answers, version=_version(office),
                           cross_validate=cross_validate)


TRAINED_KEEP = 8  # engines kept on disk by the fingerprint of what they learnt from


def _training_fingerprint(examples: list[Example], answers: list[AnswerDoc],
                          cross_validate: bool) -> str:
    digest = hashlib.sha256(_seed_fingerprint().encode())
    digest.update(b"cv" if cross_validate else b"-")
    for ex in examples:
        digest.update(repr((ex.text, sorted(ex.labels.items()), ex.weight, ex.source,
                            ex.ref)).encode())
    for doc in answers:
        digest.update(repr((doc.kind, doc.ref, doc.title, doc.text, doc.index_text)).encode())
    return digest.hexdigest()[:24]


def _train_or_reuse(examples: list[Example], answers: list[AnswerDoc], *, version: str,
                    cross_validate: bool) -> tuple[Engine, Path]:
    """Training is deterministic: an engine already trained on exactly these examples and
    answers (same code, same seed corpus) is loaded from disk instead of fitted again, so a
    retrain with nothing new, or a second process, costs a file read, not seconds of CPU."""
    fingerprint = _training_fingerprint(examples, answers, cross_validate)
    path = model_dir() / f"trained-{fingerprint}.pkl"
    engine = _load(path) if path.exists() else None
    if engine is not None:
        engine.version = version
        os.utime(path)  # recently used: kept by the pruning below
        return engine, path
    engine = train(examples, answers=answers, version=version, cross_validate=cross_validate)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            pickle.dump(engine, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    try:
        _prune()
    except DatabaseError:  # the CLI on a database not set up: nothing is active, keep all
        logger.warning("triage: model files not pruned (database unavailable)")
    return engine, path


def _prune() -> None:
    """Keep the newest TRAINED_KEEP engine files and every file an active model uses."""
    from aduan.triage.models import TriageModel

    active = set(TriageModel.objects.filter(is_active=True).values_list("path", flat=True))
    files = sorted(model_dir().glob("trained-*.pkl"), key=lambda p: p.stat().st_mtime,
                   reverse=True)
    for old in files[TRAINED_KEEP:]:
        if old.name not in active:
            old.unlink(missing_ok=True)


def train_office_model(office: Office, *, cross_validate: bool = True) -> Any:
    """Train, store and activate a new model of `office`; returns the TriageModel row. The
    row points at the engine's file (shared when nothing changed since the last training)."""
    from aduan.triage.models import TriageModel

    engine, path = _build(office, cross_validate=cross_validate)
    with transaction.atomic():
        TriageModel.objects.filter(office=office, is_active=True).update(is_active=False)
        row = TriageModel.objects.create(
            office=office, version=engine.version, path=path.name,
            training_size=engine.sizes, cv_accuracy=engine.cv_accuracy,
            seconds=engine.sizes.get("seconds", 0))
    _cache_put(("office", office.pk, engine.version), engine)
    return row


_cache: OrderedDict[tuple[Any, ...], Engine] = OrderedDict()
_lock = threading.Lock()


def _cache_get(key: tuple[Any, ...]) -> Engine | None:
    with _lock:
        engine = _cache.get(key)
        if engine is not None:
            _cache.move_to_end(key)
        return engine


def _cache_put(key: tuple[Any, ...], engine: Engine) -> None:
    with _lock:
        _cache[key] = engine
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def _load(path: Path) -> Engine | None:
    """An engine stored by this code under var/ (pickle of our own file); None if unreadable."""
    try:
        with open(path, "rb") as fh:
            engine = pickle.load(fh)  # noqa: S301 (our own file under var/)
    except Exception:
        return None
    return engine if isinstance(engine, Engine) else None


def _seed_fingerprint() -> str:
    from aduan.triage.taxonomy import DATA_DIR

    digest = hashlib.sha256()
    for name in sorted(os.listdir(DATA_DIR)):
        digest.update(name.encode())
        digest.update((DATA_DIR / name).read_bytes())
    for module in ("engine.py", "text.py", "corpus.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    return digest.hexdigest()[:16]


def coldstart_engine() -> Engine:
    """The model of no office at all: seed corpus and taxonomy only (cached on disk)."""
    key = ("coldstart", _seed_fingerprint())
    engine = _cache_get(key)
    if engine is not None:
        return engine
    engine = build_engine(None)  # from disk when this corpus was fitted before
    _cache_put(key, engine)
    return engine


def active_model(office: Office) -> Any:
    from aduan.triage.models import TriageModel

    return TriageModel.objects.filter(office=office, is_active=True).order_by(
        "-created_at", "-pk").first()


def engine_for(office: Office | None, *, train_if_missing: bool = True) -> Engine:
    """The office's active model, loaded once per process; without one, a model trained now
    from its configuration and history (and stored), or the cold-start model."""
    if office is None:
        return coldstart_engine()
    row = active_model(office)
    if row is not None:
        key = ("office", office.pk, row.version)
        engine = _cache_get(key)
        if engine is not None:
            return engine
        engine = _load(model_dir() / row.path)
        if engine is not None:
            engine.version = row.version  # a shared file carries the version it was fitted as
        if engine is None:
            logger.warning("triage: model file %s of %s missing or unreadable", row.path,
                           office.code)
        else:
            _cache_put(key, engine)
            return engine
    if not train_if_missing:
        return coldstart_engine()
    train_office_model(office, cross_validate=False)
    row = active_model(office)
    cached = _cache_get(("office", office.pk, row.version))
    return cached if cached is not None else coldstart_engine()


RETRAIN_AFTER_HOURS = 24     # a model older than this is retrained if anything was settled
RETRAIN_AFTER_CASES = 50     # ... and at once after this many settled cases


def retrain_due() -> dict[str, str]:
    """Retrain every active office whose model is missing or behind its settled cases."""
    import datetime as dt

    from django.utils import timezone

    from aduan.complaints.models import Complaint
    from aduan.complaints.workflow import SETTLED_STATUSES

    done: dict[str, str] = {}
    for office in Office.objects.filter(is_active=True):
        row = active_model(office)
        settled = Complaint.objects.filter(office=office, status__in=SETTLED_STATUSES)
        if row is not None:
            newer = settled.filter(updated_at__gt=row.created_at).count()
            old = row.created_at < timezone.now() - dt.timedelta(hours=RETRAIN_AFTER_HOURS)
            if not newer or (newer < RETRAIN_AFTER_CASES and not old):
                continue
        done[office.code] = str(train_office_model(office).version)
    return done


def clear_caches() -> None:
    """Forget loaded engines and mappings (tests; after a restore)."""
    with _lock:
        _cache.clear()
    _mapping_cache.clear()
