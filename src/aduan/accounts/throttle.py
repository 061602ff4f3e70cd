"""Login throttling beyond django-axes' per-account lock (issue 12).

django-axes locks a username after AXES_FAILURE_LIMIT failures from any address. Two attacks
slip past a per-account lock, so this module adds, in the cache shared by every process:

- per address: more than ADUAN_LOGIN_IP_LIMIT failures from one IP address, over any
  accounts, lock that address out of the login form for the window;
- password spraying: one password failing against ADUAN_LOGIN_SPRAY_LIMIT different accounts
  (from any addresses) is refused for every account for the window, even where it is right.
  The password is kept only as a keyed hash (HMAC with SECRET_KEY), and only in the cache.

A locked attempt answers exactly like a wrong password (views.LoginView), so nobody learns
which accounts exist or are locked. An administrator lifts the locks with `unlock_login`
or the user admin's "Buka kunci login" action.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache


def _window() -> int:
    return int(getattr(settings, "ADUAN_LOGIN_WINDOW_SECONDS", 15 * 60))


def _ip_key(ip: str) -> str:
    return f"login:ip:{ip}"


def _password_key(password: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), b"login-spray:" + password.encode(),
                      hashlib.sha256).hexdigest()
    return f"login:pw:{digest[:32]}"


def login_is_blocked(*, ip: str | None, password: str) -> bool:
    """Whether an attempt from `ip` with `password` must be refused without checking it."""
    if ip and (cache.get(_ip_key(ip)) or 0) >= settings.ADUAN_LOGIN_IP_LIMIT:
        return True
    accounts = cache.get(_password_key(password)) or ()
    return len(accounts) >= settings.ADUAN_LOGIN_SPRAY_LIMIT


def login_failed(*, ip: str | None, username: str, password: str) -> None:
    """Count a failed attempt against the address and the password."""
    window = _window()
    if ip:
        key = _ip_key(ip)
        if not cache.add(key, 1, window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, window)
    if not password:
        return
    key = _password_key(password)
    accounts = list(cache.get(key) or ())
    name = hashlib.sha256(username.casefold().encode()).hexdigest()[:16]
    if name not in accounts:
        accounts.append(name)
        # A bounded list: past the limit the password is refused anyway.
        cache.set(key, accounts[: settings.ADUAN_LOGIN_SPRAY_LIMIT + 1], window)


def login_unblock_ip(ip: str) -> None:
    cache.delete(_ip_key(ip))


def login_unblock_password(password: str) -> None:
    cache.delete(_password_key(password))
