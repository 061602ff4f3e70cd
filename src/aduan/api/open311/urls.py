from django.urls import path, re_path
from django.views.generic import RedirectView

from aduan.api.open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>[a-z]+)$"
urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    path("v2/", RedirectView.as_view(url="services.xml"), name="root"),
    re_path(r"^v2/services" + FMT, views.service_list, name="services"),
    re_path(r"^v2/services/(?P<code>[-\w]{1,50})" + FMT, views.service_definition,
            name="service"),
    re_path(r"^v2/requests" + FMT, views.requests_, name="requests"),
    re_path(r"^v2/requests/(?P<request_id>[-\w]{1,64})" + FMT, views.request_detail,
            name="request"),
]
