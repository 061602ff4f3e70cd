from django.urls import path

from aduan.watch import views

app_name = "watch_push"

urlpatterns = [
    path("", views.push, name="push"),
]
