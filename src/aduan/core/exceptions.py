"""Application errors with a machine-readable code and a translatable message."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """An expected, user-facing failure of a service (not a bug).

    `code` is stable and machine-readable (used by the API); `message` is shown to people and is
    translated (Indonesian by default).
    """

    code = "application_error"
    status_code = 400

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 extra: dict | None = None) -> None:
        self.message = str(message) if message is not None else str(self.default_message)
        if code:
            self.code = code
        self.extra = extra or {}
        super().__init__(self.message)

    default_message = _("The request could not be processed.")


# Codes of refusals for the actor's role or unit (an authorization denial: 403, audited), as
# opposed to refusals for the case's state (409) or the data (422).
FORBIDDEN_CODES = frozenset({"role_not_allowed", "unit_not_allowed", "permission_denied"})


class NotFound(ApplicationError):
    """The object does not exist or the actor may not know it exists (same answer, by design)."""

    code = "not_found"
    status_code = 404
    default_message = _("Data not found.")


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status_code = 403
    default_message = _("You are not allowed to do this.")


class ValidationFailed(ApplicationError):
    code = "validation_failed"
    status_code = 422
    default_message = _("The data is not valid.")
