"""The officer-facing audit view: authorization denials, filterable and paginated."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from aduan.accounts.models import User
from aduan.audit.forms import AuditFilterForm
from aduan.audit.permissions import may_see_audit
from aduan.audit.selectors import AuditFilter, audit_records_for

RECORDS_PER_PAGE = 50


@login_required
@require_GET
def denial_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not may_see_audit(user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET)
    filters = form.to_filter() if form.is_valid() else AuditFilter()
    page = Paginator(audit_records_for(user, filters), RECORDS_PER_PAGE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/denial_list.html", {
        "form": form, "page": page, "records": list(page.object_list),
        "query": query.urlencode(), "nav": "audit"}, status=200 if form.is_valid() else 400)
