"""The governance pages: the office's sheets, IKU and published results (Access.ASSESSMENT; what each person
may do there is gerai/governance/policy.py), the public performance page of a region and the comparison of
regions. Thin: parse, call one service or selector, render; a refused write re-shows the page with the error
beside its field and what was typed."""

from functools import wraps

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gerai.accounts.decorators import region_view, staff_view
from gerai.accounts.policy import Access
from gerai.core import pagecache
from gerai.core.actors import actor_from_request
from gerai.core.errors import refused
from gerai.core.pagetopics import FIGURES, GOVERNANCE, INNOVATION
from gerai.governance import selectors, services, sources
from gerai.governance.forms import IkuForm, PublishedForm, StartForm
from gerai.governance.frameworks import framework_get
from gerai.governance.models import Assessment, PublishedResult
from gerai.governance.policy import Act, acts, may_edit_iku, standing_of
from gerai.governance.services import GovernanceError
from gerai.innovation.iid import iid_model
from gerai.regions.selectors import agencies_of_region, agency_get

IKU_AGENCY_KINDS = ("dinas", "kecamatan")  # perangkat daerah with a Renstra; desa offices report elsewhere


def _module_on(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.region.has_module(selectors.MODULE):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


# --- office ---------------------------------------------------------------------------------------------------


@staff_view(access=Access.ASSESSMENT)
@_module_on
def office(request):
    """The region's sheets by year, a form to start one, and the published results."""
    region, actor = request.region, actor_from_request(request)
    standing = standing_of(request.user, region)
    start = StartForm(request.POST if request.POST.get("what") == "start" else None)
    published = PublishedForm(request.POST if request.POST.get("what") == "published" else None)
    status = 200
    if request.method == "POST":
        form = start if request.POST.get("what") == "start" else published
        if form.is_valid():
            try:
                if form is start:
                    assessment = services.assessment_start(
                        actor=actor,
                        region=region,
                        framework_code=form.cleaned_data["framework"],
                        year=form.cleaned_data["year"],
                    )
                    return redirect("governance:assessment", region.slug, assessment.code)
                services.published_record(actor=actor, region=region, **form.cleaned_data)
                messages.success(request, _("The published result is recorded."))
                return redirect("governance:office", region.slug)
            except GovernanceError as exc:
                refused(request, exc, form)
        status = 400
    context = {
        "assessments": selectors.assessments_listed(region),
        "published": selectors.published_of(region),
        "start": start,
        "published_form": published,
        "standing": standing,
        "models": selectors.known_models(),
        "this_year": timezone.localdate(timezone=region.zone).year,
    }
    return render(request, "governance/office.html", context, status=status)


def _answer_post(request, assessment, act: str) -> None:
    """One indicator's write from the sheet page; raises GovernanceError."""
    actor, post = actor_from_request(request), request.POST
    indicator = post.get("indicator", "")
    if act == "answer":
        services.answer_save(
            actor=actor,
            assessment=assessment,
            indicator=indicator,
            value=post.get("value", ""),
            justification=post.get("justification", ""),
        )
    elif act == "evidence":
        upload = request.FILES.get("file")
        if upload is None:
            raise GovernanceError("file_required", _("Choose a file to upload."), field="file")
        services.evidence_attach(actor=actor, assessment=assessment, indicator=indicator, upload=upload)
    elif act in ("accept", "override"):
        framework = framework_get(assessment.framework)
        live = framework.indicator(indicator) if framework else None
        figure = sources.figures(assessment.region, assessment.year).get(live.live) if live and live.live else None
        if figure is None:
            raise GovernanceError("no_proposal", _("There is no figure to propose a value from yet."))
        services.proposal_decide(
            actor=actor,
            assessment=assessment,
            indicator=indicator,
            figure=figure,
            value=post.get("value", "") if act == "override" else None,
            reason=post.get("reason", ""),
        )


@staff_view(access=Access.ASSESSMENT)
@_module_on
def assessment_page(request, code: str):
    """One sheet: every indicator with its level, justification, evidence and Gerai's proposal; the index of
    the whole, of each domain and each aspect; the workflow buttons this person may use."""
    region = request.region
    assessment = selectors.assessment_get(region, code)
    failed: dict = {}
    if request.method == "POST":
        what = request.POST.get("what", "")
        try:
            if what in ("submit", "return", "lock", "reopen"):
                services.assessment_transition(
                    actor=actor_from_request(request),
                    assessment=assessment,
                    act=Act(what),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request, _("The assessment is now: %(status)s.") % {"status": _status_label(assessment, region)}
                )
            else:
                _answer_post(request, assessment, what)
                messages.success(request, _("Saved."))
            anchor = f"#i-{request.POST.get('indicator')}" if request.POST.get("indicator") else ""
            return redirect(request.path + anchor)
        except GovernanceError as exc:
            failed = {"what": what, "indicator": request.POST.get("indicator", ""), "error": exc, "post": request.POST}
            assessment.refresh_from_db()
    sheet = selectors.sheet(assessment)
    _show_typed(sheet, failed)
    standing = standing_of(request.user, region)
    context = {
        "sheet": sheet,
        "assessment": assessment,
        "framework": sheet.framework,
        "acts": {a.value for a in acts(standing, assessment.status)},
        "failed": failed,
    }
    return render(request, "governance/assessment.html", context, status=400 if failed else 200)


def _show_typed(sheet: selectors.Sheet, failed: dict) -> None:
    """Put a refused write's message and what was typed back beside its indicator."""
    if not failed or not failed["indicator"]:
        return
    post = failed["post"]
    for row in sheet.rows():
        if row.indicator.code == failed["indicator"]:
            row.error = failed["error"].message
            if failed["what"] in ("answer", "override"):
                row.shown_value = post.get("value", "")
            if failed["what"] == "answer":
                row.shown_justification = post.get("justification", "")


def _status_label(assessment: Assessment, region) -> str:
    current = selectors.assessment_get(region, assessment.code)
    return str(Assessment.Status(current.status).label)


@staff_view(access=Access.ASSESSMENT)
@_module_on
def evidence(request, code: str):
    item = selectors.evidence_get(request.region, code)
    response = FileResponse(
        item.file.open("rb"), content_type=item.content_type, as_attachment=True, filename=item.name
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _year(request, region) -> int:
    raw = request.GET.get("tahun") or request.POST.get("tahun") or ""
    this_year = timezone.localdate(timezone=region.zone).year
    return int(raw) if raw.isdigit() and services.FIRST_YEAR <= int(raw) <= this_year + 1 else this_year


def _iku_post(request, region, year: int, form: IkuForm) -> bool:
    actor, what = actor_from_request(request), request.POST.get("what", "")
    if what == "save":
        if not form.is_valid():
            return False
        data = form.cleaned_data
        agency = agency_get(region, data["agency"])
        if agency is None:
            raise GovernanceError("not_found", _("Choose an agency of this region."), field="agency")
        code = request.POST.get("code", "")
        services.iku_save(
            actor=actor,
            region=region,
            agency=agency,
            year=year,
            name=data["name"],
            unit=data["unit"],
            direction=data["direction"],
            target=data["target"],
            realisation=data["realisation"],
            live_source=data["live_source"],
            iku=selectors.iku_get(region, code) if code else None,
        )
        return True
    iku = selectors.iku_get(region, request.POST.get("code", ""))
    if what == "values":  # a row's target and realisation
        services.iku_save(
            actor=actor,
            region=region,
            agency=iku.agency,
            year=iku.year,
            name=iku.name,
            unit=iku.unit,
            direction=iku.direction,
            target=request.POST.get("target", ""),
            realisation=request.POST.get("realisation", ""),
            live_source=iku.live_source,
            iku=iku,
        )
        return True
    figure = sources.agency_ikm(region, iku.agency, iku.year)
    services.iku_proposal_decide(
        actor=actor,
        iku=iku,
        figure=figure,
        value=request.POST.get("value", "") if what == "override" else None,
        reason=request.POST.get("reason", ""),
    )
    return True


@staff_view(access=Access.ASSESSMENT)
@_module_on
def iku(request):
    """The agencies' performance indicators of a year: target, realisation, achievement, IKM proposals."""
    region = request.region
    year = _year(request, region)
    standing = standing_of(request.user, region)
    agencies = [a for a in agencies_of_region(region) if a.kind in IKU_AGENCY_KINDS and may_edit_iku(standing, a.pk)]
    form = IkuForm(agencies, request.POST if request.POST.get("what") == "save" else None)
    error = None
    if request.method == "POST":
        try:
            if _iku_post(request, region, year, form):
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}?tahun={year}")
        except GovernanceError as exc:
            if request.POST.get("what") == "save":
                refused(request, exc, form)
            else:
                error = exc
    context = {
        "year": year,
        "rows": selectors.ikus_of(region, year),
        "form": form,
        "standing": standing,
        "error": error,
        "editing": request.POST.get("code", "") if request.method == "POST" else "",
    }
    return render(request, "governance/iku.html", context, status=400 if request.method == "POST" else 200)


# --- public ----------------------------------------------------------------------------------------------------


@region_view
@_module_on
@pagecache.public_page("performance", topics=(GOVERNANCE, INNOVATION, FIGURES))
def public_page(request):
    """The region's governance results by year: IKM, SPBE/Pemdi, SAKIP and IID, self-assessed (locked sheets
    only) beside the published official results, with figures measured by Gerai marked."""
    kinds = [(kind, label) for kind, label in PublishedResult.Kind.choices]
    return render(request, "governance/public.html", {"years": selectors.history(request.region), "kinds": kinds})


@pagecache.public_page("performance", topics=(GOVERNANCE, INNOVATION, FIGURES), platform=True)
def comparison(request):
    """Every region with the module on, side by side: its latest results."""
    context = {
        "regions": selectors.regions_compared(),
        "keys": ["digital", "sakip", "iid"],
        "iid_scale": iid_model(timezone.localdate().year),
    }
    return render(request, "governance/comparison.html", context)
