"""The Django admin scoped by office (issue 18, decision 0013): an office's administrator sees
and changes only the rows of the office they work in, and picks only that office's rows in a
form; the instance's superusers (its operators) see every office.

A row of another office is not in the admin's queryset, so its change page answers as for a
row that does not exist (Django's admin redirects to the index with "does not exist").
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from aduan.offices.models import Office

# Matches no row: a staff user without an office sees nothing.
NO_OFFICE = -1


def admin_office_id(request: HttpRequest) -> int | None:
    """The office the admin user may manage; None for a superuser (every office)."""
    user = request.user
    if getattr(user, "is_superuser", False):
        return None
    return getattr(user, "office_id", None) or NO_OFFICE


def _office_lookup(model: type[Model]) -> str | None:
    """How a row of `model` names its office, or None when it has no office."""
    if model is Office:
        return "pk"
    names = {f.name for f in model._meta.get_fields()}
    return "office" if "office" in names else None


def scope_to_office(qs: QuerySet[Any], request: HttpRequest,
                    lookup: str | None = None) -> QuerySet[Any]:
    office_id = admin_office_id(request)
    lookup = lookup or _office_lookup(qs.model)
    if office_id is None or lookup is None:
        return qs
    return qs.filter(**{lookup: office_id})


class OfficeScopedMixin:
    """For ModelAdmin and InlineModelAdmin: the queryset, the choices of every foreign key
    and many-to-many field, and the list filters are limited to the admin's office."""

    office_lookup: str | None = None  # default: "office", or "pk" for Office itself

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)  # type: ignore[misc]
        return scope_to_office(qs, request, self.office_lookup)

    def _limit(self, db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        if admin_office_id(request) is None:
            return
        model = db_field.related_model
        if _office_lookup(model) is not None:
            base = kwargs.get("queryset")
            if base is None:
                base = model._default_manager.all()
            kwargs["queryset"] = scope_to_office(base, request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest,
                                 **kwargs: Any) -> Any:
        self._limit(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest,
                                 **kwargs: Any) -> Any:
        self._limit(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = super().get_list_filter(request)  # type: ignore[misc]
        if admin_office_id(request) is None:
            return filters
        # A filter by office would list every office's name, and there is only one to show.
        return [f for f in filters if f != "office"]


class OfficeScopedAdmin(OfficeScopedMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    pass


def superuser_only_changes(request: HttpRequest) -> bool:
    """Whether the user may add, change or delete instance-wide rows (role groups, offices)."""
    return bool(getattr(request.user, "is_superuser", False))
