from django.urls import path

from aduan.api.api import api

urlpatterns = [
    path("v1/", api.urls),
]
