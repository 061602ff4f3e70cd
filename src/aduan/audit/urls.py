from django.urls import path

from aduan.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.denial_list, name="denial-list"),
]
