"""Office isolation attacked from outside (issue 18, decision 0013): a user of office B, in
every role, over HTTP, against every staff URL that names one of office A's objects.

The URL inventory is built from the URLconf: a new URL that is neither attacked here
(`OBJECT_URLS`), checked by the list and count tests (`LIST_URLS`, test_office_lists.py) nor
exempted with a reason (`EXEMPT`) fails `test_every_url_is_classified`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from aduan.desk.actions import RUNNERS
from tests.isolation.conftest import B_ROLES, World, b_token

B_USERNAMES = [name for name, _role, _unit in B_ROLES]
# A user of office B who may use the page for B's own objects must get exactly 404 for A's;
# a role that may not use the page at all gets the same answer for A's id as for an id that
# exists nowhere (its refusal is decided before any lookup, so it tells nothing).
MISSING_ID = 987_654_321


@dataclass(frozen=True)
class Attack:
    name: str  # URL name, namespace included
    method: str
    kwargs: Callable[[World], dict[str, Any]]
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    # A's user who may open it (GET only): proves the 404 comes from the office scope, not
    # from a broken URL; None where opening it would change A's data.
    control: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    label: str = ""
    # The ids replaced by one that exists nowhere for the comparison (default: every id);
    # the "own-case" attacks keep B's own case and swap only A's object.
    missing: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}{'/' + self.label if self.label else ''}"


def _case(w: World) -> dict[str, Any]:
    return {"complaint_id": w.case.pk}


def _o(kind: str, arg: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {arg: w.objects[kind]}


HX = (("HTTP_HX_REQUEST", "true"),)

OBJECT_URLS: list[Attack] = [
    Attack("desk:complaint-detail", "GET", _case, control="petugas"),
    Attack("desk:complaint-detail", "GET", _case, control="petugas", headers=HX,
           label="htmx"),
    *[Attack("desk:complaint-action", "POST",
             lambda w, a=action: {"complaint_id": w.case.pk, "action": a},
             data=lambda w: {"note": "B mencoba", "seen_status": w.case.status,
                             "unit": w.b.units.get(code="perizinan-b").pk},
             label=action) for action in RUNNERS],
    Attack("desk:referral-reply", "GET", _case, control="petugas"),
    # The central intake's routing desk: office A is no central intake, so even A's officer
    # gets 404 (no control); B's users must not reach A's case through it either.
    Attack("desk:route-case", "GET", _case),
    Attack("desk:route-case", "POST", _case, data=lambda w: {"ke": w.b.pk}),
    Attack("desk:attachment-add", "POST", _case, data=lambda w: {"note": "B mencoba"}),
    Attack("desk:attachment-download", "GET",
           lambda w: {"complaint_id": w.case.pk, "attachment_id": w.attachment.pk},
           control="petugas"),
    # B's own case with A's attachment: the attachment is looked up on the case.
    Attack("desk:attachment-download", "GET",
           lambda w: {"complaint_id": w.b_case.pk, "attachment_id": w.attachment.pk},
           label="own-case", missing=("attachment_id",)),
    *[Attack(f"documents:{doc}", "GET", _case, control="petugas")
      for doc in ("complaint-form", "follow-up-form", "satisfaction-statement",
                  "thank-you-letter", "good-name-letter")],
    Attack("intake_desk:inbound-detail", "GET", _o("inbound", "message_id"),
           control="petugas"),
    *[Attack(f"intake_desk:inbound-{step}", "POST", _o("inbound", "message_id"),
             data=lambda w: {"note": "B", "description": "B", "reporter_name": "B"})
      for step in ("resolve", "retry", "register")],
    Attack("intake_desk:media-fetch-retry", "POST", _o("media_fetch", "fetch_id")),
    Attack("intake_desk:lapor-import-job", "GET", _o("lapor_job", "job_id"),
           control="petugas"),
    Attack("reports:job-detail", "GET", _o("report_job", "pk"), control="ketua"),
    Attack("reports:job-status", "GET", _o("report_job", "pk"), control="ketua"),
    Attack("reports:job-download", "GET", _o("report_job", "pk"), control="ketua"),
    Attack("assist:saved-reply-edit", "GET", _o("saved_reply", "reply_id"), control="ketua"),
    Attack("assist:saved-reply-edit", "POST", _o("saved_reply", "reply_id"),
           data=lambda w: {"title": "B", "body": "B mengubah", "order": 0}),
    # On a case just received (the picker serves the "answer" step).
    Attack("assist:canned-list", "GET", _o("hint_case", "complaint_id"), control="petugas"),
    Attack("assist:canned-use", "GET", _o("hint_case", "complaint_id"), control="petugas"),
    Attack("assist:apply-service-type", "POST", _case,
           data=lambda w: {"code": str(w.b.service_types.first().pk)}),
    *[Attack(f"assist:hint-{step}", "POST",
             lambda w: {"complaint_id": w.objects["hint_case"], "hint_id": w.objects["hint"]})
      for step in ("link", "dismiss")],
    # B's own case with A's hint id.
    *[Attack(f"assist:hint-{step}", "POST",
             lambda w: {"complaint_id": w.b_case.pk, "hint_id": w.objects["hint"]},
             label="own-case", missing=("hint_id",)) for step in ("link", "dismiss")],
    Attack("rights:detail", "GET", _o("data_request", "request_id"), control="petugas"),
    Attack("rights:detail", "POST", _o("data_request", "request_id"),
           data=lambda w: {"action": "refuse", "answer": "B menolak"}),
    Attack("rights:register", "GET", _case, control="petugas"),
    Attack("rights:register", "POST", _case,
           data=lambda w: {"kind": "erase", "detail": "B minta hapus"}),
    Attack("rights:breach", "GET", _o("breach", "breach_id"), control="ketua"),
    Attack("rights:breach", "POST", _o("breach", "breach_id"),
           data=lambda w: {"action": "close"}),
    Attack("watch:detail", "GET", _o("watch_app", "app_id"), control="petugas"),
    *[Attack("watch:action", "POST",
             lambda w, k=kind: {"app_id": w.objects["watch_app"], "kind": k},
             data=lambda w: {"result": "B mencoba", "text": "B", "note": "B"}, label=kind)
      for kind in ("phone", "visit", "letter", "head_report", "applicant_message")],
    *[Attack("watch:letter", "GET",
             lambda w, f=fmt: {"action_id": w.objects["watch_action"], "fmt": f},
             control="petugas", label=fmt) for fmt in ("pdf", "docx")],
    Attack("watch:import-mapping", "GET", _o("watch_import", "job_id"), control="petugas"),
    Attack("watch:import-mapping", "POST", _o("watch_import", "job_id"),
           data=lambda w: {"number": "nomor"}),
    Attack("watch:import-progress", "GET", _o("watch_import", "job_id"), control="petugas"),
    Attack("watch:import-rejects", "GET", _o("watch_import", "job_id"), control="petugas"),
]

# Pages without an object id: every one is checked for A's data and B's counts in
# test_office_lists.py (the list there is compared with this one).
LIST_URLS = {
    "desk:inbox", "desk:inbox-counts", "desk:complaint-record", "desk:register",
    "desk:transfers-out",
    "documents:complaint-form-blank",
    "intake_desk:inbound-list", "intake_desk:lapor", "intake_desk:lapor-import",
    "reports:index", "reports:job-create", "reports:register-xlsx", "reports:register-pdf",
    "reports:dashboard", "reports:dashboard-chart", "reports:texts",
    "audit:denial-list",
    "assist:settings", "assist:saved-reply-add",
    "rights:list", "rights:export", "rights:breaches",
    "watch:list", "watch:import",
    "api-v1:case_list", "api-v1:unit_list", "api-v1:agency_list",
    "open311:requests",
}

# The staff API: every case endpoint with a token of B's users.
API_CASE_URLS = [
    "api-v1:case_detail", "api-v1:case_verify", "api-v1:case_request_completion",
    "api-v1:case_answer", "api-v1:case_refer", "api-v1:case_propose_disposition",
    "api-v1:case_dispose", "api-v1:case_clarify", "api-v1:case_follow_up",
    "api-v1:case_respond", "api-v1:case_conclude", "api-v1:case_close", "api-v1:case_reopen",
    "api-v1:case_note", "api-v1:case_attachments_add",
]

EXEMPT = {
    # The routing desk's list and counts: 404 for anyone but a central intake's complaint
    # team, and the queue is the one case-list query over the access door (tested with a
    # second office's cases and every other office's roles in complaints/tests/test_routing.py
    # and desk/tests/test_routing_desk.py).
    "desk:routing": "central intake only; desk/tests/test_routing_desk.py",
    "desk:routing-counts": "central intake only; desk/tests/test_routing_desk.py",
    # Not office data: the user's own account, session and language.
    "set_language": "the visitor's language",
    "accounts:login": "login", "accounts:two-factor-verify": "login",
    "accounts:logout": "logout", "accounts:security": "the user's own account page",
    "accounts:two-factor-setup": "the user's own authenticator",
    "accounts:backup-codes": "the user's own backup codes",
    "accounts:session-end": "ends only the requesting user's own sessions "
                            "(sessions.session_revoke filters by user; accounts tests)",
    "accounts:reauthenticate": "the user's own password check",
    "accounts:password-change": "own password", "accounts:password-change-done": "own password",
    "accounts:office-switch": "switches only among the user's own memberships; any other "
                              "office is 404 (accounts/tests/test_memberships.py)",
    # Regency oversight: figures across offices by design, for the oversight role only; every
    # other role is refused before any lookup (oversight/tests/test_http.py).
    "oversight:dashboard": "regency oversight role only (oversight tests)",
    "oversight:export": "regency oversight role only (oversight tests)",
    "oversight:office": "regency oversight role only (oversight tests)",
    "oversight:office-export": "regency oversight role only (oversight tests)",
    # Public: they grant nothing and are scoped by the request's office (tenancy-public).
    "intake:whatsapp-webhook": "signed provider webhook; office from the channel",
    "intake:smsgate-webhook": "signed provider webhook; office from the channel",
    "intake:sms-webhook": "signed provider webhook; office from the channel",
    "watch_push:push": "push import with a per-office token (watch tests)",
    "assist_public:instant-poll": "public, by tracking code",
    "ops:healthz": "no data", "ops:readyz": "no data",
    "ops:metrics": "operator metrics, token protected (ops tests)",
    "rights_portal:start": "public, by tracking code and a one-time code",
    "rights_portal:verify": "public, by tracking code and a one-time code",
    "api-v1:openapi-json": "the API's schema", "api-v1:openapi-view": "the API's schema",
    "api-v1:health": "no data", "api-v1:api-root": "no data",
    "api-v1:complaint_create": "public submission",
    "api-v1:complaint_track": "public, the tracking code is the capability",
    "api-v1:complaint_satisfied": "public, the tracking code is the capability",
    "api-v1:complaint_reporter_reopen": "public, the tracking code is the capability",
    "api-v1:service_type_list": "public list of the request's office",
    "open311:discovery": "public", "open311:root": "public redirect",
    "open311:services": "public service list of the request's office",
    "open311:service": "public service definition of the request's office",
    "open311:request": "public GeoReport view of a non-secret case of the request's office "
                       "(test_open311_key_of_b_posts_into_b_only covers the keyed writes)",
    **{f"portal:{name}": "public portal page of the request's office" for name in (
        "home", "submit", "submitted", "track", "confirm-satisfaction", "reopen", "rate",
        "instant-answer", "survey", "faq", "statistics", "statistics-csv",
        "statistics-json")},
    # Public regency statistics: aggregates of every active office by design.
    **{f"portal:{name}": "public aggregates of every active office, the figures each office's "
                         "own statistics page publishes (oversight/tests/test_public.py)"
       for name in ("statistics-regency", "statistics-regency-csv",
                    "statistics-regency-json")},
}


def _walk(patterns: list, ns: str = "") -> list[str]:
    names = []
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # the admin: test_admin_scope.py
            names += _walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern) and p.name:
            names.append(ns + p.name)
    return names


def test_every_url_is_classified():
    """A new URL must be attacked here, checked as a list, or exempted with a reason."""
    names = set(_walk(get_resolver().url_patterns))
    covered = {a.name for a in OBJECT_URLS} | LIST_URLS | set(API_CASE_URLS) | set(EXEMPT)
    assert names - covered == set(), "URLs without an isolation test or a reasoned exemption"
    assert covered - names == set(), "stale entries: these URLs no longer exist"
    assert not ({a.name for a in OBJECT_URLS} & set(EXEMPT))


def _url(world: World, attack: Attack, *, missing: bool = False) -> str:
    kwargs = attack.kwargs(world)
    if missing:
        kwargs = {k: MISSING_ID if isinstance(v, int) and (k in attack.missing
                                                         or not attack.missing) else v
                  for k, v in kwargs.items()}
    return reverse(attack.name, kwargs=kwargs)


def _send(client, world: World, attack: Attack, url: str):
    headers = dict(attack.headers)
    if attack.method == "GET":
        params = {}
        if attack.name.startswith("assist:canned"):
            params = {"field": "answer-answer", "key": f"saved:{world.objects['saved_reply']}"}
        return client.get(url, params, **headers)
    return client.post(url, attack.data(world), **headers)


def _snapshot(world: World) -> dict[str, Any]:
    """Everything of office A an attack could change."""
    from aduan.assist.models import RelatedHint, SavedReply
    from aduan.complaints.models import Attachment, CaseEvent, Complaint
    from aduan.intake.models import InboundMessage, MediaFetch
    from aduan.rights.models import Breach, DataRequest
    from aduan.watch.models import ImportJob, WatchAction

    return {
        "cases": list(Complaint.objects.filter(office=world.a).order_by("pk").values_list(
            "pk", "status", "unit_id", "service_type_id", "updated_at")),
        "events": CaseEvent.objects.filter(complaint__office=world.a).count(),
        "attachments": Attachment.objects.filter(complaint__office=world.a).count(),
        "hints": list(RelatedHint.objects.values_list("pk", "status")),
        "replies": list(SavedReply.objects.values_list("pk", "body", "office_id")),
        "inbound": list(InboundMessage.objects.values_list("pk", "parse_status",
                                                           "complaint_id")),
        "fetches": list(MediaFetch.objects.values_list("pk", "status", "attempts")),
        "requests": list(DataRequest.objects.values_list("pk", "status", "complaint_id")),
        "breaches": list(Breach.objects.values_list("pk", "status")),
        "watch": WatchAction.objects.count(),
        "imports": list(ImportJob.objects.values_list("pk", "status", "mapping")),
    }


@pytest.mark.parametrize("attack", OBJECT_URLS, ids=lambda a: a.id)
def test_b_users_get_404_on_a_objects(world, attack):
    before = _snapshot(world)
    url, missing_url = _url(world, attack), _url(world, attack, missing=True)
    answers = {}
    for username in B_USERNAMES:
        client = world.client(username)
        response = _send(client, world, attack, url)
        missing = _send(client, world, attack, missing_url)
        answers[username] = (response.status_code, missing.status_code)
        assert response.status_code in (403, 404), (username, response.status_code)
        assert response.status_code == missing.status_code, (
            f"{username}: A's object answers {response.status_code}, a missing one "
            f"{missing.status_code}: the difference reveals that it exists")
        assert b"Rahasia" not in response.content
    # The complaint team of B uses every one of these pages for B's own objects: for them the
    # answer is exactly 404, as for a case that does not exist.
    for username in ("b_petugas", "b_ketua"):
        if attack.name.startswith(("reports:", "assist:saved-reply")) and (
                username == "b_petugas"):
            continue  # the team lead's and administrator's pages; officers get 403 for all
        assert answers[username][0] == 404, (username, answers[username])
    assert _snapshot(world) == before, "an attack of office B changed office A's data"
    if attack.control:
        # A's own staff reach the object (a page, a file, or "not in this state" for a
        # document the case has not reached): the 404s above come from the office scope.
        own = _send(world.client(attack.control), world, attack, url)
        assert own.status_code in (200, 302, 409), (attack.control, own.status_code)


@pytest.mark.parametrize("name", API_CASE_URLS)
@pytest.mark.parametrize("username", B_USERNAMES)
def test_api_with_b_token_is_404_on_a_cases(world, name, username, client):
    before = _snapshot(world)
    headers = b_token(world, username)
    url = reverse(name, kwargs={"case_id": world.case.pk})
    body = {"note": "B", "answer": "B", "reply": "B", "agency": "bappenda",
            "unit": "perizinan-b", "clarification": "B", "response": "B", "proven": True,
            "conclusion": "B", "reason": "B", "meets_requirements": True}
    if name == "api-v1:case_detail":
        response = client.get(url, **headers)
    elif name == "api-v1:case_attachments_add":
        from tests.isolation.conftest import _png

        upload = SimpleUploadedFile("b.png", _png(), content_type="image/png")
        response = client.post(url, {"note": "B", "attachments": [upload]}, **headers)
    else:
        response = client.post(url, body, content_type="application/json", **headers)
    assert response.status_code == 404, (username, response.status_code, response.content)
    assert b"Rahasia" not in response.content
    assert _snapshot(world) == before
