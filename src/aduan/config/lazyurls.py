"""A URL module imported on first use, not when the URL configuration is loaded (issue 17).

`include("x.urls")` imports x.urls at once, and filling the reverse tables (Django does it on
the first reverse() or `{% url %}`, the warm-up at start) walks every included module. For
a part of the site most web workers never serve, such as the REST API (django-ninja and
pydantic, about 10 MB a worker), `lazy_include` names the module instead: it is imported by the
first request whose path falls under the prefix, or by the first reverse() of one of its names
(its namespace is registered without it). Reversing a name of it by dotted view path is not
supported (no code does).
"""

from __future__ import annotations

from django.urls import URLResolver
from django.urls.resolvers import RoutePattern
from django.utils.datastructures import MultiValueDict


class LazyURLResolver(URLResolver):
    def loaded(self) -> bool:
        return "urlconf_module" in self.__dict__  # Django's cached_property, set on import

    def _populate(self) -> None:
        # The parent's reverse tables call this for every child; a namespaced child is entered
        # by its namespace alone, so until something needs its names there is nothing to do.
        if self.loaded():
            super()._populate()

    @property
    def reverse_dict(self) -> MultiValueDict:
        self.url_patterns  # noqa: B018 - imports the module
        return super().reverse_dict

    @property
    def namespace_dict(self) -> dict:
        self.url_patterns  # noqa: B018
        return super().namespace_dict

    @property
    def app_dict(self) -> dict:
        self.url_patterns  # noqa: B018
        return super().app_dict


def lazy_include(route: str, module: str, app_name: str, namespace: str) -> LazyURLResolver:
    """`path(route, include((module, app_name), namespace))` without importing `module`."""
    return LazyURLResolver(RoutePattern(route, is_endpoint=False), module, app_name=app_name,
                           namespace=namespace)
