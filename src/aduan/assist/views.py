"""Desk views of the assist app: the canned-answer picker (htmx fragments), the related-case
decisions, applying suggestions, and the team lead's page for saved replies and the office
switch per channel."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aduan.accounts.models import User
from aduan.assist import selectors, services
from aduan.assist.forms import ChannelAssistForm, SavedReplyForm
from aduan.assist.models import SavedReply
from aduan.audit.denials import AccessDenied
from aduan.core.exceptions import FORBIDDEN_CODES, ApplicationError
from aduan.desk.actions import actions_for
from aduan.desk.forms import action_form
from aduan.desk.views.common import complaint_or_404, staff_required


def _picker_field(request: HttpRequest) -> tuple[str, str]:
    """(action, field name) of the reply field the picker serves; 404 for anything else."""
    html_name = request.GET.get("field", "")
    if html_name not in selectors.CANNED_FIELDS:
        raise Http404
    action, _sep, name = html_name.partition("-")
    return action, name


@staff_required
@require_GET
def canned_list(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """htmx: the picker's entries for a search."""
    user: User = request.user  # type: ignore[assignment]
    complaint = complaint_or_404(user, complaint_id)
    action, _name = _picker_field(request)
    if action not in actions_for(user, complaint):
        raise Http404
    items = selectors.canned_answers(complaint.office, complaint=complaint,
                                     query=request.GET.get("q", ""))
    return render(request, "assist/_canned_list.html", {
        "complaint": complaint, "canned": items, "field_name": request.GET["field"],
        "query": request.GET.get("q", "")})


@staff_required
@require_GET
def canned_use(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """htmx: the reply field pre-filled with the picked entry (editable before sending)."""
    user: User = request.user  # type: ignore[assignment]
    complaint = complaint_or_404(user, complaint_id)
    action, name = _picker_field(request)
    if action not in actions_for(user, complaint):
        raise Http404
    key = request.GET.get("key", "")
    item = selectors.canned_get(complaint.office, key, complaint=complaint)
    if item is None:
        raise Http404
    form = action_form(action, complaint.office, initial={name: item.text})
    return render(request, "desk/case/_reply_field.html", {"field": form[name]})


# --------------------------------------------------------------------------------------------
# Related cases
# --------------------------------------------------------------------------------------------


def _decide(request: HttpRequest, complaint_id: int, hint_id: int, *, link: bool) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    complaint = complaint_or_404(user, complaint_id)
    try:
        if link:
            services.hint_link_duplicate(complaint_id=complaint.pk, hint_id=hint_id, actor=user)
            messages.success(request, _("Pengaduan ditautkan sebagai duplikat dan diselesaikan; "
                                        "pelapor diberi tahu."))
        else:
            services.hint_dismiss(complaint_id=complaint.pk, hint_id=hint_id, actor=user)
            messages.success(request, _("Petunjuk diabaikan."))
    except ApplicationError as exc:
        if exc.code in FORBIDDEN_CODES:
            raise AccessDenied(exc.message, action="assist.hint", object_type="complaint",
                               object_id=complaint.pk) from None
        if exc.status_code == 404:
            raise Http404 from None
        messages.error(request, exc.message)
    return redirect(reverse("desk:complaint-detail", args=[complaint.pk]) + "#related")


@staff_required
@require_POST
def hint_link(request: HttpRequest, complaint_id: int, hint_id: int) -> HttpResponse:
    return _decide(request, complaint_id, hint_id, link=True)


@staff_required
@require_POST
def hint_dismiss(request: HttpRequest, complaint_id: int, hint_id: int) -> HttpResponse:
    return _decide(request, complaint_id, hint_id, link=False)


# --------------------------------------------------------------------------------------------
# Saved replies and the office switch (team lead, administrator)
# --------------------------------------------------------------------------------------------


def _manager(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not services.may_manage(user):
        raise AccessDenied(_("Hanya ketua tim atau administrator yang dapat membuka halaman "
                             "ini."), action="assist.settings", object_type="office",
                           object_id=user.office_id or 0)
    return user


@staff_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    office = user.office
    assert office is not None
    channel_form = ChannelAssistForm(request.POST if "channel_kind" in request.POST else None,
                                     office=office)
    if request.method == "POST" and channel_form.is_bound and channel_form.is_valid():
        try:
            services.channel_assist_set(office=office, actor=user,
                                        **channel_form.cleaned_data)
        except ApplicationError as exc:
            channel_form.add_error(None, exc.message)
        else:
            messages.success(request, _("Pengaturan saluran tersimpan."))
            return redirect("assist:settings")
    return render(request, "assist/settings.html", {
        "nav": "assist", "channel_form": channel_form,
        "channel_rows": channel_form.current_rows(),
        "replies": selectors.saved_replies_for_office(office)}, status=(
            422 if channel_form.is_bound else 200))


@staff_required
@require_http_methods(["GET", "POST"])
def saved_reply_edit(request: HttpRequest, reply_id: int | None = None) -> HttpResponse:
    user = _manager(request)
    office = user.office
    assert office is not None
    reply = None
    if reply_id is not None:
        reply = SavedReply.objects.filter(office=office, pk=reply_id).first()
        if reply is None:
            raise Http404
    form = SavedReplyForm(request.POST or None, instance=reply)
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_reply_save(office=office, actor=user, reply_id=reply_id,
                                      **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Balasan tersimpan."))
            return redirect("assist:settings")
    return render(request, "assist/saved_reply_form.html",
                  {"nav": "assist", "form": form, "reply": reply},
                  status=422 if form.is_bound else 200)


@staff_required
@require_POST
def apply_service_type(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """One click on the suggested service type."""
    user: User = request.user  # type: ignore[assignment]
    complaint = complaint_or_404(user, complaint_id)
    code = request.POST.get("code", "")
    rows = {r.field: r for r in selectors.suggestion_rows(complaint, actions_for(user, complaint))}
    row = rows.get("service_type")
    if row is None or row.apply != "post" or not code.isdigit() or len(code) > 12:
        messages.error(request, _("Saran ini tidak dapat diterapkan lagi."))
        return redirect("desk:complaint-detail", complaint_id=complaint.pk)
    suggestion = selectors.suggestion_for(complaint)
    try:
        services.complaint_set_service_type(
            complaint_id=complaint.pk, actor=user, service_type_id=int(code),
            suggested=row.code, confidence=row.confidence,
            model_version=suggestion.model_version if suggestion else "")
    except ApplicationError as exc:
        if exc.code in FORBIDDEN_CODES:
            raise AccessDenied(exc.message, action="assist.service_type",
                               object_type="complaint", object_id=complaint.pk) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Jenis perizinan ditetapkan."))
    return redirect("desk:complaint-detail", complaint_id=complaint.pk)


# --------------------------------------------------------------------------------------------
# The reporter's confirmation page (public, no login): the automatic answer once it exists
# --------------------------------------------------------------------------------------------

POLL_ATTEMPTS = 15
POLL_MAX_AGE = 60 * 60


@require_GET
def instant_poll(request: HttpRequest) -> HttpResponse:
    """htmx: the automatic answer for the case of a signed confirmation-page token; the same
    placeholder again while the background work runs; 286 (htmx: stop) when there is none."""
    from django.core import signing

    from aduan.assist.models import InstantAnswer, Suggestion
    from aduan.assist.templatetags.assist_public import POLL_SALT
    from aduan.complaints.models import Complaint

    try:
        pk = signing.loads(request.GET.get("t", "")[:200], salt=POLL_SALT, max_age=POLL_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    raw = request.GET.get("n", "0")
    attempt = int(raw) if raw.isdigit() and len(raw) < 4 else POLL_ATTEMPTS
    instant = InstantAnswer.objects.filter(complaint_id=pk).first()
    if instant is not None:
        complaint = Complaint.objects.only("tracking_code").get(pk=pk)
        response = render(request, "assist/_instant_public.html",
                          {"ia": instant, "code": complaint.tracking_code})
    elif attempt < POLL_ATTEMPTS and not Suggestion.objects.filter(complaint_id=pk).exists():
        response = render(request, "assist/_instant_poll.html",
                          {"token": request.GET["t"], "attempt": attempt + 1})
    else:
        response = HttpResponse("", status=286)
    response["Cache-Control"] = "no-store"
    return response
