"""The URL configuration's order (config/urls.py): the public portal is tried first, and that
changes which view answers no path."""

from __future__ import annotations

import pytest
from django.urls import URLResolver, get_resolver
from django.urls.exceptions import Resolver404

from aduan.config import urls
from aduan.portal import urls as portal_urls


def test_the_portal_is_tried_first():
    first = get_resolver("aduan.config.urls").url_patterns[0]
    assert isinstance(first, URLResolver) and first.namespace == "portal"


@pytest.mark.parametrize("pattern", portal_urls.urlpatterns, ids=lambda p: str(p.pattern))
def test_no_portal_path_is_a_path_of_another_part_of_the_site(pattern):
    """Each portal path is a whole path without converters; none of the other patterns, in
    their order, answers it (so putting the portal first shadows nothing)."""
    route = str(pattern.pattern)
    assert "<" not in route
    others = URLResolver(
        urls.urlpatterns[0].pattern,
        [p for p in urls.urlpatterns
         if not (isinstance(p, URLResolver) and p.namespace == "portal")])
    with pytest.raises(Resolver404):
        others.resolve(route)
