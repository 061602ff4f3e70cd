"""The IKM rating form on the track page, without a form object on the hot path."""

import secrets

from django import template
from django.template import engines
from django.template.context import Context
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from aduan.portal.forms import RatingForm, RatingQuestion, rating_questions

register = template.Library()

SURVEY_TEMPLATE = "portal/_rating_form.html"
# The blank survey is the same for every case but for the tracking code and the visitor's CSRF
# token: it is rendered once per language with these unguessable placeholders in their place.
_CODE = "code" + secrets.token_hex(16)
_TOKEN = "csrf" + secrets.token_hex(16)
_blank: dict[tuple[str, str], str] = {}


@register.simple_tag(name="rating_questions")
def rating_questions_tag(form: object = None) -> list[RatingQuestion]:
    """The nine elements with the answers chosen in `form` (a returned RatingForm) or blank."""
    return rating_questions(form if isinstance(form, RatingForm) else None)


def blank_survey(code: str, csrf_token: str) -> SafeString:
    """The blank survey for the tracking code `code` and the visitor's CSRF token, from the
    per-process memo (one rendering per language and script prefix: the form's action is under
    the office's prefix, /instansi/<code>/, when the page is)."""
    key = (get_language(), get_script_prefix())
    blank = _blank.get(key)
    if blank is None:
        survey = engines["django"].engine.get_template(SURVEY_TEMPLATE)  # type: ignore[attr-defined]
        blank = _blank[key] = survey.render(Context(
            {"code": _CODE, "csrf_token": _TOKEN, "rating_form": None}))
    return mark_safe(blank.replace(_CODE, escape(code))  # noqa: S308 - a template's own output
                     .replace(_TOKEN, str(csrf_token)))


@register.simple_tag(takes_context=True)
def rating_survey(context: Context) -> SafeString:
    """The survey form: a returned form (choices, errors) is rendered; the blank one, nine
    questions of four answers (two thirds of a first lookup's rendering), is rendered once per
    language and script prefix (`blank_survey`)."""
    if isinstance(context.get("rating_form"), RatingForm):
        survey = context.template.engine.get_template(SURVEY_TEMPLATE)
        return mark_safe(survey.render(context))  # noqa: S308 - a template's own output
    return blank_survey(str(context.get("code", "")), str(context.get("csrf_token", "")))
