from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "aduan.accounts"
    label = "accounts"

    def ready(self) -> None:
        from aduan.accounts import sessions  # noqa: F401  (login/logout signal receivers)
        from aduan.accounts.models import Membership
        from aduan.accounts.roles import ensure_role_groups
        from aduan.core import refcache

        # Memberships are configuration: who has one is memoised (accounts.memberships), so a
        # single-office user's desk page pays no query for the office switcher.
        refcache.watch(Membership)

        # Groups need the Permission rows, which Django creates in post_migrate.
        post_migrate.connect(ensure_role_groups, sender=self,
                             dispatch_uid="aduan.accounts.ensure_role_groups")
