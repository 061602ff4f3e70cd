"""Writing survey answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aduan.core.exceptions import ValidationFailed
from aduan.core.text import clean_text
from aduan.ikm.models import AgeBand, Education, Occupation, Sex, SurveyResponse
from aduan.ikm.scoring import ELEMENT_CODES, SCALE, overall_score
from aduan.offices.models import Office, ServiceType


@dataclass(frozen=True)
class Profile:
    age_band: str
    sex: str
    education: str
    occupation: str


@dataclass(frozen=True)
class SurveyOutcome:
    response: SurveyResponse
    replayed: bool


def survey_submit(*, office: Office, elements: Mapping[str, int], profile: Profile,
                  nonce: str, service_type: ServiceType | None = None,
                  comment: str = "") -> SurveyOutcome:
    """Store one public survey answer: all nine elements 1-4 and the respondent profile.
    `nonce` is the form's single-use key: the same form sent again (a double click, a replay)
    stores nothing and returns the first answer (`replayed`)."""
    answers = {code: elements.get(code) for code in ELEMENT_CODES}
    missing = [code for code, value in answers.items()
               if not isinstance(value, int) or value not in SCALE]
    if missing:
        raise ValidationFailed(_("Jawab kesembilan pertanyaan survei."),
                               extra={"errors": {code: [_("Pilih jawaban 1 sampai 4.")]
                                                 for code in missing}})
    scores = {code: value for code, value in answers.items() if isinstance(value, int)}
    for value, choices in ((profile.age_band, AgeBand), (profile.sex, Sex),
                           (profile.education, Education), (profile.occupation, Occupation)):
        if value not in choices.values:
            raise ValidationFailed(_("Lengkapi profil responden."))
    if not nonce:
        raise ValidationFailed(_("Formulir sudah kedaluwarsa. Muat ulang halaman lalu kirim "
                                 "lagi."))
    if service_type is not None and service_type.office_id != office.pk:
        service_type = None
    if (existing := SurveyResponse.objects.filter(nonce=nonce).first()) is not None:
        return SurveyOutcome(existing, replayed=True)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                office=office, service_type=service_type, elements=scores,
                score=overall_score(scores), age_band=profile.age_band,
                sex=profile.sex, education=profile.education, occupation=profile.occupation,
                comment=clean_text(comment or "")[:2000], nonce=nonce[:64])
    except IntegrityError:
        return SurveyOutcome(SurveyResponse.objects.get(nonce=nonce[:64]), replayed=True)
    return SurveyOutcome(response, replayed=False)
