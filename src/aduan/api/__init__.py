"""REST API (django-ninja) and Open311 GeoReport v2."""
