"""WSGI entry for the portal benchmark: loads Django and the whole URL conf (with its heavy
report/document imports) once in gunicorn's master (`--preload`), so workers start warm."""

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (import every view module now)
