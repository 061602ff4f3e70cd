"""Denials raised by HTTP views, carrying what the audit record and the 403 page need.

`AccessDenied` is Django's PermissionDenied (so it answers 403 through the styled page) with an
Indonesian message for the user and the action and object for the audit record;
`ScopeNotFound` is the 404 of a case (or other object) outside the user's scope: the answer is
the same as for a missing one, the audit record says which was asked for.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404


class AccessDenied(PermissionDenied):
    def __init__(self, user_message: str = "", *, action: str = "", object_type: str = "",
                 object_id: object = "") -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.action = action
        self.object_type = object_type
        self.object_id = "" if object_id is None else str(object_id)


class ScopeNotFound(Http404):
    def __init__(self, *, action: str = "", object_type: str = "",
                 object_id: object = "") -> None:
        super().__init__()
        self.action = action
        self.object_type = object_type
        self.object_id = "" if object_id is None else str(object_id)
