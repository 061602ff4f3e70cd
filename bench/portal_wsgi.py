"""WSGI entry for the portal benchmark: loads Django, the whole URL conf (with its heavy
report/document imports) and the Indonesian translation catalogs once in gunicorn's master
(`--preload`), so forked workers start warm, as a long-running production server is."""

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver
from django.utils import translation

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (import every view module now)
with translation.override("id"):
    translation.gettext("Lihat pengaduan")
