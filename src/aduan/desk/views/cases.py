"""The case page: reporter, complaint, attachments, deadline, timeline and the actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from aduan.accounts.models import User
from aduan.assist.selectors import (
    assist_case_context,
    assist_prefill,
    authority_ranking,
    case_page_flags,
)
from aduan.audit.denials import AccessDenied
from aduan.complaints.access import identity_needs_reauth
from aduan.complaints.attachments import (
    AttachmentRefused,
    attachment_download_name,
    attachment_may_add,
    complaint_attachments_add,
)
from aduan.complaints.deadlines import deadline_state
from aduan.complaints.events import REPORTER_LABEL
from aduan.complaints.models import CaseEvent, CaseTransfer, Complaint
from aduan.complaints.privacy import (
    attachments_as_seen_by,
    complaint_as_seen_by,
    events_as_seen_by,
)
from aduan.complaints.selectors import (
    complaint_last_status_change,
    complaint_timeline_for_staff,
    reporter_for_staff,
)
from aduan.complaints.services import TransitionNotAllowed
from aduan.complaints.transfers import (
    case_transfer_facts,
    transfer_just_sent,
    transfers_flag,
)
from aduan.complaints.workflow import Action
from aduan.core.exceptions import FORBIDDEN_CODES, ApplicationError
from aduan.desk.actions import NOTE, RUNNERS, action_role_allows, action_run, actions_for
from aduan.desk.forms import AttachmentAddForm, action_form
from aduan.desk.routing import BUTTON_MIN_CONFIDENCE
from aduan.desk.views.common import complaint_or_404, staff_required
from aduan.intake.selectors import media_fetches_for_complaint, media_pending_flag
from aduan.notifications.selectors import outbox_and_alerts_for_complaint
from aduan.offices.models import ReferralAgency
from aduan.portal.uploads import SizeLimitUploadHandler
from aduan.watch.selectors import permit_links_flag


def _case_for_page(user: User, complaint_id: int) -> Complaint:
    """The case as the case page reads it: through the access check, with "has it any ...?"
    flags of the parts most cases lack (hops, pending channel media, assist hints, duplicates,
    suggestion and instant answer, permit links) in the same query, so the page looks up only
    what the case has (issue 18: fewer queries per case page)."""
    return complaint_or_404(user, complaint_id, annotations={
        **transfers_flag(), **media_pending_flag(), **case_page_flags(),
        **permit_links_flag()})


def _initial(action: str, complaint: Complaint) -> dict:
    if action == Action.PROPOSE_DISPOSITION and complaint.service_type_id:
        return {"unit": complaint.service_type.default_unit_id}  # type: ignore[union-attr]
    if action == Action.DISPOSE and complaint.proposed_unit_id:
        return {"unit": complaint.proposed_unit_id}
    return {}


def _case_context(user: User, complaint: Complaint, bound: dict | None = None,
                  attach_form: AttachmentAddForm | None = None, prefill: str = "") -> dict:
    """Everything the case page shows. `bound` (or `attach_form`) is the one form that failed
    validation, so what the user typed is shown again with its errors. `prefill` is a clicked
    suggestion (`?isi=...`, assist app) that pre-fills and opens its form."""
    bound = bound or {}
    actions = actions_for(user, complaint)
    filled = assist_prefill(complaint, actions, prefill) if prefill and not bound else {}
    forms = [
        (name, bound.get(name) or action_form(name, complaint.office,
                                              initial={**_initial(name, complaint),
                                                       **filled.get(name, {})}))
        for name in actions
    ]
    for name, form in forms:
        if name == Action.FORWARD:
            form.suggest(_suggested_authorities(complaint))  # type: ignore[attr-defined]
    first_number, pending_transfer = case_transfer_facts(complaint)
    outbox, outbox_alerts = outbox_and_alerts_for_complaint(complaint)
    return {
        "first_register_number": first_number,
        "pending_transfer": pending_transfer,
        "assist": assist_case_context(user, complaint, actions),
        "complaint": complaint_as_seen_by(user, complaint),
        "reporter": reporter_for_staff(user, complaint, purpose="desk case page"),
        "identity_needs_reauth": identity_needs_reauth(user, complaint),
        "deadline": deadline_state(complaint),
        # The 30-day completion clock (UU 25/2009), in calendar days.
        "completion_days_left": ((complaint.completion_due_on - timezone.localdate()).days
                                 if complaint.completion_due_on else None),
        "timeline": _timeline(user, complaint),
        **_attachments_context(user, complaint, attach_form),
        "action_forms": [(name, _action_label(name), form) for name, form in forms],
        "open_action": next(iter(bound), "") or next(iter(filled), ""),
        "outbox": outbox,
        "outbox_alerts": outbox_alerts,
    }


def _suggested_authorities(complaint: Complaint) -> list[str]:
    """The case's stored triage authority ranking (taxonomy labels, best first; computed by the
    assist app when the case arrived, as the routing desk reads it), to order the offices a
    case may be forwarded to; none when the case has no suggestion. Never runs the model in the
    request: the case page stays free of the engine and its libraries."""
    ranked = authority_ranking(complaint)
    return [str(r.get("code") or "") for r in ranked
            if float(r.get("confidence") or 0.0) >= BUTTON_MIN_CONFIDENCE]


def _timeline(user: User, complaint: Complaint) -> list:
    """The timeline as this user may read it (redacted outside the complaint team)."""
    return events_as_seen_by(user, complaint, complaint_timeline_for_staff(complaint))


def _attachments_context(user: User, complaint: Complaint,
                         form: AttachmentAddForm | None = None) -> dict:
    attachments = list(complaint.attachments.order_by("created_at", "id"))
    return {"attachments": attachments_as_seen_by(user, complaint, attachments),
            "pending_media": media_fetches_for_complaint(complaint),
            "attach_form": form or (AttachmentAddForm() if attachment_may_add(user) else None)}


def _action_label(name: str) -> str:
    return _("Catatan internal") if name == NOTE else str(Action(name).label)


@staff_required
@require_GET
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    complaint = _case_for_page(user, complaint_id)
    return render(request, "desk/case/detail.html",
                  _case_context(user, complaint, prefill=request.GET.get("isi", "")[:120]))


@staff_required
@require_POST
def complaint_action(request: HttpRequest, complaint_id: int, action: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if action not in RUNNERS:
        raise Http404
    if action == Action.FORWARD and (hop := transfer_just_sent(user, complaint_id)):
        # A second click of a forward that went through: the case is the other office's now.
        return _forwarded(request, hop)
    complaint = complaint_or_404(user, complaint_id)
    if not action_role_allows(user, action):
        raise _role_denied(action, complaint.pk)
    # The page the form came from showed the case in `seen_status`: when someone else moved
    # the case on since, the step is not taken on a state the user did not see.
    seen_status = request.POST.get("seen_status", "")[:40]
    if action != NOTE and seen_status and seen_status != complaint.status:
        return _conflict(request, user, complaint, action)
    if action not in actions_for(user, complaint):
        messages.error(request, _("Tindakan ini tidak tersedia untuk pengaduan ini saat ini."))
        return redirect("desk:complaint-detail", complaint_id=complaint.pk)
    form = action_form(action, complaint.office, data=request.POST)
    if form.is_valid():
        try:
            action_run(action, complaint_id=complaint.pk, user=user, data=form.cleaned_data)
        except TransitionNotAllowed:
            # Lost the race on the row lock: another step was saved a moment earlier.
            return _conflict(request, user, _case_for_page(user, complaint_id), action)
        except ApplicationError as exc:
            if exc.code in FORBIDDEN_CODES:
                raise AccessDenied(exc.message, action=f"complaint.{action}",
                                   object_type="complaint", object_id=complaint.pk) from None
            form.add_error(None, exc.message)
        else:
            return _after_action(request, user, complaint, action)
    complaint = _case_for_page(user, complaint_id)
    return render(request, "desk/case/detail.html",
                  _case_context(user, complaint, bound={action: form}), status=422)


def _after_action(request: HttpRequest, user: User, complaint: Complaint,
                  action: str) -> HttpResponse:
    """Where the user goes once the step is saved: the case page, unless the case left the
    user's office (forwarded, or a refused forward sent back)."""
    if action == Action.FORWARD:
        return _forwarded(request, transfer_just_sent(user, complaint.pk))
    if action == Action.REFUSE_FORWARD:
        messages.success(request, _("Penerusan ditolak; pengaduan dikembalikan kepada kantor "
                                    "pengirim."))
        return redirect("desk:inbox")
    messages.success(request, _("%(action)s tersimpan.") % {"action": _action_label(action)})
    return redirect("desk:complaint-detail", complaint_id=complaint.pk)


def _forwarded(request: HttpRequest, hop: CaseTransfer | None) -> HttpResponse:
    """After a forward the case belongs to the receiving office: the sender goes to its list
    of forwarded cases, where the hop is shown."""
    if hop is not None:
        messages.success(request, _("Pengaduan %(number)s diteruskan kepada %(office)s dengan "
                                    "nomor %(to_number)s.") % {
            "number": hop.from_register_number, "office": hop.to_office.name,
            "to_number": hop.to_register_number})
    return redirect("desk:transfers-out")


def _actor_name(event: CaseEvent) -> str:
    if event.actor_id:
        actor = event.actor
        return actor.get_full_name() or actor.get_username()  # type: ignore[union-attr]
    return _("Pelapor") if event.actor_label == REPORTER_LABEL else _("Sistem")


def _conflict(request: HttpRequest, user: User, complaint: Complaint,
              action: str) -> HttpResponse:
    """409: the case changed under the user's form. Says who did what and when, keeps the
    text they typed, and shows the case as it is now."""
    change = complaint_last_status_change(complaint)
    status = complaint.get_status_display()
    if change is not None:
        message = _("Pengaduan ini baru saja diubah oleh %(who)s: \u201c%(what)s\u201d pada "
                    "%(when)s. Statusnya sekarang \u201c%(status)s\u201d, sehingga "
                    "\u201c%(action)s\u201d Anda tidak disimpan. Periksa riwayat di bawah, "
                    "lalu lanjutkan bila masih diperlukan.") % {
            "who": _actor_name(change), "what": change.get_kind_display(),
            "when": date_format(timezone.localtime(change.created_at), "DATETIME_FORMAT"),
            "status": status, "action": _action_label(action)}
    else:
        message = _("Pengaduan ini baru saja diubah; statusnya sekarang \u201c%(status)s\u201d, "
                    "sehingga \u201c%(action)s\u201d Anda tidak disimpan.") % {
            "status": status, "action": _action_label(action)}
    typed = [str(v).strip() for k, v in request.POST.items()
             if k.startswith(f"{action}-") and len(str(v).strip()) > 20]
    context = _case_context(user, complaint)
    context["conflict"] = {"message": message, "typed": typed}
    return render(request, "desk/case/detail.html", context, status=409)


def _role_denied(action: str, complaint_id: int) -> AccessDenied:
    return AccessDenied(
        _("Peran Anda tidak berwenang melakukan \u201c%(action)s\u201d pada pengaduan ini.")
        % {"action": _action_label(action)},
        action=f"complaint.{action}", object_type="complaint", object_id=complaint_id)


@staff_required
@require_GET
def referral_reply(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """htmx: the reply of the chosen agency, to prefill the referral form."""
    complaint = complaint_or_404(request.user, complaint_id)  # type: ignore[arg-type]
    raw = request.GET.get(f"{Action.REFER}-agency", "")
    agency = ReferralAgency.objects.filter(office_id=complaint.office_id,
                                           pk=int(raw) if raw.isdigit() and len(raw) <= 12
                                           else 0).first()
    form = action_form(Action.REFER, complaint.office,
                       initial={"reply": agency.referral_text if agency else ""})
    return render(request, "desk/case/_reply_field.html", {"field": form["reply"]})


@staff_required
@require_GET
def attachment_download(request: HttpRequest, complaint_id: int,
                        attachment_id: int) -> FileResponse:
    complaint = complaint_or_404(request.user, complaint_id)  # type: ignore[arg-type]
    attachment = get_object_or_404(complaint.attachments, pk=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Outside the complaint team the file name is redacted too ("KTP_[dihapus].jpg").
    shown = attachments_as_seen_by(request.user, complaint, [attachment])[0]  # type: ignore[arg-type]
    response = FileResponse(handle, as_attachment=True,
                            filename=attachment_download_name(shown),
                            content_type=attachment.content_type)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@csrf_exempt  # the size-limit handler must be installed before CSRF reads the body
@staff_required
@require_POST
def attachment_add(request: HttpRequest, complaint_id: int) -> HttpResponse:
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _attachment_add(request, complaint_id)


@csrf_protect
def _attachment_add(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """Add documents to the case. htmx swaps the attachment block and the timeline; without
    JS the page redirects back. A refusal shows the form again with the note kept."""
    user: User = request.user  # type: ignore[assignment]
    complaint = complaint_or_404(user, complaint_id)
    if not attachment_may_add(user):
        raise AccessDenied(_("Peran Anda tidak dapat menambah lampiran."),
                           action="complaint.attachment_add", object_type="complaint",
                           object_id=complaint.pk)
    form = AttachmentAddForm(request.POST, request.FILES,
                             oversized=getattr(request, "oversized_files", []))
    added = _attachments_save(form, complaint, user)
    if added and not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, added)
        return redirect(reverse("desk:complaint-detail", args=[complaint.pk]) + "#attachments")
    if request.htmx:  # type: ignore[attr-defined]
        # 200 even when refused: htmx swaps only successful responses.
        return render(request, "desk/case/_attachments_swap.html", {
            "complaint": complaint_as_seen_by(user, complaint), "attachments_added": added,
            "timeline": _timeline(user, complaint),
            **_attachments_context(user, complaint, None if added else form)})
    return render(request, "desk/case/detail.html",
                  _case_context(user, complaint, attach_form=form), status=422)


def _attachments_save(form: AttachmentAddForm, complaint: Complaint, user: User) -> str:
    """The success message, or "" with the refusal added to the form."""
    if not form.is_valid():
        return ""
    try:
        event = complaint_attachments_add(complaint_id=complaint.pk, actor=user,
                                          files=form.cleaned_data["files"],
                                          note=form.cleaned_data["note"])
    except ApplicationError as exc:
        form.add_error("files" if isinstance(exc, AttachmentRefused) else None, exc.message)
        return ""
    count = len(event.data["files"])
    return ngettext("%(n)s lampiran ditambahkan.", "%(n)s lampiran ditambahkan.",
                    count) % {"n": count}
