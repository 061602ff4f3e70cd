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
"""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from aduan.complaints.models import EventKind
from aduan.core.templatetags.dates import when
from aduan.portal.templatetags.portal_rating import blank_survey


def _t(message: str) -> str:
    """As `{% translate "literal" %}`: the translation of a template's literal is safe text
    (not escaped)."""
    return gettext(message)


def _csrf(token: str) -> str:
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'


def _case_data(case: Any) -> list[str]:
    """The section's heading and data list, up to its end."""
    c = case.complaint
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
        f'id="case-status">{escape(c.get_status_display())}</span></dd>\n'
        f"    <dt>{_t('Saluran')}</dt><dd>{escape(c.channel.name)}</dd>\n"
        f"    <dt>{_t('Diterima')}</dt><dd>{when(c.received_on)}</dd>\n"
        f"    <dt>{_t('Batas penyelesaian')}</dt><dd>{when(c.due_on)}</dd>\n    "
    )
    if c.completion_due_on:
        out.append(
            f'<dt>{_t("Batas mengirim dokumen")}</dt><dd id="documents-due">'
            f"{when(c.completion_due_on)}</dd>"
        )
    out.append("\n    ")
    if c.settled_on:
        out.append(f"<dt>{_t('Selesai')}</dt><dd>{when(c.settled_on)}")
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


def _satisfaction(c: Any, code: str, token: str) -> str:
    """The satisfaction statement and the reopening form (`code` escaped)."""
    statement = gettext(
        "Saya, pelapor pengaduan nomor %(number)s, menyatakan bahwa pengaduan saya telah "
        "ditanggapi dan diselesaikan dengan baik, dan saya menyetujui pengaduan ini "
        "ditutup."
    ) % {"number": escape(c.register_number)}
    return (
        '\n<section class="card" aria-labelledby="satisfaction-title">\n'
        f'  <h2 id="satisfaction-title">{_t("Apakah Anda puas dengan penyelesaian ini?")}'
        "</h2>\n"
        f'  <form method="post" action="{escape(reverse("portal:confirm-satisfaction"))}" '
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
        f'  <form method="post" action="{escape(reverse("portal:reopen"))}" class="reopen">'
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
    c = case.complaint
    code = escape(context.get("code", ""))
    token = str(context.get("csrf_token", ""))
    out = _case_data(case)
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
    for event in case.timeline:
        actor = (
            officer if event.actor_id else reporter if event.actor_label == "pelapor" else system
        )
        out.append(
            f'<li class="event event-{escape(event.kind)}">\n'
            f'      <p class="event-head"><strong>{escape(event.get_kind_display())}</strong> '
            f'{when(event.created_at)}\n        <span class="event-actor">{actor}</span></p>\n      '
        )
        if event.body:
            out.append(f'<div class="event-body">{linebreaksbr(event.body)}</div>')
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
        out.append(_satisfaction(c, code, token))
    out.append("\n")
    if case.may_rate:
        out.append(blank_survey(context.get("code", ""), token) + "\n")
    elif case.rating:
        out.append(
            '<p class="card" id="rating">'
            + gettext("Anda menilai layanan ini %(score)s dari 4. Terima kasih.")
            % {"score": escape(localize(case.rating.score))}
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
            f'  <form method="post" action="{escape(reverse("rights_portal:start"))}">'
            f'{_csrf(token)}<input type="hidden" name="code" value="{code}">'
            '<button type="submit" class="btn" id="rights-start">'
            f"{_t('Ajukan permintaan data pribadi')}</button></form>\n</section>"
        )
    out.append("\n\n")
    return "".join(out)
