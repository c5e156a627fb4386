"""The letters issued for an application, as pages of that application: the citizen's download, the officer's
download, and the officer's revoking or correcting of a letter. They live with the applications because the
applications policy alone decides who opens an application (a citizen their own, an officer what their office
may see); the documents app answers only for the letters of an application it is handed."""

from typing import cast

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerai.accounts.decorators import citizen_view, staff_view
from gerai.applications import selectors
from gerai.core.actors import actor_from_request
from gerai.core.errors import refused
from gerai.documents import services as document_services
from gerai.documents.forms import ReasonForm
from gerai.documents.selectors import document_issued_of, document_published_of


def _pdf_response(document):
    response = FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{document.title.lower().replace(' ', '-')[:40]}-{document.code[:8]}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_view
def citizen_download(request, ref, code):
    application = selectors.application_of_citizen(request.region, request.user, ref)
    return _pdf_response(document_published_of(application, code))


@staff_view
def staff_download(request, ref, code):
    application = selectors.application_for_staff(request.region, request.user, ref)
    return _pdf_response(document_issued_of(application, code))


@require_POST
@staff_view
def staff_end(request, ref, code, how):
    """Revoke a letter (cabut) or issue a corrected one in its place (koreksi)."""
    if how not in ("cabut", "koreksi"):
        raise Http404
    application = selectors.application_for_staff(request.region, request.user, ref)
    document = document_issued_of(application, code)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        # ErrorList[i] is the message (it unpacks a ValidationError); the stubs say it may be the ValidationError
        reason_error = cast(str, form.errors["reason"][0]) if "reason" in form.errors else _("Check the form.")
        messages.error(request, reason_error)
        return redirect("applications:staff_detail", region_slug=request.region.slug, ref=ref)
    actor = actor_from_request(request)
    try:
        if how == "cabut":
            document_services.document_revoke(actor=actor, document=document, reason=form.cleaned_data["reason"])
            messages.success(request, _("The document is revoked. Its verification page says so."))
        else:
            new = document_services.document_correct(
                actor=actor,
                document=document,
                reason=form.cleaned_data["reason"],
                passphrase=form.cleaned_data["passphrase"],
            )
            messages.success(request, _("Corrected document %(number)s issued.") % {"number": new.number})
    except document_services.DocumentError as exc:
        refused(request, exc)
    return redirect("applications:staff_detail", region_slug=request.region.slug, ref=ref)
