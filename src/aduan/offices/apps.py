from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "aduan.offices"
    label = "offices"
