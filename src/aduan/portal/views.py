"""Public portal views: home, submit, confirmation, tracking with satisfaction and rating,
knowledge pages and open statistics. Thin: parse, call one selector/service, render."""

from __future__ import annotations

import hashlib
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aduan.api.reporter_limits import limit_lookup, limit_reporter_action
from aduan.complaints.attachments import StorageFull, attachment_display_name
from aduan.complaints.models import Complaint
from aduan.complaints.selectors import normalise_register_number, tracked_get
from aduan.complaints.services import complaint_confirm_satisfaction, complaint_reopen
from aduan.complaints.submissions import (
    Once,
    SubmissionPending,
    submission_key_used,
    submission_receipt,
)
from aduan.complaints.tracking import MAX_INPUT, code_candidates
from aduan.core.cells import csv_attachment
from aduan.core.exceptions import ApplicationError, NotFound
from aduan.core.ratelimit import (
    RateLimited,
    check_rate,
    client_address,
    contact_ident,
    rate_count,
    rate_refund,
)
from aduan.ikm.scoring import ELEMENT_CODES
from aduan.offices.middleware import office_home_url, request_office
from aduan.offices.selectors import (
    channel_list_active,
    office_list_public,
    office_routes,
)
from aduan.portal import pagecache, throttle
from aduan.portal.forms import (
    ComplaintForm,
    RatingForm,
    ReopenForm,
    SatisfactionForm,
    SearchForm,
    TrackForm,
)
from aduan.portal.selectors import (
    faq_search,
    public_case_find,
    public_case_get,
    public_case_get_by_number,
    public_case_of,
    public_stats,
    public_stats_rows,
    referral_search,
    stats_years,
)
from aduan.portal.services import (
    complaint_rate,
    portal_complaint_submit,
    portal_submission_accept,
)
from aduan.portal.uploads import SizeLimitUploadHandler

if TYPE_CHECKING:
    from aduan.offices.models import Office

_RECEIPT_SALT = "aduan.portal.receipt"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    office = request_office(request)
    routes = office_routes()
    # A regency's default office (its central intake) lists the offices of the instance; a
    # single-office deployment has none to list and its home is unchanged.
    offices = ([(o, office_home_url(request, o)) for o in office_list_public() if o.pk != office.pk]
               if routes.default is not None and office.pk == routes.default.pk
               and len(routes.active) > 1 else [])
    return render(request, "portal/home.html", {"channels": channel_list_active(office),
                                                "offices": offices})


# --- Submit ---------------------------------------------------------------------------------


@csrf_exempt  # the size-limit handler must be installed before CSRF reads the body
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _submit(request)


@csrf_protect
def _submit(request: HttpRequest) -> HttpResponse:
    office = request_office(request)
    if request.method != "POST":
        # Memoised per process with both tokens written in per answer (pagecache.form_page).
        def blank(csrf_token: str, form_token: str) -> str:
            form = ComplaintForm(office=office, initial={"form_token": form_token})
            return render_to_string("portal/submit.html",
                                    {"form": form, "csrf_token": csrf_token}, request=request)

        return pagecache.form_page(request, blank)
    form = ComplaintForm(request.POST, request.FILES, office=office)
    token = throttle.form_token_read(request.POST.get("form_token", ""))
    problems = _submission_problems(request, token)
    status = 422
    if form.is_valid() and not problems:
        once = Once("web", token.nonce)
        limited, counted = _submit_limited(request, form)
        if limited is not None:
            # A replay of a form already accepted (a double click near the limit) gets its
            # first receipt, uncounted; a fresh token gets the 429.
            if (first := submission_key_used(once)) is not None:
                _refund(counted)
                return _to_receipt(f"s{first}")
            problems.append(limited[0])
            status = 429
        else:
            try:
                return _submit_valid(request, office, form, once, counted)
            except ApplicationError as exc:
                problems.append(exc.message)
                status = 507 if isinstance(exc, StorageFull) else 422
                for field, messages in exc.extra.get("errors", {}).items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
    if not token.ok:
        # Keep a valid token: the time already spent on the form still counts.
        form.data = form.data.copy()
        form.data["form_token"] = throttle.form_token()
    response = _submit_again(request, form, problems, limited=status == 429)
    response.status_code = status
    # The page shows the reporter's name, contact and complaint again: kept by no cache.
    response["Cache-Control"] = "no-store"
    if status == 429:
        response["Retry-After"] = str(limited[1])  # type: ignore[index]
    return response


def _submit_again(request: HttpRequest, form: ComplaintForm, problems: list[str], *,
                  limited: bool) -> HttpResponse:
    """The form shown again with the reporter's values and the problems. One problem and no
    field errors nor files (a refusal by a rate limit, a form token too fast or expired):
    from the memoised page with the values written in (pagecache.refill_page), which costs a
    fraction of rendering the bound form (issue 17)."""
    def page(shown: BaseForm, problem: str, csrf_token: str) -> str:
        return render_to_string("portal/submit.html", {
            "form": shown, "problems": [problem], "refill_files": [], "limited": limited,
            "csrf_token": csrf_token}, request=request)

    oversized = getattr(request, "oversized_files", [])
    if len(problems) == 1 and not form.errors and not oversized and (
            refilled := pagecache.refill_page(request, form, problem=problems[0],
                                              limited=limited, render=page)) is not None:
        return refilled
    # Browsers cannot refill a file input: name every file the reporter must choose again.
    refill = [attachment_display_name(f.name or "") for f in request.FILES.getlist("attachments")]
    refill += [attachment_display_name(n) for n in oversized]
    return render(request, "portal/submit.html", {
        "form": form, "problems": problems, "refill_files": refill, "limited": limited})


def _submit_valid(request: HttpRequest, office: Office, form: ComplaintForm, once: Once,
                  counted: list[tuple[str, str, int]]) -> HttpResponse:
    """A valid submission within its limits: to its receipt (a replay or a double click: the
    first submission's, its counts taken back). ApplicationError when it is refused."""
    files = request.FILES.getlist("attachments")
    try:
        if not files:
            # One durable row now, the case registered by the worker (decision 0015).
            accepted = portal_submission_accept(
                office=office, submission=form.submission(),
                reporter=form.reporter_input(), once=once)
            if accepted.replayed:
                _refund(counted)
            return _to_receipt(f"s{accepted.key.pk}")
        # With attachments: registered in the request, as before (decision 0015).
        outcome = portal_complaint_submit(
            office=office, submission=form.submission(),
            reporter=form.reporter_input(), files=files, once=once)
    except SubmissionPending as pending:
        # A replay, with files, of a token whose first submission is still pending.
        _refund(counted)
        return _to_receipt(f"s{pending.key.pk}")
    if outcome.replayed:
        _refund(counted)
    return _to_receipt(outcome.complaint.pk)


def _to_receipt(value: int | str) -> HttpResponse:
    """To the receipt page: a case's id, or "s<id>" of an accepted submission's key row."""
    receipt = signing.dumps(value, salt=_RECEIPT_SALT)
    # The response `redirect()` makes, without its attempt to reverse() the finished URL as
    # a view name first (a failed URL resolution per submission, issue 17).
    return HttpResponseRedirect(f"{_receipt_path()}?r={receipt}")


# reverse("portal:submitted") per script prefix (an office's path, offices/middleware.py) and URL
# conf: a URL resolution was 2 % of an accepted submission's instructions (issue 17). Bounded:
# emptied past RECEIPT_PATHS entries and when the URL conf setting changes (tests).
RECEIPT_PATHS = 64
_receipt_paths: dict[tuple[str, object], str] = {}


def _receipt_path() -> str:
    key = (get_script_prefix(), get_urlconf())
    path = _receipt_paths.get(key)
    if path is None:
        if len(_receipt_paths) >= RECEIPT_PATHS:
            _receipt_paths.clear()
        path = _receipt_paths[key] = reverse("portal:submitted")
    return path


def _forget_receipt_paths(*, setting: str, **kwargs: object) -> None:
    if setting == "ROOT_URLCONF":
        _receipt_paths.clear()


setting_changed.connect(_forget_receipt_paths)


def _submit_limited(request: HttpRequest, form: ComplaintForm
                    ) -> tuple[tuple[str, int] | None, list[tuple[str, str, int]]]:
    """Count the submission against the address's and the reporter's contact's limits
    (aduan.core.ratelimit): the message and Retry-After when one is over (else None), and the
    buckets counted (taken back for a replay, `_refund`)."""
    data = form.cleaned_data
    # One time for the counts and their refund: a refund takes back from the window counted
    # in, not from the next one (review of session 10).
    at = int(time.time())
    address = client_address(request)
    counted = [("web_submit", address, at)]
    if (retry := rate_count("web_submit", address, at=at)) is None:
        contact = contact_ident(data.get("phone", ""), data.get("email", ""))
        counted.append(("submit_contact", contact, at))
        if (retry := rate_count("submit_contact", contact, at=at)) is None:
            return None, counted
    minutes = max(1, -(-retry // 60))
    return (_("Terlalu banyak pengaduan dari alamat atau kontak Anda dalam waktu singkat. "
              "Isian Anda tetap ada di bawah: kirim lagi dalam %(minutes)s menit, atau "
              "hubungi kami lewat saluran lain.") % {"minutes": minutes}, retry), counted


def _refund(counted: list[tuple[str, str, int]]) -> None:
    """A replay of an accepted form is no new submission: its counts are taken back."""
    for scope, ident, at in counted:
        rate_refund(scope, ident, at=at)


def _submission_problems(request: HttpRequest, token: throttle.FormToken) -> list[str]:
    problems = []
    if request.POST.get("website"):
        problems.append(_("Pengaduan tidak dapat diterima. Muat ulang halaman lalu coba lagi."))
    elif not token.ok:
        problems.append(_("Formulir terkirim terlalu cepat atau sudah kedaluwarsa. Periksa "
                          "isian Anda, lalu tekan Kirim sekali lagi."))
    for name in getattr(request, "oversized_files", []):
        problems.append(
            _("Berkas \u201c%(name)s\u201d terlalu besar (maksimal %(max)s MB).")
            % {"name": attachment_display_name(name),
               "max": settings.ADUAN_MAX_ATTACHMENT_BYTES // (1024 * 1024)})
    return problems


@require_GET
def submitted(request: HttpRequest) -> HttpResponse:
    """The receipt on screen: register number and tracking code (valid for an hour). An
    accepted submission the worker has not registered yet shows its tracking code at once and
    says the number follows; reloading the page shows it once registered."""
    try:
        pk = signing.loads(request.GET.get("r", ""), salt=_RECEIPT_SALT, max_age=60 * 60)
    except signing.BadSignature:
        raise Http404(_("Tanda terima tidak ditemukan atau sudah kedaluwarsa.")) from None
    if isinstance(pk, str) and pk.startswith("s") and pk[1:].isdigit():
        accepted = submission_receipt(int(pk[1:]))
        if accepted is None:
            raise Http404
        if accepted.complaint_id is None:
            response = render(request, "portal/submitted.html", {
                "pending": accepted, "has_email": accepted.has_email,
                "has_phone": accepted.has_phone})
            response["Cache-Control"] = "no-store"
            return response
        pk = accepted.complaint_id
    complaint = Complaint.objects.select_related("reporter").filter(pk=pk).first()
    if complaint is None:
        raise Http404
    response = render(request, "portal/submitted.html", {
        "complaint": complaint, "has_email": bool(complaint.reporter.email),
        "has_phone": bool(complaint.reporter.phone)})
    response["Cache-Control"] = "no-store"
    return response


# --- Track ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Lihat pengaduan: the code is POSTed (kept out of URLs and logs); rate limited per
    address and per code. Any input is looked up, so a malformed, an unknown and a secret
    case's code get one and the same answer; only an empty field gets a form error."""
    if request.method != "POST":
        return render(request, "portal/track.html", {"code": ""})
    if "number" in request.POST:
        return _track_by_number(request)
    code = _code(request)
    if code:
        return _render_case(request, code)
    form = TrackForm(request.POST)
    form.is_valid()
    return render(request, "portal/track.html", {"form": form, "code": ""}, status=422)


NOT_FOUND_BY_NUMBER = _lazy(
    "Tidak ada pengaduan dengan nomor pengaduan dan empat angka terakhir nomor HP itu. "
    "Periksa nomor pada tanda terima (mis. 500.16.7.2/12/DPMPTSP/2025) dan nomor HP yang Anda "
    "cantumkan saat mengadu. Pengaduan tanpa nomor HP hanya dapat dilihat dengan kode "
    "pelacakan; bila kode hilang, hubungi kantor.")


def _track_by_number(request: HttpRequest) -> HttpResponse:
    """The second way in: register number + the phone's last four digits. Limited per address
    and per number (four digits are guessable); one answer for every kind of miss."""
    number = request.POST.get("number", "")[:120]
    digits = request.POST.get("phone_last4", "")[:12]
    context: dict = {"code": "", "number": number.strip()[:100], "by_number_form": True}
    if not number.strip() or not digits.strip():
        context["number_error"] = _("Isi nomor pengaduan dan empat angka terakhir nomor HP.")
        return render(request, "portal/track.html", context, status=422)
    if not throttle.hit("track", request):
        return _refused(request, None)
    try:
        check_rate("track_number_address", client_address(request))
        check_rate("track_number", hashlib.blake2b(
            normalise_register_number(number).upper().encode(), digest_size=12).hexdigest())
    except RateLimited as exc:
        response = render(request, "portal/track.html",
                          {**context, "number_error": exc.message}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    try:
        case = public_case_get_by_number(number, digits, office_id=request_office(request).pk)
    except NotFound:
        response = render(request, "portal/track.html",
                          {**context, "number_error": NOT_FOUND_BY_NUMBER}, status=404)
    else:
        response = render(request, "portal/track.html", {**context, "case": case})
    response["Cache-Control"] = "no-store"
    return response


def _code(request: HttpRequest) -> str:
    # Longer input cannot be a code (tracking.MAX_INPUT): it is answered "not found" without
    # being echoed whole.
    return request.POST.get("code", "").strip()[:MAX_INPUT + 1]


def _refused(request: HttpRequest, form: TrackForm | None, code: str = "", *,
             limited: RateLimited | None = None) -> HttpResponse:
    """429. `limited`: refused by a per-code or per-action limit (its message says when to
    try again), else by the per-address lookup limit."""
    error = limited.message if limited else _(
        "Terlalu banyak pencarian dari alamat Anda. Tunggu satu menit, lalu coba lagi.")
    response = render(request, "portal/track.html",
                      {"form": form, "code": code, "error": error}, status=429)
    if limited:
        response["Retry-After"] = str(limited.retry_after)
    return response


def _not_found(request: HttpRequest, form: TrackForm | None, code: str) -> HttpResponse:
    """No case with this code: an accepted submission the worker has not registered yet
    answers "diterima, sedang dicatat" (decision 0015); anything else one and the same 404."""
    try:
        pending = tracked_get(code, case=False, pending=True)
    except NotFound:
        pass
    else:
        response = render(request, "portal/track.html", {
            "form": form, "code": code, "pending": pending})
        response["Cache-Control"] = "no-store"
        return response
    response = render(request, "portal/track.html", {
        "form": form, "code": code,
        "error": _("Kode pelacakan tidak ditemukan. Periksa kembali kode pada e-mail atau "
                   "SMS tanda terima Anda: 16 huruf dan angka, misalnya K7QM-3XPD-9RTA-2F6B "
                   "(tanda hubung, spasi dan huruf besar/kecil tidak berpengaruh). Kode "
                   "hilang? Gunakan nomor pengaduan dan empat angka terakhir nomor HP Anda "
                   "di bawah.")}, status=404)
    response["Cache-Control"] = "no-store"
    return response


def _render_case(request: HttpRequest, code: str, *, form: TrackForm | None = None,
                 forms: dict | None = None, done: str = "", error: str = "",
                 counted: bool = False) -> HttpResponse:
    candidates = code_candidates(code)  # normalised once: the rate count's key and the read
    if not counted:
        if not throttle.hit("track", request):
            return _refused(request, form, code)
        try:
            limit_lookup(code, candidates)
        except RateLimited as exc:
            return _refused(request, form, code, limited=exc)
    # A plain lookup reads the case in one statement and answers from the page memo while
    # the case is unchanged (pagecache.py); a message to the visitor is always rendered anew.
    plain = not (forms or done or error)
    key = None
    try:
        if plain:
            found = public_case_find(code, candidates)
            key = pagecache.page_key(request, code, found.pk, found.state)
            if key is not None and (cached := pagecache.page_get(request, key)) is not None:
                return cached
            case = public_case_of(found)
        else:
            case = public_case_get(code)
    except NotFound:
        return _not_found(request, form, code)
    forms = forms or {}
    # Forms are rebuilt only when one came back with errors: plain inputs otherwise (the
    # lookup is the portal's hot path).
    context = {
        "form": form, "code": code, "case": case, "done": done, "error": error,
        "satisfaction_form": forms.get("satisfaction"), "reopen_form": forms.get("reopen"),
        "rating_form": forms.get("rating")
    }
    if key is not None:
        return pagecache.page_render(request, key, context)
    response = render(request, "portal/track.html", context,
                      status=422 if (error or forms) else 200)
    response["Cache-Control"] = "no-store"
    return response


def _case_action(request: HttpRequest, form_class: type, key: str, action) -> HttpResponse:  # type: ignore[no-untyped-def]
    form = form_class(request.POST)
    code = _code(request)
    # Knowing the code is the credential: an action counts as a lookup, and actions are also
    # limited per address and per code.
    if not throttle.hit("track", request):
        return _refused(request, None, code)
    try:
        limit_reporter_action(request, code)
    except RateLimited as exc:
        return _refused(request, None, code, limited=exc)
    if not form.is_valid():
        return _render_case(request, code, forms={key: form}, counted=True)
    try:
        case = public_case_get(form.cleaned_data["code"])
        done = action(case.complaint, form.cleaned_data)
    except NotFound:
        return _render_case(request, code, counted=True)
    except ApplicationError as exc:
        return _render_case(request, code, error=exc.message, counted=True)
    return _render_case(request, code, done=done, counted=True)


@require_POST
def confirm_satisfaction(request: HttpRequest) -> HttpResponse:
    def act(complaint: Complaint, data: dict) -> str:
        complaint_confirm_satisfaction(
            complaint_id=complaint.pk,
            statement=_("Pelapor menyatakan puas atas penyelesaian pengaduan nomor %(number)s "
                        "dan menyetujui pengaduan ditutup.") % {
                            "number": complaint.register_number})
        return _("Terima kasih. Pernyataan puas Anda telah dicatat dan pengaduan ditutup.")

    return _case_action(request, SatisfactionForm, "satisfaction", act)


@require_POST
def reopen(request: HttpRequest) -> HttpResponse:
    def act(complaint: Complaint, data: dict) -> str:
        complaint_reopen(complaint_id=complaint.pk, actor=None, reason=data["reason"])
        return _("Pengaduan dibuka kembali. Petugas akan menindaklanjuti alasan Anda.")

    return _case_action(request, ReopenForm, "reopen", act)


@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    def act(complaint: Complaint, data: dict) -> str:
        complaint_rate(complaint_id=complaint.pk, comment=data["comment"],
                       elements={code: data[code] for code in ELEMENT_CODES})
        return _("Terima kasih atas penilaian Anda.")

    return _case_action(request, RatingForm, "rating", act)


@require_POST
def instant_answer(request: HttpRequest) -> HttpResponse:
    """The reporter's yes / no to an automatic answer (assist/instant.py)."""
    from aduan.assist.forms import InstantFeedbackForm
    from aduan.assist.instant import instant_answer_web

    def act(complaint: Complaint, data: dict) -> str:
        helpful = data["helpful"] == "1"
        if instant_answer_web(complaint=complaint, helpful=helpful) is None:
            return _("Jawaban Anda sudah dicatat sebelumnya.")
        if helpful:
            return _("Terima kasih. Jawaban dinyatakan membantu dan pengaduan selesai.")
        return _("Terima kasih. Pengaduan Anda diteruskan kepada petugas.")

    return _case_action(request, InstantFeedbackForm, "instant", act)


# --- Knowledge pages ------------------------------------------------------------------------


@require_GET
def faq(request: HttpRequest) -> HttpResponse:
    office = request_office(request)
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"form": form, "query": query, "entries": faq_search(office, query),
               "agencies": referral_search(office, query)}
    template = "portal/_knowledge_results.html" if request.htmx else "portal/faq.html"  # type: ignore[attr-defined]
    return render(request, template, context)


# --- Statistics -----------------------------------------------------------------------------


def _stats(request: HttpRequest):  # type: ignore[no-untyped-def]
    office = request_office(request)
    raw = request.GET.get("tahun", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None
    if raw == "" and (years := stats_years(office)):
        year = years[0]
    return public_stats(office, year)


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    # On a regency instance, the page links to the statistics of every office (regency.py).
    regency = len(office_routes().active) > 1
    return render(request, "portal/statistics.html", {"stats": _stats(request),
                                                      "regency_link": regency})


@require_GET
def statistics_csv(request: HttpRequest) -> HttpResponse:
    stats = _stats(request)
    return csv_attachment(f"statistik-pengaduan-{stats.year or 'semua'}.csv",
                          public_stats_rows(stats))


@require_GET
def statistics_json(request: HttpRequest) -> JsonResponse:
    stats = _stats(request)
    response = JsonResponse(stats.as_dict(), encoder=DjangoJSONEncoder,
                            json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = (
        f'inline; filename="statistik-pengaduan-{stats.year or "semua"}.json"')
    return response


