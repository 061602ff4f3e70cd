from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "aduan.demo"
    label = "demo"
