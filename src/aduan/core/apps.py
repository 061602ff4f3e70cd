from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class CoreConfig(AppConfig):
    name = "aduan.core"
    label = "core"

    def ready(self) -> None:
        # With DEBUG off, never run on a missing, weak or published key (config/keys.py): every
        # process (web, worker, manage.py) starts through here.
        if getattr(settings, "ADUAN_REFUSE_UNSAFE_KEYS", True):
            from aduan.config.keys import GENERATE_HINT, key_problems

            # Read past LazySettings, whose own "must not be empty" error would hide ours.
            secret_key = getattr(settings._wrapped, "SECRET_KEY", "")
            problems = key_problems(secret_key=secret_key,
                                    field_keys=list(settings.FIELD_ENCRYPTION_KEYS))
            if problems:
                raise ImproperlyConfigured(
                    "Aduan tidak dijalankan (refusing to start): " + " ".join(problems)
                    + " " + GENERATE_HINT)
