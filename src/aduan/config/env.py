"""Environment access for settings (12-factor): one place that reads os.environ."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[3]

env = environ.Env()
_dotenv = BASE_DIR / ".env"
if _dotenv.exists():
    environ.Env.read_env(str(_dotenv))


def require_when(flag: str, *names: str) -> None:
    """Fail fast when a feature flag is on but its variables are missing."""
    if env.bool(flag, default=False):
        missing = [name for name in names if not env.str(name, default="")]
        if missing:
            raise RuntimeError(f"{flag} is on but {', '.join(missing)} not set")
