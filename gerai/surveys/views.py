import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gerai.accounts.decorators import region_view, staff_view
from gerai.catalog.selectors import services_for_admin
from gerai.core.actors import actor_from_request
from gerai.surveys import selectors, services
from gerai.surveys.models import SurveyResponse
from gerai.surveys.questions import QUESTIONS


def _questions(data=None):
    return [
        {
            "key": key,
            "question": question,
            "labels": list(enumerate(labels, start=1)),
            "value": (data or {}).get(key, ""),
        }
        for key, question, labels in QUESTIONS
    ]


@region_view
def answer(request, token):
    """The citizen's survey, reached from the link in the completion message: no account needed."""
    invitation = selectors.invitation_get(request.region, token)
    application = invitation.application
    state = "used" if invitation.used_at else "expired" if invitation.expires_at < timezone.now() else "open"
    error = None
    if request.method == "POST" and state == "open":
        try:
            services.survey_submit(
                actor=actor_from_request(request),
                invitation=invitation,
                scores={key: request.POST.get(key) for key, _q, _l in QUESTIONS},
                comment=request.POST.get("saran", ""),
            )
        except services.SurveyError as exc:
            error = exc.message
            state = exc.code if exc.code in ("used", "expired") else state
        else:
            return render(request, "surveys/thanks.html", {"service": application.service})
    return render(
        request,
        "surveys/answer.html",
        {
            "service": application.service,
            "state": state,
            "error": error,
            "questions": _questions(request.POST if request.method == "POST" else None),
            "comment": request.POST.get("saran", ""),
        },
        status=400 if error else 200 if state == "open" else 410,
    )


@staff_view
def enter(request):
    region = request.region
    all_services = services_for_admin(region)
    error = None
    if request.method == "POST":
        service = all_services.filter(slug=request.POST.get("layanan", "")).first()
        try:
            day = dt.date.fromisoformat(request.POST.get("tanggal", ""))
        except ValueError:
            day = None
        source = request.POST.get("sumber", "walk_in")
        if service is None or day is None or source not in ("walk_in", "paper"):
            error = _("Choose the service, the source and the date.")
        else:
            try:
                services.survey_enter(
                    actor=actor_from_request(request),
                    region=region,
                    service=service,
                    scores={key: request.POST.get(key) for key, _q, _l in QUESTIONS},
                    comment=request.POST.get("saran", ""),
                    source=source,
                    answered_on=day,
                )
            except services.SurveyError as exc:
                error = exc.message
            else:
                messages.success(request, _("Response saved. Enter the next form."))
                return redirect(f"/{region.slug}/kantor/survei/baru/")
    return render(
        request,
        "surveys/enter.html",
        {
            "services": all_services,
            "questions": _questions(request.POST if request.method == "POST" else None),
            "error": error,
            "typed": request.POST,
            "today": timezone.localdate(timezone=region.zone).isoformat(),
            "sources": [(s.value, s.label) for s in (SurveyResponse.Source.WALK_IN, SurveyResponse.Source.PAPER)],
        },
        status=400 if error else 200,
    )


@staff_view
def import_file(request):
    region = request.region
    result = None
    if request.method == "POST":
        upload = request.FILES.get("berkas")
        if upload is None or upload.size > 5 * 1024 * 1024:
            messages.error(request, _("Choose a CSV or XLSX file of at most 5 MB."))
        else:
            result = services.survey_import(
                actor=actor_from_request(request),
                region=region,
                raw=upload.read(),
                confirm_partial=request.POST.get("konfirmasi") == "1",
            )
            if result.imported:
                messages.success(
                    request,
                    ngettext("%(n)s response imported.", "%(n)s responses imported.", result.imported)
                    % {"n": result.imported},
                )
    return render(request, "surveys/import.html", {"result": result, "columns": ", ".join(services.COLUMNS)})
