from django.urls import path

from aduan.watch import views

app_name = "watch"

urlpatterns = [
    path("", views.watch_list, name="list"),
    path("<int:app_id>/", views.watch_detail, name="detail"),
    path("<int:app_id>/aksi/<slug:kind>/", views.watch_action, name="action"),
    path("surat/<int:action_id>.<slug:fmt>", views.letter_download, name="letter"),
    path("impor/", views.import_upload, name="import"),
    path("impor/<int:job_id>/kolom/", views.import_mapping, name="import-mapping"),
    path("impor/<int:job_id>/", views.import_progress, name="import-progress"),
    path("impor/<int:job_id>/ditolak.csv", views.import_rejects_csv, name="import-rejects"),
]
