from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "aduan.portal"
    label = "portal"

    def ready(self) -> None:
        from aduan.core import refcache
        from aduan.portal.models import FaqEntry

        # The desk's answer picker lists the published FAQ from a memo (assist.selectors).
        refcache.watch(FaqEntry)
