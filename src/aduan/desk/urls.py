from django.urls import path

from aduan.desk.views import cases, inbox, record, register, routing, transfers

app_name = "desk"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("status/", inbox.inbox_counts, name="inbox-counts"),
    path("catat/", record.complaint_record, name="complaint-record"),
    path("register/", register.register_book, name="register"),
    path("rute/", routing.routing_desk, name="routing"),
    path("rute/jumlah/", routing.routing_counts_fragment, name="routing-counts"),
    path("rute/<int:complaint_id>/", routing.route_case, name="route-case"),
    path("diteruskan/", transfers.transfers_out, name="transfers-out"),
    path("pengaduan/<int:complaint_id>/", cases.complaint_detail, name="complaint-detail"),
    path("pengaduan/<int:complaint_id>/aksi/<slug:action>/", cases.complaint_action,
         name="complaint-action"),
    path("pengaduan/<int:complaint_id>/rujukan/", cases.referral_reply,
         name="referral-reply"),
    path("pengaduan/<int:complaint_id>/lampiran/", cases.attachment_add,
         name="attachment-add"),
    path("pengaduan/<int:complaint_id>/lampiran/<int:attachment_id>/",
         cases.attachment_download, name="attachment-download"),
]
