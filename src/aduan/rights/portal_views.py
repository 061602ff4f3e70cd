"""The portal's data-subject request: tracking code, then a one-time code sent to the
reporter's own channel, then the request. Codes are POSTed (never in URLs); every step is
rate limited per client address, the one-time code per case and per challenge."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aduan.complaints.tracking import MAX_INPUT
from aduan.core.exceptions import ApplicationError, NotFound
from aduan.core.ratelimit import RateLimited, check_rate, client_address
from aduan.portal import throttle
from aduan.rights.forms import KIND_HELP, StartForm, VerifyForm
from aduan.rights.models import RequestKind
from aduan.rights.services import (
    CHALLENGE_MINUTES,
    challenge_start,
    challenge_verify_and_register,
)

_SALT = "aduan.rights.challenge-form"


def _kinds() -> list[tuple[str, str, str]]:
    return [(k.value, str(k.label), str(KIND_HELP[k])) for k in RequestKind]


def _limited(request: HttpRequest, scope: str) -> str:
    """The message when the client is over `scope`'s limit, else ""."""
    if not throttle.hit("track", request):
        return _("Terlalu banyak permintaan dari alamat Anda. Tunggu satu menit, lalu coba lagi.")
    try:
        check_rate(scope, client_address(request))
    except RateLimited as exc:
        return exc.message
    return ""


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Step 1: the tracking code; a one-time code goes to the reporter's channel."""
    if request.method != "POST":
        return _no_store(render(request, "rights/portal_start.html", {
            "form": StartForm(), "kinds": _kinds()}))
    # Longer input cannot be a code: answered "not found" without being echoed whole.
    data = request.POST.copy()
    data["code"] = data.get("code", "").strip()[:MAX_INPUT]
    form = StartForm(data)
    context: dict = {"form": form, "kinds": _kinds()}
    if (limited := _limited(request, "rights_start")):
        context["error"] = limited
        return _no_store(render(request, "rights/portal_start.html", context, status=429))
    if not form.is_valid():
        return _no_store(render(request, "rights/portal_start.html", context, status=422))
    try:
        challenge = challenge_start(tracking_code=form.cleaned_data["code"])
    except NotFound:
        context["error"] = _("Kode pelacakan tidak ditemukan. Periksa kembali kode pada e-mail "
                             "atau SMS tanda terima Anda.")
        return _no_store(render(request, "rights/portal_start.html", context, status=404))
    except ApplicationError as exc:
        context["error"] = exc.message
        return _no_store(render(request, "rights/portal_start.html", context,
                                status=exc.status_code))
    verify = VerifyForm(initial={"challenge": signing.dumps(challenge.pk, salt=_SALT)})
    return _no_store(render(request, "rights/portal_verify.html", {
        "form": verify, "minutes": CHALLENGE_MINUTES, "kinds": _kinds()}))


@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the one-time code and the request."""
    form = VerifyForm(request.POST)
    context: dict = {"form": form, "minutes": CHALLENGE_MINUTES, "kinds": _kinds()}
    if (limited := _limited(request, "rights_verify")):
        context["error"] = limited
        return _no_store(render(request, "rights/portal_verify.html", context, status=429))
    if not form.is_valid():
        return _no_store(render(request, "rights/portal_verify.html", context, status=422))
    try:
        challenge_id = signing.loads(form.cleaned_data["challenge"], salt=_SALT,
                                     max_age=CHALLENGE_MINUTES * 60 * 2)
        if not isinstance(challenge_id, int):
            raise signing.BadSignature
    except signing.BadSignature:
        context["error"] = _("Formulir ini sudah kedaluwarsa. Mulai lagi dari halaman lacak.")
        return _no_store(render(request, "rights/portal_verify.html", context, status=422))
    try:
        created = challenge_verify_and_register(
            challenge_id=challenge_id, code=form.cleaned_data["otp"],
            kind=form.cleaned_data["kind"], detail=form.cleaned_data["detail"])
    except ApplicationError as exc:
        context["error"] = exc.message
        return _no_store(render(request, "rights/portal_verify.html", context,
                                status=exc.status_code))
    return _no_store(render(request, "rights/portal_done.html", {"item": created}))
