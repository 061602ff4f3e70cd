from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "aduan.desk"
    label = "desk"
