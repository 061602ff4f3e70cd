"""The IKM rating form on the track page, without a form object on the hot path."""

import secrets

from django import template
from django.template.context import Context
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
_blank: dict[str, str] = {}


@register.simple_tag(name="rating_questions")
def rating_questions_tag(form: object = None) -> list[RatingQuestion]:
    """The nine elements with the answers chosen in `form` (a returned RatingForm) or blank."""
    return rating_questions(form if isinstance(form, RatingForm) else None)


@register.simple_tag(takes_context=True)
def rating_survey(context: Context) -> SafeString:
    """The survey form: a returned form (choices, errors) is rendered; the blank one, nine
    questions of four answers (two thirds of a first lookup's rendering), is rendered once per
    language and process."""
    survey = context.template.engine.get_template(SURVEY_TEMPLATE)
    if isinstance(context.get("rating_form"), RatingForm):
        return mark_safe(survey.render(context))  # noqa: S308 - a template's own output
    language = get_language()
    blank = _blank.get(language)
    if blank is None:
        with context.push(code=_CODE, csrf_token=_TOKEN, rating_form=None):
            blank = _blank[language] = survey.render(context)
    return mark_safe(blank.replace(_CODE, escape(context.get("code", "")))  # noqa: S308
                     .replace(_TOKEN, str(context.get("csrf_token", ""))))
