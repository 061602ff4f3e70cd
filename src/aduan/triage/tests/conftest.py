import pytest

from aduan.triage import services


@pytest.fixture(autouse=True)
def _triage_isolated(settings, tmp_path):
    """Office models go to a fresh directory per test; the cold-start model (no office) is
    kept in var/triage between tests, keyed by the seed corpus's fingerprint."""
    office_dir = tmp_path / "triage"
    settings.TRIAGE_MODEL_DIR = office_dir
    services.clear_caches()
    yield
    services.clear_caches()


@pytest.fixture
def coldstart(settings):
    from django.conf import settings as live

    settings.TRIAGE_MODEL_DIR = live.VAR_DIR / "triage"
    engine = services.coldstart_engine()
    return engine
