"""The receipt (and every message) renders to the same characters as Django's template engine
gives, whatever path renders it: the plain-parts join of notifications/rendering.py, the
memoised dates and page addresses (issue 17), in both languages and on every channel that
sends a receipt."""

from __future__ import annotations

import pytest
from django.template import Context, Engine
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from aduan.complaints.models import Complaint
from aduan.complaints.workflow import Status
from aduan.notifications.defaults import DEFAULT_TEMPLATES
from aduan.notifications.models import MessageTemplate, OutboxMessage, TemplateCode
from aduan.notifications.rendering import _plain_parts, format_date, render_text
from aduan.notifications.tests.factories import register
from aduan.offices.models import ChannelKind
from aduan.portal.testing import form_token

NAMES = ["office_name", "office_short_name", "office_phone", "register_number", "tracking_code",
         "tracking_url", "survey_url", "complaint_subject", "received_date", "due_date",
         "settle_days", "status", "message", "agency_name", "agency_contact",
         "completion_due_date", "auto_close_date", "reporter_name", "previous_office_name",
         "previous_register_number", "reason", "case_url"]


def _engine(text: str, context: dict) -> str:
    """Today's rendering: Django's engine, configured as notifications/rendering.py's."""
    engine = Engine(dirs=[], app_dirs=False, autoescape=False, libraries={}, loaders=[])
    return engine.from_string(text).render(Context(context, autoescape=False)).strip()


def _texts() -> list[str]:
    return [text for texts in DEFAULT_TEMPLATES.values() for text in texts.values()]


def test_the_receipt_and_the_messages_without_tags_are_rendered_without_the_engine():
    assert all(_plain_parts(text) is not None
               for text in DEFAULT_TEMPLATES[TemplateCode.RECEIPT].values())
    plain = [text for text in _texts() if "{%" not in text]
    assert len(plain) > 30 and all(_plain_parts(text) is not None for text in plain)
    assert all(_plain_parts(text) is None for text in _texts() if "{%" in text)


values = st.one_of(st.just(""), st.just(" "), st.text(max_size=30),
                   st.sampled_from(["{{ x }}", "%s", "<b>&amp;</b>", "Bapak/Ibu", "\n"]))


@settings(max_examples=150, deadline=None)
@given(context=st.dictionaries(st.sampled_from(NAMES), values), text=st.sampled_from(_texts()))
def test_render_text_equals_the_engine_for_the_default_messages(context, text):
    """Any strings, empty ones and missing names (the `default` filter, a missing name)."""
    assert render_text(text, context) == _engine(text, context)


@pytest.mark.parametrize("text", [
    "{% if reporter_name %}Yth. {{ reporter_name }}{% endif %} {{ register_number }}",
    "{{ reporter_name|upper }} {{ register_number|default:'-' }}",
    "{{ reporter_name|default:register_number }}",
    "{{ office.name }} {{ True }} {{ None }}",
    "{{ 'literal' }} {{ reporter_name|default:'A'|lower }}",
    "{# note #}{{ reporter_name }}{% now 'Y' as year %}",
    "  plain text only  ",
    "",
])
@pytest.mark.parametrize("context", [
    {"reporter_name": "Siti", "register_number": "500/1/2026", "office": {"name": "DPMPTSP"}},
    {"reporter_name": "", "register_number": ""},
    {"reporter_name": 7, "register_number": None},  # not strings: the engine converts them
    {},
])
def test_other_templates_and_values_render_as_the_engine_does(text, context):
    try:
        expected = _engine(text, context)
    except Exception as exc:  # a filter argument naming a missing variable: the same error
        with pytest.raises(type(exc)):
            render_text(text, context)
    else:
        assert render_text(text, context) == expected


@pytest.mark.parametrize("language", ["id", "en"])
def test_dates_are_formatted_as_django_formats_them_in_the_active_language(language):
    import datetime as dt

    with translation.override(language):
        for day in (dt.date(2026, 1, 31), dt.date(2026, 5, 2), dt.date(2026, 12, 7)):
            assert format_date(day) == formats.date_format(day, "DATE_FORMAT")
            assert format_date(day) == formats.date_format(day, "DATE_FORMAT")  # memoised
        moment = dt.datetime(2026, 8, 17, 10, 0)
        assert format_date(moment) == formats.date_format(moment, "DATE_FORMAT")
    with translation.override("id"):
        indonesian = format_date(dt.date(2026, 5, 2))
    with translation.override("en"):
        assert format_date(dt.date(2026, 5, 2)) != indonesian  # "Mei" / "May"


def _receipt_today(complaint: Complaint, channel: str, anonymous_notice: str) -> tuple[str, str]:
    """The receipt's subject and text as they were rendered before issue 17's cuts: the
    context built with Django's own date formatting and reverse(), rendered by the engine."""
    office, reporter = complaint.office, complaint.reporter
    public = "http://testserver"

    def date(value):  # type: ignore[no-untyped-def]
        return formats.date_format(value, "DATE_FORMAT") if value else ""

    context = {
        "office_name": office.name, "office_short_name": office.short_name,
        "office_phone": office.phone, "register_number": complaint.register_number,
        "tracking_code": complaint.tracking_code,
        "tracking_url": public + reverse("portal:track"),
        "survey_url": public + reverse("portal:survey"),
        "complaint_subject": complaint.subject, "received_date": date(complaint.received_on),
        "due_date": date(complaint.due_on), "settle_days": str(office.settle_days),
        "status": str(Status(complaint.status).label),
        "completion_due_date": date(complaint.completion_due_on),
        "auto_close_date": date(complaint.auto_close_on),
        "reporter_name": "" if reporter.is_anonymous else reporter.name,
        "message": complaint.events.get(kind="received").body,
    }
    texts = DEFAULT_TEMPLATES[TemplateCode.RECEIPT]
    body = _engine(texts["body"], context)
    short = _engine(texts["short_body"], context) or body
    if anonymous_notice:
        body, short = f"{body}\n\n{anonymous_notice}", f"{short}\n\n{anonymous_notice}"
    if channel == "email":
        return f"[{complaint.register_number}] {_engine(texts['subject'], context)}"[:300], body
    return "", short


NOTICE = {"id": "Pengaduan Anda dicatat tanpa identitas (anonim): nama Anda tidak disimpan; "
                "nomor atau alamat ini hanya dipakai untuk mengirim kabar pengaduan ini."}


@pytest.fixture
def public_url(settings):
    settings.ADUAN_PUBLIC_URL = "http://testserver"
    settings.ADUAN_WHATSAPP_ENABLED = True
    settings.ADUAN_SMS_ENABLED = True


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("anonymous", [False, True])
def test_the_receipt_on_every_channel_is_the_text_rendered_before(public_url, office, language,
                                                                  anonymous):
    """E-mail and WhatsApp (a web complaint with both contacts), SMS (a text-message
    complaint), named and anonymous, registered under each language."""
    sms = office.channels.create(code="sms", name="SMS", kind=ChannelKind.SMS)
    cases = []
    with translation.override(language):
        for channel in (office.channels.get(code="website"), sms):
            complaint = register(office, channel, email="rina@example.id", phone="081268610005",
                                 anonymous=anonymous, name="" if anonymous else "Rina Wati")
            cases.append(complaint)
        notice = ""
        if anonymous:
            notice = translation.gettext(NOTICE["id"])
        seen = set()
        for registered in cases:
            complaint = Complaint.objects.select_related("office", "reporter").get(
                pk=registered.pk)
            for message in OutboxMessage.objects.filter(complaint=complaint):
                seen.add(message.channel)
                assert (message.subject, message.body) == _receipt_today(
                    complaint, message.channel, notice)
    assert seen == {"email", "whatsapp", "sms"}


@pytest.mark.django_db
def test_an_offices_own_receipt_with_tags_is_rendered_by_the_engine(public_url, office):
    MessageTemplate.objects.update_or_create(code=TemplateCode.RECEIPT, defaults={
        "subject": "Diterima", "short_body": "{{ register_number|lower }}",
        "body": "{% if reporter_name %}Yth. {{ reporter_name }}{% else %}Yth. Bapak/Ibu"
                "{% endif %}, nomor {{ register_number }} pada {{ received_date }}."})
    complaint = register(office, office.channels.get(code="website"), email="r@example.id")
    message = OutboxMessage.objects.get(complaint=complaint)
    assert message.body == (f"Yth. Rina Wati, nomor {complaint.register_number} pada "
                            f"{formats.date_format(complaint.received_on, 'DATE_FORMAT')}.")


@pytest.mark.django_db
def test_a_web_submission_in_english_gets_the_receipt_rendered_before(public_url, office):
    """Through the portal (the request's language from its cookie), as a reporter sends it."""
    client = Client()
    client.cookies["django_language"] = "en"
    client.get(reverse("portal:submit"))
    response = client.post(reverse("portal:submit"), {
        "name": "Rina Wati", "phone": "081268610005", "email": "rina@example.id",
        "consent": "on", "subject": "SIP bidan", "description": "Izin belum terbit.",
        "website": "", "form_token": form_token(age=60)})
    assert response.status_code == 302
    complaint = Complaint.objects.select_related("office", "reporter").latest("pk")
    with translation.override("en"):
        for message in OutboxMessage.objects.filter(complaint=complaint):
            assert (message.subject, message.body) == _receipt_today(
                complaint, message.channel, "")


# --- An office's own message, written with any syntax the engine takes (review, session 8) ---

_pieces = st.sampled_from([
    "Yth. ", "{{ reporter_name }}", "{{ register_number|default:'-' }}",
    '{{ reporter_name | default:"Bapak/Ibu" }}', '{{ reporter_name|default:_("Pelapor") }}',
    "{{ tracking_code|default:_('Kode pelacakan') }}", "{# a note #}", " {{ x }} % ",
    "{% verbatim %}{{ reporter_name }}{% endverbatim %}", "{{ register_number|default:'' }}",
    "{{ reporter_name.upper }}", "\n", "<b>&</b>"])
_values = st.one_of(st.just(""), st.sampled_from(["Siti", "<i>Rina</i> & {{ x }}", "50%"]),
                    st.none(), st.integers(0, 9))


@settings(max_examples=120, deadline=None)
@given(pieces=st.lists(_pieces, max_size=6),
       context=st.dictionaries(st.sampled_from(["reporter_name", "register_number",
                                                "tracking_code", "x"]), _values),
       languages=st.lists(st.sampled_from(["id", "en"]), min_size=2, max_size=3))
def test_an_offices_own_message_renders_as_the_engine_in_each_language(pieces, context,
                                                                        languages):
    """Whatever language rendered a text first (the parts are kept per text, across
    requests), every later rendering gives what the engine gives in its own language: a
    translated `default:_("...")` follows the language of the rendering."""
    text = "".join(pieces)
    for language in languages:
        with translation.override(language):
            assert render_text(text, context) == _engine(text, context), language


def test_a_translated_default_is_translated_when_rendered_not_when_first_seen():
    text = '{{ reporter_name|default:_("Pelapor") }}, nomor {{ register_number }}'
    context = {"reporter_name": "", "register_number": "1/2026"}
    with translation.override("id"):
        assert render_text(text, context) == "Pelapor, nomor 1/2026"
    with translation.override("en"):
        assert render_text(text, context) == "Reporter, nomor 1/2026"


@pytest.mark.django_db
def test_an_edited_template_is_the_text_of_the_next_message(office):
    """The parts are kept per text: an administrator's edit is a new text, read at once."""
    from aduan.notifications.services import message_render

    row, _ = MessageTemplate.objects.update_or_create(code=TemplateCode.RECEIPT, defaults={
        "subject": "S", "short_body": "", "body": "Nomor {{ register_number }}."})
    context = {"register_number": "1/2026", "reporter_name": ""}
    assert message_render(TemplateCode.RECEIPT, context).body == "Nomor 1/2026."
    row.body = "No. {{ register_number }}, {{ reporter_name|default:'Bapak/Ibu' }}."
    row.save()
    assert message_render(TemplateCode.RECEIPT, context).body == "No. 1/2026, Bapak/Ibu."
