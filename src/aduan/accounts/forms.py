"""Login, second-factor and confirmation forms of staff accounts."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django import forms
from django.contrib.auth import authenticate, user_login_failed
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from aduan.accounts import throttle

# One answer for an unknown user, a wrong password and a locked account or address: the form
# never tells which accounts exist or which are locked (issue 12).
LOGIN_REFUSED = _("Nama pengguna atau kata sandi salah, atau login sedang dikunci sementara "
                  "karena terlalu banyak percobaan. Periksa lalu coba lagi nanti; administrator "
                  "dapat membuka kunci.")


class LoginForm(AuthenticationForm):
    error_messages = {"invalid_login": LOGIN_REFUSED, "inactive": LOGIN_REFUSED}

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        if not username or not password:
            raise self.get_invalid_login_error()
        ip = get_client_ip_address(self.request) if self.request is not None else None
        if throttle.login_is_blocked(ip=ip, password=password):
            # Counted by axes too, as any failure; the password is never checked.
            user_login_failed.send(sender=__name__, credentials={"username": username},
                                   request=self.request)
            raise self.get_invalid_login_error()
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None or not self.user_cache.is_active:
            throttle.login_failed(ip=ip, username=username, password=password)
            raise self.get_invalid_login_error()
        return self.cleaned_data


class TokenForm(forms.Form):
    """A code from the authenticator app (6 digits) or a backup code (8 letters/digits)."""

    code = forms.CharField(
        label=_("Kode"), max_length=16, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "inputmode": "text", "autocapitalize": "none",
                                      "spellcheck": "false", "size": 10}))

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()


class ReauthForm(forms.Form):
    """The password, or a code from the authenticator app, to confirm a sensitive step."""

    secret = forms.CharField(
        label=_("Kata sandi atau kode autentikator"), max_length=4096, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password",
                                          "autofocus": True}))
