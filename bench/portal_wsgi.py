"""WSGI entry for the portal benchmark: production's entry point (aduan.config.wsgi), with the
benchmark's settings (bench/portal_settings.py, whose URL conf adds /bench/minimal/). Loaded
once in gunicorn's master with `--preload`, as `make run` and deploy/gunicorn.conf.py do: Django,
every URL module and view, both languages' catalogues, the common templates and the modules a
worker's first request would import (config/warmup.py), so forked workers start warm and share
them. (Until session 10 this file did its own, smaller warm-up: the cache client, context
processors and formats were then imported by every worker after the fork.)"""

from aduan.config.wsgi import application

__all__ = ["application"]
