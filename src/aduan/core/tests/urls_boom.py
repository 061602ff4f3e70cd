"""The project's URLs plus a view that fails, for the 500 page tests."""

from django.db import connection
from django.http import HttpRequest, HttpResponse

from aduan.config.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


def boom_db(request: HttpRequest) -> HttpResponse:
    # The database is what failed: the error page must not need it.
    connection.close()
    raise RuntimeError("database gone")


from django.urls import path  # noqa: E402

urlpatterns = [path("boom/", boom), path("desk/boom/", boom_db), *urlpatterns]
