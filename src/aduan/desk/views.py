"""Staff desk views (the full workplace is built in the staff-desk issue)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aduan.complaints.selectors import complaint_list_for_user


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    complaints = complaint_list_for_user(request.user)[:50]  # type: ignore[arg-type]
    return render(request, "desk/inbox.html", {"complaints": complaints})
