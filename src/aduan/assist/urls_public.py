"""Public (reporter) URLs of the assist app; no login."""

from django.urls import path

from aduan.assist import views

app_name = "assist_public"

urlpatterns = [
    path("", views.instant_poll, name="instant-poll"),
]
