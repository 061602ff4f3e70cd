"""The case's part of the tracking page (templates/portal/_track_case.html) written in Python,
for a first lookup with nothing returned to the visitor (issue 17).

A first lookup (the page memo holds about 125 pages; most random codes are first lookups)
spent about half of its CPU in Django's template engine on this fragment: thirteen
`{% translate %}` nodes, five dates, the timeline loop, three `{% url %}` tags. Here the same
HTML is built with string joins; `portal/tests/test_track_fragment.py` renders both for cases
in every shape the page has (statuses, settled, completion due, handled by another office,
anonymised reporter, rated, found by number, bodies with markup and line breaks) in both
languages and requires them to be equal byte for byte, so a change to the template that is not
made here too fails the tests.

Only the plain case: a page with a form returned with errors goes through the template, and
so does a case whose timeline shows an automatic answer (assist/_instant_public.html,
rare). `render` answers None for those.

The page's fixed words (the literals' translations, the status and event labels, the forms'
addresses) are looked up once per language, script prefix and URL configuration (`_Words`):
gettext, the lazy choice labels and `reverse` cost a fifth of the fragment per lookup
otherwise. Values are escaped with the standard library's `html.escape`, which is what
Django's `escape` calls (without its lazy-text wrapper).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from itertools import islice
from typing import Any

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import localize
from django.utils.translation import get_language, gettext, ngettext

from aduan.complaints.models import EventKind, _choice_label
from aduan.complaints.workflow import Status
from aduan.core.templatetags.dates import moment_writer, when
from aduan.portal.templatetags.portal_rating import blank_survey

_escape = html.escape  # django.utils.html.escape's own function (quote=True: & < > " ')
# Dates written per language: at most DATES_KEPT, about 600 kB each when full (11 years of
# days); when full the older half (first written) is dropped. 2,048 (5.6 years) was fewer than
# the days a busy office's cases show (received, due, settled over 8 years: 2,900 days in the
# harness's 100,000 cases), so random lookups emptied it over and over (issue 17, session 10).
DATES_KEPT = 4096
_NEWLINES = re.compile(r"\r\n|\r")  # django.utils.text.normalize_newlines


class _Words:
    """The fixed words of the fragment in one language under one script prefix and URL
    configuration, each looked up on first use."""

    def __init__(self, language: str) -> None:
        self.text: dict[str, str] = {}
        self.urls: dict[str, str] = {}
        self.statuses: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        # Shared by the prefixes of one language (a date is written the same under each).
        self.dates = _dates.setdefault(language, {})

    def t(self, message: str) -> str:
        """As `{% translate "literal" %}`: the translation of a template's literal is safe
        text (not escaped)."""
        value = self.text.get(message)
        if value is None:
            value = self.text[message] = gettext(message)
        return value

    def url(self, name: str) -> str:
        value = self.urls.get(name)
        if value is None:
            value = self.urls[name] = _escape(reverse(name))
        return value

    def status(self, status: str) -> str:
        value = self.statuses.get(status)
        if value is None:
            value = self.statuses[status] = _escape(_choice_label(Status, status))
        return value

    def date(self, value: dt.date) -> str:
        """`{{ value|when }}` of a date (not a moment): cases share their days."""
        dates = self.dates
        text = dates.get(value)
        if text is None:
            if len(dates) >= DATES_KEPT:
                try:
                    for old in list(islice(dates, DATES_KEPT // 2)):
                        dates.pop(old, None)
                except RuntimeError:  # another thread wrote meanwhile (gthread workers)
                    dates.clear()
            text = dates[value] = when(value)
        return text

    def kind(self, kind: str) -> str:
        value = self.kinds.get(kind)
        if value is None:
            value = self.kinds[kind] = _escape(_choice_label(EventKind, kind))
        return value


_words: dict[tuple[Any, ...], _Words] = {}
_dates: dict[str, dict[dt.date, str]] = {}


def _words_here() -> _Words:
    key = (get_language(), get_script_prefix(), get_urlconf())
    words = _words.get(key)
    if words is None:
        words = _words[key] = _Words(key[0])
    return words


def _forget_words(*, setting: str, **kwargs: Any) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "ROOT_URLCONF", "USE_I18N",
                   "DATE_FORMAT", "FORMAT_MODULE_PATH"}:
        _words.clear()
        _dates.clear()


setting_changed.connect(_forget_words)


def _linebreaksbr(value: str) -> str:
    """As `{{ value|linebreaksbr }}` for text that is not marked safe."""
    return _escape(_NEWLINES.sub("\n", value)).replace("\n", "<br>")


def _csrf(token: str) -> str:
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{_escape(token)}">'


def _case_data(case: Any, w: _Words) -> list[str]:
    """The section's heading and data list, up to its end."""
    _t = w.t
    c = case.complaint
    escape = _escape
    out = [
        '\n\n<section class="card case" aria-labelledby="case-title">\n',
        f'  <h2 id="case-title">{escape(c.subject)}</h2>\n  <dl class="case-data">\n',
        f"    <dt>{_t('Nomor pengaduan')}</dt><dd>{escape(c.register_number)}</dd>\n    ",
    ]
    if case.handled_by:
        out.append(
            f'<dt>{_t("Ditangani oleh")}</dt><dd id="case-office">{escape(case.handled_by)}</dd>'
        )
    out.append(
        f'\n    <dt>{_t("Status")}</dt><dd><span class="status status-{escape(c.status)}" '
        f'id="case-status">{w.status(c.status)}</span></dd>\n'
        f"    <dt>{_t('Saluran')}</dt><dd>{escape(c.channel.name)}</dd>\n"
        f"    <dt>{_t('Diterima')}</dt><dd>{w.date(c.received_on)}</dd>\n"
        f"    <dt>{_t('Batas penyelesaian')}</dt><dd>{w.date(c.due_on)}</dd>\n    "
    )
    if c.completion_due_on:
        out.append(
            f'<dt>{_t("Batas mengirim dokumen")}</dt><dd id="documents-due">'
            f"{w.date(c.completion_due_on)}</dd>"
        )
    out.append("\n    ")
    if c.settled_on:
        out.append(f"<dt>{_t('Selesai')}</dt><dd>{w.date(c.settled_on)}")
        if c.working_days_taken:
            days = c.working_days_taken
            out.append(
                " ("
                + ngettext("%(n)s hari kerja", "%(n)s hari kerja", days)
                % {"n": escape(localize(days))}
                + ")"
            )
        out.append("</dd>")
    return out


def _satisfaction(c: Any, code: str, token: str, w: _Words) -> str:
    """The satisfaction statement and the reopening form (`code` escaped)."""
    _t = w.t
    statement = _t(
        "Saya, pelapor pengaduan nomor %(number)s, menyatakan bahwa pengaduan saya telah "
        "ditanggapi dan diselesaikan dengan baik, dan saya menyetujui pengaduan ini "
        "ditutup."
    ) % {"number": _escape(c.register_number)}
    return (
        '\n<section class="card" aria-labelledby="satisfaction-title">\n'
        f'  <h2 id="satisfaction-title">{_t("Apakah Anda puas dengan penyelesaian ini?")}'
        "</h2>\n"
        f'  <form method="post" action="{w.url("portal:confirm-satisfaction")}" '
        f'class="statement">{_csrf(token)}\n'
        f'    <input type="hidden" name="code" value="{code}">\n'
        f'    <p class="statement-text">{statement}</p>\n'
        '    <div class="field field-check">\n'
        '      <input type="checkbox" name="agree" id="id_agree" required> '
        '<label for="id_agree">'
        f"{_t('Saya menyatakan puas atas penyelesaian pengaduan ini.')}</label>\n"
        "      \n    </div>\n"
        '    <button type="submit" class="btn btn-primary" id="confirm-satisfied">'
        f"{_t('Saya puas')}</button>\n  </form>\n"
        f'  <form method="post" action="{w.url("portal:reopen")}" class="reopen">'
        f"{_csrf(token)}\n"
        f'    <input type="hidden" name="code" value="{code}">\n'
        '    <div class="field">\n'
        f'      <label for="id_reason">{_t("Mengapa Anda belum puas?")} '
        '<span class="req" aria-hidden="true">*</span></label>\n'
        '      <textarea name="reason" id="id_reason" rows="3" maxlength="5000" required>'
        "</textarea>\n      \n    </div>\n"
        '    <button type="submit" class="btn" id="reopen-submit">'
        f"{_t('Saya belum puas, buka kembali')}</button>\n  </form>\n"
        '  <p class="help">'
        f"{_t('Bila tetap tidak puas, Anda dapat melapor ke Ombudsman Republik Indonesia.')}"
        "</p>\n</section>\n"
    )


def render(context: dict[str, Any]) -> str | None:
    """The fragment for `context` (`case`, `code`, `csrf_token`), or None when the template
    must render it (a form returned, an automatic answer on the timeline)."""
    if any(context.get(name) for name in ("satisfaction_form", "reopen_form", "rating_form")):
        return None
    case = context.get("case")
    if not case:
        return "\n\n"
    if any(
        e.kind == EventKind.MESSAGE_OUT and (e.data or {}).get("automatic") for e in case.timeline
    ):
        return None
    w = _words_here()
    _t = w.t
    code = _escape(str(context.get("code", "")))
    token = str(context.get("csrf_token", ""))
    out = _case_data(case, w)
    out.append("\n  </dl>\n  ")
    if case.by_number:
        out.append(
            '<p class="notice" id="by-number-note">'
            + _t(
                "Pengaduan ini ditemukan dengan nomor pengaduan. Untuk menyatakan puas, membuka "
                "kembali, atau menilai layanan, gunakan kode pelacakan pada tanda terima Anda."
            )
            + "</p>"
        )
    out.append(f'\n  <h3>{_t("Riwayat")}</h3>\n  <ol class="timeline" id="timeline">\n    ')
    officer, reporter, system = _t("Petugas"), _t("Pelapor"), _t("Sistem")
    moment = moment_writer()
    for event in case.timeline:
        actor = (
            officer if event.actor_id else reporter if event.actor_label == "pelapor" else system
        )
        out.append(
            f'<li class="event event-{_escape(event.kind)}">\n'
            f'      <p class="event-head"><strong>{w.kind(event.kind)}</strong> '
            f'{moment(event.created_at)}\n        <span class="event-actor">{actor}</span></p>\n      '
        )
        if event.body:
            out.append(f'<div class="event-body">{_linebreaksbr(event.body)}</div>')
        out.append("\n    </li>")
    out.append("\n  </ol>\n</section>\n\n")
    if case.is_anonymised:
        out.append(
            '<p class="card" id="anonymised-note">'
            + _t(
                "Data pribadi pelapor pengaduan ini telah dianonimkan. Kode ini hanya menampilkan "
                "perkembangan pengaduan; pengaduan tidak dapat dibuka kembali atau dinilai dengan "
                "kode ini. Bila masih ada masalah, silakan ajukan pengaduan baru."
            )
            + "</p>"
        )
    out.append("\n")
    if case.may_confirm:
        out.append(_satisfaction(case.complaint, code, token, w))
    out.append("\n")
    if case.may_rate:
        out.append(blank_survey(context.get("code", ""), token) + "\n")
    elif case.rating:
        out.append(
            '<p class="card" id="rating">'
            + _t("Anda menilai layanan ini %(score)s dari 4. Terima kasih.")
            % {"score": _escape(localize(case.rating.score))}
            + "</p>"
        )
    out.append("\n")
    if not case.is_anonymised:
        out.append(
            '<section class="card rights-link" aria-labelledby="rights-title">\n'
            f'  <h2 id="rights-title">{_t("Data pribadi Anda")}</h2>\n  <p>'
            + _t(
                "Anda dapat meminta untuk melihat, memperbaiki, membatasi pemrosesan atau "
                "menghapus data pribadi Anda (UU 27/2022). Kami mengirim kode verifikasi ke "
                "nomor atau e-mail Anda."
            )
            + "</p>\n"
            f'  <form method="post" action="{w.url("rights_portal:start")}">'
            f'{_csrf(token)}<input type="hidden" name="code" value="{code}">'
            '<button type="submit" class="btn" id="rights-start">'
            f"{_t('Ajukan permintaan data pribadi')}</button></form>\n</section>"
        )
    out.append("\n\n")
    return "".join(out)
