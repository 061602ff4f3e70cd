"""Printable documents of a case (mounted at /desk/dokumen/)."""

from django.urls import path

from aduan.documents import views

app_name = "documents"

urlpatterns = [
    path("formulir-pengaduan-kosong.pdf", views.complaint_form_blank,
         name="complaint-form-blank"),
    path("<int:complaint_id>/formulir-pengaduan.pdf", views.complaint_form,
         name="complaint-form"),
    path("<int:complaint_id>/formulir-tindak-lanjut.pdf", views.follow_up_form,
         name="follow-up-form"),
    path("<int:complaint_id>/surat-pernyataan-puas.pdf", views.satisfaction_statement,
         name="satisfaction-statement"),
    path("<int:complaint_id>/surat-ucapan-terima-kasih.pdf", views.thank_you_letter,
         name="thank-you-letter"),
    path("<int:complaint_id>/surat-pemulihan-nama-baik.pdf", views.good_name_letter,
         name="good-name-letter"),
]
