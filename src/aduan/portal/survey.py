"""The public survey page (survei kepuasan): any service user, not only reporters, answers the
nine questions with their profile. The survey itself lives in `aduan.ikm`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aduan.core.exceptions import ApplicationError
from aduan.core.ratelimit import RateLimited, check_rate, client_address
from aduan.ikm.forms import SurveyForm
from aduan.ikm.services import Profile, survey_submit
from aduan.offices.middleware import request_office
from aduan.portal import throttle


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest) -> HttpResponse:
    office = request_office(request)
    if request.method != "POST":
        form = SurveyForm(office=office, initial={"form_token": throttle.form_token()})
        return render(request, "ikm/survey.html", {"form": form})
    form = SurveyForm(request.POST, office=office)
    problems: list[str] = []
    token = request.POST.get("form_token", "")
    if request.POST.get("website"):
        problems.append(_("Jawaban tidak dapat diterima. Muat ulang halaman lalu coba lagi."))
    elif not throttle.form_token_ok(token):
        problems.append(_("Formulir terkirim terlalu cepat atau sudah kedaluwarsa. Periksa "
                          "jawaban Anda, lalu tekan Kirim sekali lagi."))
    status = 422
    if form.is_valid() and not problems:
        try:
            check_rate("survey", client_address(request))
            data = form.cleaned_data
            outcome = survey_submit(
                office=office, elements=form.elements(), nonce=throttle.form_token_nonce(token),
                profile=Profile(age_band=data["age_band"], sex=data["sex"],
                                education=data["education"], occupation=data["occupation"]),
                service_type=data["service_type"], comment=data["comment"])
        except RateLimited as exc:
            problems.append(exc.message)
            status = 429
        except ApplicationError as exc:
            problems.append(exc.message)
        else:
            return render(request, "ikm/survey_done.html", {"outcome": outcome})
    if not throttle.form_token_ok(token):
        form.data = form.data.copy()
        form.data["form_token"] = throttle.form_token()
    return render(request, "ikm/survey.html", {"form": form, "problems": problems},
                  status=status)
