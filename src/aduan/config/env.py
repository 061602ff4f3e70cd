"""Environment access for settings (12-factor): one place that reads os.environ."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[3]

env = environ.Env()
_dotenv = BASE_DIR / ".env"
if _dotenv.exists():
    environ.Env.read_env(str(_dotenv))
# The installation's own keys, created by `make run` (config/keys.py). The process environment
# and .env come first: read_env never overwrites a variable that is already set.
LOCAL_ENV = Path(env.str("ADUAN_VAR_DIR", default=str(BASE_DIR / "var"))) / "local.env"
if LOCAL_ENV.exists():
    environ.Env.read_env(str(LOCAL_ENV))


def require_when(flag: str, *names: str) -> None:
    """Fail fast when a feature flag is on but its variables are missing."""
    if env.bool(flag, default=False):
        missing = [name for name in names if not env.str(name, default="")]
        if missing:
            raise RuntimeError(f"{flag} is on but {', '.join(missing)} not set")


def require_public_url() -> None:
    """Refuse to serve (web or worker) without the public address outside DEBUG: every message
    would otherwise link reporters to a wrong host."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    if not settings.DEBUG and not settings.ADUAN_PUBLIC_URL:
        raise ImproperlyConfigured(
            "ADUAN_PUBLIC_URL is not set. Set it to the address reporters use to reach the "
            "portal, e.g. ADUAN_PUBLIC_URL=https://pengaduan.example.go.id (in .env or the "
            "service's environment); messages link to it. `make run` sets it from HOST and PORT.")
