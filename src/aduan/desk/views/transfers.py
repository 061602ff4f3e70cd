"""Cases the user's office forwarded to other offices of the instance (issue 18): where each
went and whether it was refused. The hops only: the case itself belongs to the receiver and
is not visible here (the access door scopes by the case's office)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aduan.accounts.models import User
from aduan.complaints.models import CaseTransfer
from aduan.desk.views.common import staff_required

ROWS_PER_PAGE = 50


@staff_required
def transfers_out(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.sees_all_units:  # the office's whole list: not for one unit's staff
        raise PermissionDenied
    qs = (CaseTransfer.objects.filter(from_office_id=user.office_id)
          .select_related("to_office", "complaint")
          .order_by("-requested_at", "-id"))
    page = Paginator(qs, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "desk/transfers_out.html",
                  {"page": page, "rows": list(page.object_list), "nav": "transfers"})
