from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "gerai.documents"
    label = "documents"
    verbose_name = "Signed documents"

    def ready(self) -> None:
        from gerai.core import events
        from gerai.documents.services import document_template_copy_with_service

        events.subscribe(("service.copy",), document_template_copy_with_service)

        from gerai.catalog.lineage import REVIEW_TEXTS
        from gerai.documents.selectors import template_review_texts

        REVIEW_TEXTS.append(template_review_texts)
