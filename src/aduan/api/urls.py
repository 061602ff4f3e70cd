from django.urls import include, path

from aduan.api.api import api

urlpatterns = [
    path("v1/", api.urls),
    path("open311/", include("aduan.api.open311.urls")),
]
