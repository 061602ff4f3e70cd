from django.contrib.auth import views as auth_views
from django.urls import path

from aduan.accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("masuk/verifikasi/", views.two_factor_verify, name="two-factor-verify"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("keamanan/", views.security, name="security"),
    path("keamanan/autentikator/", views.two_factor_setup, name="two-factor-setup"),
    path("keamanan/kode-cadangan/", views.backup_codes, name="backup-codes"),
    path("keamanan/sesi/<int:session_id>/akhiri/", views.session_end, name="session-end"),
    path("konfirmasi/", views.reauthenticate, name="reauthenticate"),
    path("kantor/", views.office_switch, name="office-switch"),
    path("kata-sandi/", views.password_change, name="password-change"),
    path("kata-sandi/selesai/", views.password_change_done, name="password-change-done"),
]
