"""The REST API's URLs (django-ninja), imported on the first request under /api/v1/ or the
first reverse() of an `api-v1:` name (config/urls.py, config/lazyurls.py), not when a web worker starts:
django-ninja and pydantic cost every worker about 10 MB it does not need to serve the portal
(issue 17, docs/benchmarks.md). Open311 has its own URL module (api/open311/urls.py)."""

from aduan.api.api import api

urlpatterns, app_name, _namespace = api.urls
assert (app_name, _namespace) == ("ninja", "api-v1"), "config/urls.py names them"
