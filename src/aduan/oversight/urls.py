from django.urls import path, re_path

from aduan.oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(r"^data\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("<slug:code>/", views.office_detail, name="office"),
    re_path(r"^(?P<code>[-a-zA-Z0-9_]+)/data\.(?P<fmt>csv|xlsx)$", views.office_export,
            name="office-export"),
]
