from django.urls import path

from aduan.rights import views

app_name = "rights"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("<int:request_id>/", views.request_detail, name="detail"),
    path("catat/<int:complaint_id>/", views.request_register, name="register"),
    path("ekspor.<str:fmt>", views.request_export, name="export"),
    path("insiden/", views.breach_list, name="breaches"),
    path("insiden/<int:breach_id>/", views.breach_detail, name="breach"),
]
