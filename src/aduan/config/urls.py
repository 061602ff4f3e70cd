"""URL configuration: each HTTP app owns its prefix."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from aduan.accounts.views import admin_login
from aduan.config.lazyurls import lazy_include

urlpatterns = [
    # The public portal first: its pages are the busiest, and Django tries the patterns in
    # order (a status lookup walked some twenty patterns and the ops module's three, about
    # 50 us a request, issue 17). Its patterns are whole paths, none of them a path of the
    # prefixes below (config/tests/test_urls.py), so the order changes nothing else.
    path("", include("aduan.portal.urls")),
    # The admin logs in through the staff login and its second factor.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("aduan.accounts.urls")),
    path("desk/dokumen/", include("aduan.documents.urls")),
    path("desk/saluran/", include("aduan.intake.urls_desk")),
    path("intake/", include("aduan.intake.urls")),
    path("desk/laporan/", include("aduan.reports.urls")),
    path("desk/audit/", include("aduan.audit.urls")),
    path("desk/asisten/", include("aduan.assist.urls")),
    path("desk/hak-data/", include("aduan.rights.urls")),
    path("desk/pengawasan/", include("aduan.watch.urls")),
    path("pengawasan/push/", include("aduan.watch.urls_push")),
    path("desk/kabupaten/", include("aduan.oversight.urls")),
    path("desk/", include("aduan.desk.urls")),
    # The REST API (django-ninja, pydantic) is imported by its first request or reverse(), not
    # at start: most web workers never serve it (config/lazyurls.py; app name and namespace as
    # django-ninja gives them, api/urls.py).
    lazy_include("api/v1/", "aduan.api.urls", app_name="ninja", namespace="api-v1"),
    path("api/open311/", include("aduan.api.open311.urls")),
    path("lacak/otomatis/", include("aduan.assist.urls_public")),
    path("", include("aduan.ops.urls")),
    path("lacak/data-pribadi/", include("aduan.rights.urls_portal")),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

handler403 = "aduan.config.errors.permission_denied"
handler404 = "aduan.config.errors.page_not_found"
handler500 = "aduan.config.errors.server_error"
