from django.urls import path

from aduan.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("buat/", views.job_create, name="job-create"),
    path("pembuatan/<int:pk>/", views.job_detail, name="job-detail"),
    path("pembuatan/<int:pk>/status/", views.job_status, name="job-status"),
    path("pembuatan/<int:pk>/unduh/", views.job_download, name="job-download"),
    path("register.xlsx", views.register_xlsx, name="register-xlsx"),
    path("register.pdf", views.register_pdf, name="register-pdf"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/grafik/<slug:chart>.svg", views.dashboard_chart, name="dashboard-chart"),
    path("teks/", views.texts, name="texts"),
]
