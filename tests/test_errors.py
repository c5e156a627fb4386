"""One family of refusals (gerai.core.errors.DomainError), mapped once to the API's answers and once for pages."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from gerai.api.api import api
from gerai.applications.services import ApplicationError
from gerai.complaints.services import ComplaintError
from gerai.core.errors import DomainError, refused
from gerai.documents.services import DocumentError
from gerai.surveys.services import SurveyError
from gerai.webhooks.services import WebhookError


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ApplicationError("duplicate", "x"), 409),
        (ApplicationError("invalid_answers", "x"), 422),
        (ApplicationError("unknown_action", "x"), 400),
        (ComplaintError("too_short", "x", field="description"), 422),
        (ComplaintError("conflict", "x", status=409), 409),
        (WebhookError("bad_url", "x", field="url"), 422),
        (DocumentError("css_invalid", "x"), 400),
        (SurveyError("used", "x"), 400),
    ],
)
def test_every_refusal_is_a_domain_error_with_its_api_status(error, status):
    assert isinstance(error, DomainError) and error.status == status


def test_the_api_answers_every_refusal_through_one_handler():
    handlers = {api._lookup_exception_handler(cls("code", "x")) for cls in DomainError.__subclasses__()}
    assert len(handlers) == 1 and None not in handlers


class _Form(forms.Form):
    description = forms.CharField()


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_page_shows_a_refusal_at_its_field_or_as_a_message():
    form = _Form({"description": "abc"})
    form.is_valid()
    refused(_request(), ComplaintError("too_short", "Too short.", field="description"), form)
    assert form.errors == {"description": ["Too short."]}
    other = _Form({"description": "abc"})
    other.is_valid()
    refused(_request(), WebhookError("bad_url", "Bad address.", field="url"), other)  # not one of its fields
    assert other.non_field_errors() == ["Bad address."]
    request = _request()
    refused(request, ApplicationError("conflict", "Changed meanwhile."))
    assert [str(m) for m in get_messages(request)] == ["Changed meanwhile."]
