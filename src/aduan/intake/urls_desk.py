"""Desk pages of the inbound channels (mounted at /desk/saluran/)."""

from django.urls import path

from aduan.intake import views_desk

app_name = "intake_desk"

urlpatterns = [
    path("", views_desk.inbound_list, name="inbound-list"),
    path("<int:message_id>/", views_desk.inbound_detail, name="inbound-detail"),
    path("<int:message_id>/tangani/", views_desk.inbound_resolve, name="inbound-resolve"),
    path("<int:message_id>/ulang/", views_desk.inbound_retry, name="inbound-retry"),
    path("<int:message_id>/daftarkan/", views_desk.inbound_register, name="inbound-register"),
    path("lampiran-tertunda/<int:fetch_id>/ulang/", views_desk.media_fetch_retry,
         name="media-fetch-retry"),
    path("lapor/", views_desk.lapor_index, name="lapor"),
    path("lapor/impor/", views_desk.lapor_import, name="lapor-import"),
    path("lapor/impor/<int:job_id>/", views_desk.lapor_import_job, name="lapor-import-job"),
]
