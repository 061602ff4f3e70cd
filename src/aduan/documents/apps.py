from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "aduan.documents"
    label = "documents"
