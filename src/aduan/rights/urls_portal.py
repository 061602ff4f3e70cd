from django.urls import path

from aduan.rights import portal_views

app_name = "rights_portal"

urlpatterns = [
    path("", portal_views.start, name="start"),
    path("verifikasi/", portal_views.verify, name="verify"),
]
