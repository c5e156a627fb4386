from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "gerai.documents"
    label = "documents"
    verbose_name = "Signed documents"
