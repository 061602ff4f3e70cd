from django.urls import path

from aduan.desk import views

app_name = "desk"

urlpatterns = [
    path("", views.inbox, name="inbox"),
]
