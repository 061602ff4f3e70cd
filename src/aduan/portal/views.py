"""Public portal views."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aduan.offices.selectors import channel_list_active, office_get_current


def home(request: HttpRequest) -> HttpResponse:
    office = office_get_current()
    channels = channel_list_active(office) if office else []
    return render(request, "portal/home.html", {"channels": channels})
