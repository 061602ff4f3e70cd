"""The IKM rating form's questions for the track page, without a form object on the hot path."""

from django import template

from aduan.portal.forms import RatingForm, RatingQuestion, rating_questions

register = template.Library()


@register.simple_tag(name="rating_questions")
def rating_questions_tag(form: object = None) -> list[RatingQuestion]:
    """The nine elements with the answers chosen in `form` (a returned RatingForm) or blank."""
    return rating_questions(form if isinstance(form, RatingForm) else None)
