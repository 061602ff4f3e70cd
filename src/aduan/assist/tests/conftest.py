import pytest


@pytest.fixture(autouse=True)
def _assist_on_new_cases(settings):
    """New cases get their suggestions and hints after commit, as in production (the test
    settings switch it off for the other areas' tests)."""
    settings.ADUAN_ASSIST_ON_NEW_CASES = True
