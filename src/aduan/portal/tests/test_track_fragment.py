"""The case's part of the tracking page written in Python (portal/trackcase.py) is the
template's output byte for byte (templates/portal/_track_case.html), for every shape of case
the page shows, in both languages and under an office's script prefix; and it declines (the
template renders) when a form comes back or an automatic answer is on the timeline."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation

from aduan.complaints.models import CaseEvent, EventKind
from aduan.complaints.services import Checklist, complaint_verify
from aduan.ikm.models import ServiceRating
from aduan.portal import trackcase
from aduan.portal.forms import ReopenForm
from aduan.portal.selectors import (
    PublicComplaint,
    public_case_find,
    public_case_get,
    public_case_of,
)

pytestmark = pytest.mark.django_db

CODE = 'K7QM-3XPD <b>"x"</b>'


def _context(case, **extra):  # type: ignore[no-untyped-def]
    return {
        "form": None,
        "code": CODE,
        "case": case,
        "done": "",
        "error": "",
        "satisfaction_form": None,
        "reopen_form": None,
        "rating_form": None,
        "csrf_token": "csrfPLACEHOLDER0123",
        **extra,
    }


def _changed(c, **changes):  # type: ignore[no-untyped-def]
    """A copy of the case's complaint `c` (a model read by `public_case_get`, a
    `PublicComplaint` read by `public_case_of`) with `changes`."""
    if isinstance(c, PublicComplaint):
        return c._replace(**changes)
    copy = type(c).from_db(
        "default", None, [getattr(c, f.attname) for f in type(c)._meta.concrete_fields])
    copy._state.fields_cache["channel"] = c.channel
    for name, value in changes.items():
        setattr(copy, name, value)
    return copy


def _variants(case):  # type: ignore[no-untyped-def]
    """The case as read, and changed in memory into every shape the fragment has."""
    yield case
    c = case.complaint
    yield dataclasses.replace(
        case,
        handled_by='Dinas <Kesehatan> & "Lain"',
        by_number=True,
        may_confirm=False,
        may_rate=False,
    )
    yield dataclasses.replace(case, is_anonymised=True, may_confirm=False, may_rate=False)
    yield dataclasses.replace(case, may_confirm=True, may_rate=True)
    yield dataclasses.replace(
        case, may_rate=False, rating=ServiceRating(complaint_id=c.pk, score=3)
    )
    settled = {
        "subject": "Izin <script>alert(\"x\")</script> & 'kutip'",
        "completion_due_on": dt.date(2026, 1, 31),
        "settled_on": dt.date(2026, 2, 3),
    }
    for days in (0, 1, 12):
        yield dataclasses.replace(case, complaint=_changed(c, **settled, working_days_taken=days))
    # An unknown status is shown as stored, as Django does.
    yield dataclasses.replace(case, complaint=_changed(
        c, **settled, working_days_taken=12, status="no-longer-a-status"))
    events = [
        *case.timeline,
        CaseEvent(
            complaint_id=c.pk,
            kind=EventKind.MESSAGE_IN,
            actor_label="pelapor",
            body="Baris <satu>\r\nbaris & dua\n\nempat",
            is_public=True,
            created_at=dt.datetime(2026, 3, 1, 8, 5, 7, 123, tzinfo=dt.UTC),
        ),
        CaseEvent(
            complaint_id=c.pk,
            kind=EventKind.MESSAGE_OUT,
            actor_label="sistem",
            body="",
            data={"automatic": False},
            is_public=True,
            created_at=dt.datetime(2026, 3, 2, 23, 59, tzinfo=dt.UTC),
        ),
    ]
    yield dataclasses.replace(case, timeline=events)


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("prefix", ["/", "/instansi/kantor-dua/"])
def test_the_python_fragment_is_the_templates_output(
    complaint, responded, officer, language, prefix
):
    complaint_verify(
        complaint_id=complaint.pk, actor=officer, checklist=Checklist()
    ) if complaint.pk != responded.pk else None
    cases = [
        public_case_get(responded.tracking_code),
        public_case_of(public_case_find(responded.tracking_code)),
    ]
    saved = get_script_prefix()
    set_script_prefix(prefix)
    try:
        with translation.override(language):
            compared = 0
            for case in cases:
                for variant in _variants(case):
                    context = _context(variant)
                    expected = render_to_string("portal/_track_case.html", context)
                    assert trackcase.render(context) == expected
                    compared += 1
    finally:
        set_script_prefix(saved)
    assert compared == 2 * 10
    if language == "en":
        assert "Status" in expected and "Riwayat" not in expected  # translated, not the msgid
    assert f'action="{prefix}' in expected and "csrfPLACEHOLDER0123" in expected


def test_a_returned_form_or_an_automatic_answer_goes_through_the_template(responded):
    case = public_case_get(responded.tracking_code)
    assert trackcase.render(_context(case, reopen_form=ReopenForm({"reason": ""}))) is None
    automatic = CaseEvent(
        complaint_id=case.complaint.pk,
        kind=EventKind.MESSAGE_OUT,
        actor_label="sistem",
        body="Jawaban",
        data={"automatic": True},
        is_public=True,
        created_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
    )
    with_answer = dataclasses.replace(case, timeline=[*case.timeline, automatic])
    assert trackcase.render(_context(with_answer)) is None
    no_case = _context(None)
    assert trackcase.render(no_case) == render_to_string("portal/_track_case.html", no_case)


def test_the_timeline_is_read_as_the_query_set_reads_it(responded):
    from django.utils import timezone

    from aduan.complaints.selectors import complaint_public_timeline
    from aduan.portal.selectors import _TIMELINE_COLUMNS, PublicEvent, _timeline_of

    assert PublicEvent._fields == _TIMELINE_COLUMNS  # the tuple's fields in the row's order

    CaseEvent.objects.create(  # a JSON payload and a moment with its fractions of a second
        complaint=responded, kind=EventKind.MESSAGE_OUT, is_public=True, body="Jawaban",
        data={"automatic": True, "n": [1, "dua"]}, created_at=timezone.now())

    def seen(events):  # type: ignore[no-untyped-def]
        return [(e.pk, e.complaint_id, e.kind, e.actor_id, e.actor_label, e.is_public, e.body,
                 e.data, e.created_at) for e in events]

    expected = complaint_public_timeline(responded)
    assert len(expected) >= 3 and expected[-1].data == {"automatic": True, "n": [1, "dua"]}
    assert seen(_timeline_of(responded.pk)) == seen(expected)
    assert _timeline_of(responded.pk)[-1].created_at.tzinfo is not None


def test_the_lookups_one_statement_reads_the_timeline_as_the_query_set_reads_it(responded):
    """public_case_find reads the public events with the case (one statement): the same
    events as complaint_public_timeline, in its order, internal notes left out."""
    from django.utils import timezone

    from aduan.complaints.selectors import complaint_public_timeline

    CaseEvent.objects.create(complaint=responded, kind=EventKind.NOTE, is_public=False,
                             body="internal", created_at=timezone.now())
    CaseEvent.objects.create(complaint=responded, kind=EventKind.MESSAGE_OUT, is_public=True,
                             body="Jawaban", data={"n": [1, "dua"]}, created_at=timezone.now())

    def seen(events):  # type: ignore[no-untyped-def]
        return [(e.pk, e.complaint_id, e.kind, e.actor_id, e.actor_label, e.is_public, e.body,
                 e.data, e.created_at) for e in events]

    expected = complaint_public_timeline(responded)
    found = public_case_find(responded.tracking_code)
    assert len(expected) >= 3 and all(e.is_public for e in expected)
    assert seen(public_case_of(found).timeline) == seen(expected)
    assert public_case_of(found).complaint.subject == responded.subject
    CaseEvent.objects.filter(complaint=responded).update(is_public=False)
    alone = public_case_find(responded.tracking_code)
    assert alone.pk == responded.pk and public_case_of(alone).timeline == []
