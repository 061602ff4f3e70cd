"""The WSGI application of the chaos test's gunicorn, loaded once in the master (`--preload`)
with the URLconf and views imported, so a worker forked after a kill serves at once."""

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (imports every view module now, not per worker)
