"""The one family of refusals that services raise: a stable code (for the API and the tests), a message in the
user's language, the form field it is about (if any) and the HTTP status it answers with. Each domain app
subclasses DomainError (ApplicationError, ComplaintError, DocumentError, SurveyError, WebhookError); the API maps
the whole family to its error body in one exception handler, and pages show it through `refused`."""

from typing import ClassVar

from django.contrib import messages


class DomainError(Exception):
    """A refused action. `status` is the HTTP status the API answers with: the code's entry in the class's
    `statuses`, else the class's `status`, unless the raiser names one."""

    status: int = 400
    statuses: ClassVar[dict[str, int]] = {}

    def __init__(self, code: str, message, *, field: str = "", details: dict | None = None, status: int | None = None):
        super().__init__(str(message))
        self.code, self.message, self.field = code, message, field
        self.details = details or ({field: [message]} if field else {})
        self.status = status if status is not None else self.statuses.get(code, type(self).status)


def refused(request, exc: DomainError, form=None) -> None:
    """Tells the visitor of a page why an action was refused: on the form, at the field the error names when the
    form has it (else at the top), or, without a form, as a message on the next page."""
    if form is not None:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    else:
        messages.error(request, exc.message)
