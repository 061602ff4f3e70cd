"""Staff login, second factor, confirmation (re-authentication), password and sessions."""

from __future__ import annotations

from urllib.parse import urlencode

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aduan.accounts import memberships, policy, sessions, twofactor
from aduan.accounts.forms import LoginForm, ReauthForm, TokenForm
from aduan.accounts.models import SecurityEvent, SecurityEventKind, User

# Failed confirmations (password or code) before the session is ended.
REAUTH_MAX_FAILURES = 5
SESSION_NEW_CODES = "aduan_new_backup_codes"


def _next_url(request: HttpRequest, default: str = "/desk/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _ip(request: HttpRequest) -> str | None:
    return get_client_ip_address(request)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin site logs in through the staff login, second factor included."""
    return redirect(f"{reverse('accounts:login')}?{request.GET.urlencode()}")


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The login's second step: a code from the authenticator app or a backup code."""
    user: User = request.user  # type: ignore[assignment]
    next_url = _next_url(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(next_url)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.second_factor_verify(request, user, form.cleaned_data["code"]):
            policy.mark_authenticated(request)
            left = twofactor.backup_codes_left(user)
            if len(form.cleaned_data["code"]) != 6 and left <= 3:
                messages.warning(request, _("Sisa kode cadangan Anda: %(n)d. Buat kode baru di "
                                            "halaman Keamanan akun.") % {"n": left})
            return HttpResponseRedirect(next_url)
        form.add_error("code", _("Kode salah, sudah dipakai, atau sudah kedaluwarsa. Coba "
                                 "kode yang sedang tampil di aplikasi."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


def _qr_svg(uri: str) -> str:
    import segno  # 2 MB in every web worker if imported at start; only this page draws one

    return segno.make(uri, error="m").svg_inline(
        scale=5, border=2, dark="#1c2430", light="#ffffff", svgclass="qr-code",
        title=_("Kode QR untuk aplikasi autentikator"))


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), then give one code."""
    user: User = request.user  # type: ignore[assignment]
    device = twofactor.totp_device_pending(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = twofactor.totp_device_confirm(user=user, token=form.cleaned_data["code"],
                                               ip=_ip(request))
        if result is not None:
            confirmed, codes = result
            from django_otp import login as otp_login

            otp_login(request, confirmed)
            policy.mark_authenticated(request)
            request.session[SESSION_NEW_CODES] = codes
            messages.success(request, _("Aplikasi autentikator terdaftar. Simpan kode cadangan "
                                        "di bawah ini di tempat yang aman."))
            return redirect(f"{reverse('accounts:backup-codes')}?"
                            f"{urlencode({'next': _next_url(request)})}")
        form.add_error("code", _("Kode tidak cocok. Pastikan jam ponsel tepat, lalu masukkan "
                                 "kode yang sedang tampil."))
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "next": _next_url(request),
        "secret": twofactor.totp_secret_base32(device),
        "secret_groups": _groups(twofactor.totp_secret_base32(device)),
        "otpauth_uri": device.config_url, "qr_svg": _qr_svg(device.config_url),
        "has_second_factor": twofactor.has_second_factor(user),
        "required": policy.two_factor_required(user),
    })


def _groups(text: str, size: int = 4) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)]


@login_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    """Show new backup codes once (after enrolment or on request); POST makes a new set."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        request.session[SESSION_NEW_CODES] = twofactor.backup_codes_generate(
            user=user, ip=_ip(request))
        return redirect("accounts:backup-codes")
    codes = request.session.pop(SESSION_NEW_CODES, None)
    return render(request, "accounts/backup_codes.html", {
        "codes": codes, "left": twofactor.backup_codes_left(user),
        "next": _next_url(request, reverse("accounts:security"))})


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The account's security page: second factor, backup codes, sessions, recent events."""
    user: User = request.user  # type: ignore[assignment]
    return render(request, "accounts/security.html", {
        "has_second_factor": twofactor.has_second_factor(user),
        "required": policy.two_factor_required(user),
        "backup_left": twofactor.backup_codes_left(user),
        "sessions": sessions.session_list_open(user),
        "current_key": request.session.session_key,
        "events": SecurityEvent.objects.filter(user=user).select_related("actor")[:10],
    })


@login_required
@require_POST
def session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    ended = sessions.session_revoke(user=user, session_id=session_id, actor=user,
                                    ip=_ip(request))
    if ended and ended.session_key == request.session.session_key:
        logout(request)
        return redirect("accounts:login")
    messages.success(request, _("Sesi diakhiri.") if ended else _("Sesi tidak ditemukan."))
    return redirect("accounts:security")


@login_required
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Confirm it is still the same person (password or authenticator code) before a sensitive
    step: a confidential identity, a role change, a new API token."""
    user: User = request.user  # type: ignore[assignment]
    next_url = _next_url(request)
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        secret = form.cleaned_data["secret"]
        code = "".join(secret.split())
        if user.check_password(secret) or (
                code.isdigit() and twofactor.second_factor_verify(request, user, code)):
            policy.mark_authenticated(request)
            request.session.pop("aduan_reauth_failures", None)
            SecurityEvent.objects.create(user=user, actor=user, ip_address=_ip(request),
                                         kind=SecurityEventKind.REAUTHENTICATED)
            return HttpResponseRedirect(next_url)
        failures = int(request.session.get("aduan_reauth_failures", 0)) + 1
        request.session["aduan_reauth_failures"] = failures
        if failures >= REAUTH_MAX_FAILURES:
            logout(request)
            messages.error(request, _("Terlalu banyak konfirmasi yang salah; sesi diakhiri. "
                                      "Silakan masuk lagi."))
            return redirect("accounts:login")
        form.add_error("secret", _("Kata sandi atau kode salah."))
    return render(request, "accounts/reauthenticate.html", {
        "form": form, "next": next_url,
        "minutes": policy.session_limits(user).reauth_seconds // 60})


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["must_change_password", "password_changed_at"])
        update_session_auth_hash(request, user)
        policy.mark_authenticated(request)
        SecurityEvent.objects.create(user=user, actor=user, ip_address=_ip(request),
                                     kind=SecurityEventKind.PASSWORD_CHANGED)
        # Other browsers of this user lose their session with the old password.
        sessions.session_revoke_others(user=user, keep=request.session.session_key)
        return redirect("accounts:password-change-done")
    return render(request, "accounts/password_change.html", {
        "form": form, "forced": user.must_change_password and not policy.demo_mode(),
        "min_length": _min_length()})


def _min_length() -> int:
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        if validator["NAME"].endswith("MinimumLengthValidator"):
            return int(validator.get("OPTIONS", {}).get("min_length", 8))
    return 8


def password_change_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_change_done.html")



def locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
               credentials: dict | None = None) -> HttpResponse:
    """django-axes' answer for a locked username: the login page exactly as for a wrong
    password (the form already failed with the same message)."""
    if original_response is not None:
        return original_response
    return render(request, "accounts/login.html", {"form": LoginForm(request), "refused": True})


@login_required
@require_POST
def office_switch(request: HttpRequest) -> HttpResponse:
    """Work in another office of the user's memberships (or back in the home office)."""
    user: User = request.user  # type: ignore[assignment]
    try:
        office_id = int(request.POST.get("office", ""))
    except ValueError:
        raise Http404 from None
    if not memberships.office_switch(request=request, user=user, office_id=office_id,
                                     ip=_ip(request)):
        # Not an office of this user: the same answer as an office that does not exist.
        raise Http404
    messages.success(request, _("Anda sekarang bekerja di %(office)s.") % {
        "office": user.office.name if user.office else ""})
    # The inbox of the new office: the page the switch came from may be another office's case.
    return redirect("desk:inbox")
