from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "aduan.offices"
    label = "offices"

    def ready(self) -> None:
        from aduan.core import refcache
        from aduan.offices.models import (
            Channel,
            DeadlinePolicy,
            Holiday,
            Office,
            ReferralAgency,
            ServiceType,
            Unit,
        )

        # Units and referral agencies: the desk's selects (offices.selectors.office_selects).
        refcache.watch(Office, Channel, DeadlinePolicy, Holiday, ServiceType, Unit,
                       ReferralAgency)
