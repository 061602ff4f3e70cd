from django.urls import path

from aduan.assist import views

app_name = "assist"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("balasan/baru/", views.saved_reply_edit, name="saved-reply-add"),
    path("balasan/<int:reply_id>/", views.saved_reply_edit, name="saved-reply-edit"),
    path("pengaduan/<int:complaint_id>/jawaban/", views.canned_list, name="canned-list"),
    path("pengaduan/<int:complaint_id>/jawaban/pakai/", views.canned_use, name="canned-use"),
    path("pengaduan/<int:complaint_id>/saran/jenis/", views.apply_service_type,
         name="apply-service-type"),
    path("pengaduan/<int:complaint_id>/terkait/<int:hint_id>/duplikat/", views.hint_link,
         name="hint-link"),
    path("pengaduan/<int:complaint_id>/terkait/<int:hint_id>/abaikan/", views.hint_dismiss,
         name="hint-dismiss"),
]
