from django.urls import path

from aduan.portal import regency, survey, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("pengaduan/kirim/", views.submit, name="submit"),
    path("pengaduan/terkirim/", views.submitted, name="submitted"),
    path("lacak/", views.track, name="track"),
    path("lacak/puas/", views.confirm_satisfaction, name="confirm-satisfaction"),
    path("lacak/tidak-puas/", views.reopen, name="reopen"),
    path("lacak/nilai/", views.rate, name="rate"),
    path("lacak/jawaban-otomatis/", views.instant_answer, name="instant-answer"),
    path("survei/", survey.survey, name="survey"),
    path("informasi/", views.faq, name="faq"),
    path("statistik/", views.statistics, name="statistics"),
    path("statistik/data.csv", views.statistics_csv, name="statistics-csv"),
    path("statistik/data.json", views.statistics_json, name="statistics-json"),
    path("statistik/kabupaten/", regency.statistics, name="statistics-regency"),
    path("statistik/kabupaten/data.csv", regency.statistics_csv,
         name="statistics-regency-csv"),
    path("statistik/kabupaten/data.json", regency.statistics_json,
         name="statistics-regency-json"),
]
