from functools import wraps

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gerai.accounts.decorators import region_view, staff_view
from gerai.accounts.policy import Access
from gerai.catalog.selectors import services_for_admin
from gerai.core import pagecache
from gerai.core.actors import actor_from_request
from gerai.core.errors import refused
from gerai.core.pagetopics import INNOVATION
from gerai.core.throttle import throttle_allow
from gerai.innovation import exports, selectors, services
from gerai.innovation.forms import (
    MAX_PLAN_YEARS,
    EvidenceForm,
    HorizonForm,
    InnovationForm,
    PlannerForm,
    SearchForm,
)
from gerai.innovation.iid import iid_model
from gerai.innovation.models import INDICATORS, Innovation
from gerai.innovation.planner import ProblemError
from gerai.innovation.reports import plan_compare_rows, plan_view
from gerai.innovation.solving import problem_message, region_body, solve_body


def private_download(response):
    """An uploaded document as a private download: never rendered as a page of the site (attachment, no
    sniffing, a sandbox CSP) and never kept by a shared cache or the browser's history."""
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def planning_view(view):
    """The office pages of the library and the roadmap: planners and admins of the region (others get 404), and
    only where the region has the module on."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if selectors.MODULE not in (request.region.modules or []):
            raise Http404
        return view(request, *args, **kwargs)

    return staff_view(access=Access.PLANNING)(checked)


def _search(request, region=None):
    form = SearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.innovations_public(
        region,
        q=filters.get("q", ""),
        form=filters.get("bentuk", ""),
        stage=filters.get("tahap", ""),
        digital=filters.get("digital", ""),
    )
    rows = selectors.regions_with_library(rows[:500]) if region is None else list(rows[:500])
    return form, rows


def _filtered(form) -> bool:
    """Whether the visitor searched or filtered: an empty list then means "nothing matches", else "none yet"."""
    return form.is_bound and any(form.data.get(name) for name in form.fields)


@region_view
@pagecache.public_page("innovations", topics=(INNOVATION,))
def library(request):
    """A region's published innovation library, searched and filtered."""
    if selectors.MODULE not in (request.region.modules or []):
        raise Http404
    form, rows = _search(request, request.region)
    context = {"form": form, "rows": rows, "everywhere": False, "filtered": _filtered(form)}
    return render(request, "innovation/library.html", context)


@pagecache.public_page("innovations", topics=(INNOVATION,), platform=True)
def library_all(request):
    """Every region's published innovations (/inovasi/)."""
    form, rows = _search(request)
    context = {"form": form, "rows": rows, "everywhere": True, "filtered": _filtered(form)}
    return render(request, "innovation/library.html", context)


@region_view
def detail(request, code: str):
    innovation = selectors.innovation_get_public(request.region, code)
    live = selectors.live_figures(request.region) if innovation.indicators else {}
    return render(
        request,
        "innovation/detail.html",
        {
            "innovation": innovation,
            "live": [(label, live.get(key), key) for key, label in _indicator_pairs(innovation)],
            "adoptions": innovation.adoptions.select_related("region").order_by("adopted_at"),
        },
    )


def _indicator_pairs(innovation):
    return [(key, INDICATORS[key]) for key in innovation.indicators if key in INDICATORS]


# ---- the office ------------------------------------------------------------------------------------------------


@planning_view
def office_list(request):
    rows = list(selectors.innovations_of(request.region))
    return render(
        request,
        "innovation/office_list.html",
        {
            "own": [r for r in rows if r.kind == Innovation.Kind.OWN],
            "candidates": [r for r in rows if r.kind == Innovation.Kind.CANDIDATE],
        },
    )


def _save_innovation(request, form, innovation=None):
    actor = actor_from_request(request)
    relations = {
        "prerequisites": form.cleaned_data["prerequisites"],
        "excludes": form.cleaned_data["excludes"],
        "services": form.cleaned_data["services"],
    }
    if innovation is None:
        kind = request.POST.get("kind", Innovation.Kind.OWN)
        kind = kind if kind in Innovation.Kind.values else Innovation.Kind.OWN
        return services.innovation_create(
            actor=actor, region=request.region, kind=kind, data=form.data_for_service(), **relations
        )
    return services.innovation_update(actor=actor, innovation=innovation, data=form.data_for_service(), **relations)


@planning_view
def office_new(request):
    form = InnovationForm(request.POST or None, region=request.region, services=services_for_admin(request.region))
    if request.method == "POST" and form.is_valid():
        try:
            innovation = _save_innovation(request, form)
        except services.InnovationError as exc:
            refused(request, exc, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("innovation:office_edit", request.region.slug, innovation.code)
    return render(request, "innovation/office_edit.html", {"form": form, "innovation": None})


@planning_view
def office_edit(request, code: str):
    innovation = selectors.innovation_get(request.region, code)
    form = InnovationForm(
        request.POST if request.POST.get("what") == "save" else None,
        instance=innovation,
        region=request.region,
        services=services_for_admin(request.region),
    )
    year = timezone.localdate(timezone=request.region.zone).year
    evidence_form = EvidenceForm(
        request.POST if request.POST.get("what") == "evidence" else None,
        request.FILES or None,
        aspect="sid",
        year=year,
    )
    if request.method == "POST":
        response = _office_edit_post(request, innovation, form, evidence_form)
        if response is not None:
            return response
    return render(
        request,
        "innovation/office_edit.html",
        {
            "form": form,
            "innovation": innovation,
            "evidence_form": evidence_form,
            "evidence": selectors.evidence_of(request.region, innovation),
            "indicator_names": _indicator_names(year),
        },
    )


def _indicator_names(year: int) -> dict[str, str]:
    return {i.key: f"{i.no}. {i.name}" for i in iid_model(year).indicators}


def _office_edit_post(request, innovation, form, evidence_form):
    what, actor = request.POST.get("what"), actor_from_request(request)
    here = redirect("innovation:office_edit", request.region.slug, innovation.code)
    try:
        if what == "save" and form.is_valid():
            _save_innovation(request, form, innovation)
            messages.success(request, _("Saved."))
            return here
        if what == "evidence" and evidence_form.is_valid():
            data = evidence_form.cleaned_data
            services.evidence_add(
                actor=actor,
                region=request.region,
                innovation=innovation,
                indicator=data["indicator"],
                level=data["level"],
                title=data["title"],
                upload=data["file"],
            )
            messages.success(request, _("The evidence is added."))
            return here
        if what == "delete_evidence":
            evidence = selectors.evidence_get(request.region, request.POST.get("evidence", ""))
            services.evidence_delete(actor=actor, evidence=evidence)
            messages.success(request, _("The evidence is removed."))
            return here
        if what == "delete":
            services.innovation_delete(actor=actor, innovation=innovation)
            messages.success(request, _("The innovation is deleted."))
            return redirect("innovation:office_list", request.region.slug)
    except services.InnovationError as exc:
        refused(request, exc, evidence_form if what == "evidence" else form)
    return None


@planning_view
def evidence_file(request, code: str):
    evidence = selectors.evidence_get(request.region, code)
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=True,
        filename=f"bukti-{evidence.code}.pdf",
    )
    return private_download(response)


@planning_view
def adopt(request):
    """Other regions' innovations, to adopt as candidates (with lineage)."""
    if request.method == "POST":
        source = selectors.adoptable_get(request.region, request.POST.get("code", ""))
        try:
            candidate = services.innovation_adopt(
                actor=actor_from_request(request), source=source, region=request.region
            )
        except services.InnovationError as exc:
            refused(request, exc)
        else:
            messages.success(
                request,
                _("“%(name)s” is now among your candidates. Check its cost estimate for your region.")
                % {"name": candidate.name},
            )
        return redirect("innovation:adopt", request.region.slug)
    q = request.GET.get("q", "")[:100]
    return render(request, "innovation/adopt.html", {"rows": selectors.adoptable_for(request.region, q=q), "q": q})


@planning_view
def score(request):
    """The IID self-score: computed from the region's entries and evidence, with its predicate."""
    year = timezone.localdate(timezone=request.region.zone).year
    evidence_form = EvidenceForm(request.POST or None, request.FILES or None, aspect="spd", year=year)
    if request.method == "POST" and evidence_form.is_valid():
        data = evidence_form.cleaned_data
        try:
            services.evidence_add(
                actor=actor_from_request(request),
                region=request.region,
                innovation=None,
                indicator=data["indicator"],
                level=data["level"],
                title=data["title"],
                upload=data["file"],
            )
        except services.InnovationError as exc:
            refused(request, exc, evidence_form)
        else:
            messages.success(request, _("The evidence is added."))
            return redirect("innovation:score", request.region.slug)
    result = selectors.iid_for(request.region, year)
    return render(
        request,
        "innovation/score.html",
        {
            "score": result,
            "evidence_form": evidence_form,
            "evidence": selectors.evidence_of(request.region),
            "indicator_names": _indicator_names(year),
        },
    )


# ---- the roadmap planner -----------------------------------------------------------------------------------


def _horizon(request, latest):
    this_year = timezone.localdate(timezone=request.region.zone).year
    default = {"mulai": this_year + 1, "tahun": 3}
    if latest is not None:
        years = latest.inputs.get("years") or []
        if years:
            default = {"mulai": years[0], "tahun": min(len(years), MAX_PLAN_YEARS)}
    form = HorizonForm(request.GET if "mulai" in request.GET else None, initial=default)
    if form.is_bound and form.is_valid():
        first, count = form.cleaned_data["mulai"], form.cleaned_data["tahun"]
    else:
        first, count = default["mulai"], default["tahun"]
    return form, list(range(first, first + count))


def _initial(latest, years) -> dict:
    if latest is None:
        return {}
    inputs = latest.inputs
    initial: dict = {}
    for year in years:
        if str(year) in inputs.get("budget", {}):
            initial[f"budget_{year}"] = f"{int(inputs['budget'][str(year)]):,}".replace(",", ".")
        if str(year) in (inputs.get("staff") or {}):
            initial[f"staff_{year}"] = int(inputs["staff"][str(year)])
    for goal, weight in (inputs.get("weights") or {}).items():
        initial[f"weight_{goal}"] = weight
    return initial


@planning_view
def planner(request):
    latest = selectors.plan_latest(request.region)
    horizon_form, years = _horizon(request, latest)
    if request.method == "POST":
        years = [int(y) for y in request.POST.getlist("years") if y.isdigit()][:MAX_PLAN_YEARS] or years
    form = PlannerForm(request.POST or None, years=years, initial=_initial(latest, years))
    candidates = list(selectors.candidates_of(request.region))
    status = 200
    if request.method == "POST" and not throttle_allow("planner", f"page|{request.user.pk}"):
        # each solve may take 20 s of a server process: the same limit as the API's, per person, in the shared cache
        form.is_valid()
        form.add_error(None, _("Too many plans in a short time. Wait a minute and try again."))
        status = 429
    elif request.method == "POST" and form.is_valid():
        budget, staff, weights = form.settings()
        body = region_body(candidates, years=years, budget=budget, staff=staff, weights=weights)
        try:
            result = solve_body(body)
        except ProblemError as exc:
            form.add_error(None, problem_message(exc))
        else:
            plan = services.plan_save(
                actor=actor_from_request(request),
                region=request.region,
                inputs=body | {"weights": weights},
                result=result,
                title=form.cleaned_data.get("title", ""),
            )
            return redirect("innovation:plan", request.region.slug, plan.code)
    return render(
        request,
        "innovation/planner.html",
        {
            "form": form,
            "horizon_form": horizon_form,
            "years": years,
            "candidates": candidates,
            "plans": selectors.plans_of(request.region)[:20],
        },
        status=status,
    )


@planning_view
def plan(request, code: str):
    saved = selectors.plan_get(request.region, code)
    previous = selectors.plans_of(request.region).filter(version__lt=saved.version).first()
    return render(request, "innovation/plan.html", {"plan": plan_view(saved), "saved": saved, "previous": previous})


@planning_view
def plan_export(request, code: str, fmt: str):
    saved = selectors.plan_get(request.region, code)
    if fmt == "pdf":
        return exports.plan_pdf(request, saved)
    if fmt == "xlsx":
        return exports.plan_xlsx(saved)
    raise Http404


@planning_view
def plan_compare(request):
    """Two versions side by side (what-if)."""
    a = selectors.plan_get(request.region, request.GET.get("a", ""))
    b = selectors.plan_get(request.region, request.GET.get("b", ""))
    left, right = plan_view(a), plan_view(b)
    return render(
        request,
        "innovation/compare.html",
        {"a": left, "b": right, "rows": plan_compare_rows(left, right)},
    )
