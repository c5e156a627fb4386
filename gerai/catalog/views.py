from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control

from gerai.accounts.decorators import region_view, staff_view
from gerai.catalog import lineage, selectors, services
from gerai.catalog.forms import PART_FORMSETS, AdoptForm, CategoryForm, ServiceCreateForm, ServiceForm
from gerai.catalog.models import STANDARD_DELIVERY, STANDARD_MANAGEMENT, Service
from gerai.core import pagecache
from gerai.core.actors import actor_from_request
from gerai.core.errors import DomainError, refused
from gerai.core.pagetopics import CATALOG, NEWS, TOURISM
from gerai.regions.selectors import agencies_of_region


@region_view
@pagecache.public_page("region-home", topics=(CATALOG, NEWS, TOURISM))
def region_home(request):
    services_ = selectors.services_published(request.region)
    return render(request, "catalog/region_home.html", {"services": services_[:6], "service_count": services_.count()})


@region_view
@cache_control(max_age=300, public=True)
def theme_css(request):
    region = request.region
    css = f":root{{--brand:{region.colour_primary};--accent:{region.colour_accent};}}\n"
    return HttpResponse(css, content_type="text/css")


@region_view
@pagecache.public_page("catalog", topics=(CATALOG,))
def catalog(request):
    query = request.GET.get("q", "").strip()[:100]
    services_ = selectors.services_published(request.region)
    if query:
        services_ = services_.filter(name__icontains=query) | services_.filter(summary__icontains=query)
    names = dict(selectors.categories_of_region(request.region.pk))
    by_code: dict[str, list] = {code: [] for code in names}  # the region's order
    for service in services_.order_by("name"):
        by_code.setdefault(service.category, []).append(service)
    # by code: two categories may share a name, and neither's services may hide the other's
    groups = [
        (name, selectors.category_lang(name), items)
        for code, items in by_code.items()
        if items
        for name in [names.get(code, code)]
    ]
    return render(request, "catalog/catalog.html", {"groups": groups, "query": query})


def _standard_rows(service: Service, components):
    rows = []
    for name, label in components:
        value = getattr(service, name)
        if name == "std_duration" and not value:
            value = ngettext(
                "%(days)s working day after the application is complete",
                "%(days)s working days after the application is complete",
                service.sla_working_days,
            ) % {"days": service.sla_working_days}
        if name == "std_fee" and not value:
            value = service.fee_display
        rows.append((label, value or "–"))
    return rows


@region_view
@pagecache.public_page("service", topics=(CATALOG,))
def service_detail(request, service_slug):
    service = selectors.service_get_published(request.region, service_slug)
    return render(
        request,
        "catalog/service_detail.html",
        {
            "service": service,
            "category": selectors.category_name(service),
            "delivery": _standard_rows(service, STANDARD_DELIVERY),
            "management": _standard_rows(service, STANDARD_MANAGEMENT),
            "documents": service.documents.all(),
            "steps": service.steps.select_related("agency"),
            "adopters": selectors.service_adopters(service),
        },
    )


@staff_view(admin=True)
def admin_services(request):
    return render(
        request,
        "catalog/admin_services.html",
        {
            "services": selectors.services_for_admin(request.region),
            "news": selectors.services_with_upstream_news(request.region),
        },
    )


@staff_view(admin=True)
def admin_categories(request):
    """The region's service categories: add, rename, reorder, remove (when no service is in it)."""
    region, actor = request.region, actor_from_request(request)
    editing = request.GET.get("ubah", "")
    categories = selectors.categories_of_region(region.pk)
    names = dict(categories)
    if editing and editing not in names:
        raise Http404
    what = request.POST.get("what")
    initial = {"code": editing, "name": names.get(editing, "")} if editing else None
    form = CategoryForm(request.POST if what == "save" else None, initial=initial)
    if editing:
        form.fields["code"].disabled = True
    if request.method == "POST" and what == "delete":
        try:
            services.category_delete(actor=actor, region=region, code=request.POST.get("code", ""))
        except DomainError as exc:
            refused(request, exc)  # shown on the list the redirect leads to
        else:
            messages.success(request, _("The category is removed."))
        return redirect("catalog:admin_categories", region_slug=region.slug)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(actor=actor, region=region, code=editing, data=form.cleaned_data)
        except DomainError as exc:
            refused(request, exc, form)
        else:
            messages.success(request, _("The category is saved."))
            return redirect("catalog:admin_categories", region_slug=region.slug)
    counts = selectors.category_counts(region)
    rows = [
        {"code": code, "name": name, "lang": selectors.category_lang(name), "services": counts.get(code, 0)}
        for code, name in categories
    ]
    return render(
        request,
        "catalog/admin_categories.html",
        {"form": form, "rows": rows, "editing": editing, "own": selectors.categories_are_own(region.pk)},
        status=400 if form.errors else 200,
    )


@staff_view(admin=True)
def admin_service_edit(request, service_slug):
    service = selectors.service_get_for_admin(request.region, service_slug)
    form = ServiceForm(request.POST or None, instance=None, initial=_initial(service), region=request.region)
    if request.method == "POST" and request.POST.get("what") == "publish":
        try:
            version = services.service_publish(actor=actor_from_request(request), service=service)
        except DomainError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Published as version %(n)s.") % {"n": version.number})
        return redirect("catalog:admin_service_edit", region_slug=request.region.slug, service_slug=service.slug)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(actor=actor_from_request(request), service=service, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except DomainError as exc:
            refused(request, exc, form)
        else:
            messages.success(request, _("The service is saved."))
            return redirect("catalog:admin_services", region_slug=request.region.slug)
    context = {
        "service": service,
        "form": form,
        "problems": services.service_publish_problems(service),
        "flags": lineage.review_flags(service, service.copied_from.region.name) if service.copied_from else [],
        "upstream": selectors.service_upstream_newer(service),
        "versions": selectors.service_versions(service)[:10],
        "adopters": selectors.service_adopters(service),
    }
    return render(request, "catalog/admin_service_edit.html", context, status=400 if form.errors else 200)


def _initial(service):
    return {name: getattr(service, name) for name in ServiceForm.Meta.fields}


@staff_view(admin=True)
def admin_service_new(request):
    """A service from scratch: its standard first, saved as a draft; then its questions, documents, steps and
    letter, and publishing."""
    form = ServiceCreateForm(request.POST or None, region=request.region)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(
                actor=actor_from_request(request),
                region=request.region,
                data=form.cleaned_data,
                slug=form.cleaned_data["slug"],
            )
        except DomainError as exc:
            refused(request, exc, form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved as a draft. Add its questions, documents and steps, then publish it."))
            return redirect("catalog:admin_service_parts", request.region.slug, service.slug, "formulir")
    return render(request, "catalog/admin_service_new.html", {"form": form}, status=400 if form.errors else 200)


@staff_view(admin=True)
def admin_copy(request):
    return render(request, "catalog/admin_copy.html", {"candidates": selectors.services_copyable(request.region)[:200]})


@staff_view(admin=True)
def admin_adopt(request, pk):
    """One service of another region: a preview, what this region already has of it, and the mapping of each of
    its agencies to one of this region's (suggested by kind and name)."""
    source = selectors.service_get_copyable(request.region, pk)
    owners = services.adoption_owners(source)
    suggestions = services.adoption_suggestions(source, request.region)
    form = AdoptForm(
        request.POST or None,
        owners=owners,
        local_agencies=agencies_of_region(request.region),
        suggestions=suggestions,
        initial={"slug": source.slug},
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.service_copy(
                actor=actor_from_request(request),
                source=source,
                region=request.region,
                slug=form.cleaned_data["slug"],
                agency_map=form.agency_map(),
            )
        except DomainError as exc:
            refused(request, exc, form)
        else:
            messages.success(request, _("Adopted. Review the flagged text, adapt it, then publish it."))
            return redirect("catalog:admin_service_edit", region_slug=request.region.slug, service_slug=copy.slug)
    context = {
        "source": source,
        "form": form,
        "already": selectors.services_related_here(request.region, source),
        "steps": source.steps.select_related("agency"),
        "flags": lineage.review_flags(source, source.region.name),
    }
    return render(request, "catalog/admin_adopt.html", context, status=400 if form.errors else 200)


def _version_number(raw: str) -> int:
    """The source version the page showed; anything but digits is a page nobody saw (decided as stale)."""
    return int(raw) if raw.isdigit() and len(raw) < 10 else -1


@staff_view(admin=True)
def admin_upstream(request, service_slug):
    """The source published a newer version: what it changed since the adopted one, what this region changed, and
    the conflicts side by side; each change accepted or declined."""
    service = selectors.service_get_for_admin(request.region, service_slug)
    latest = selectors.service_upstream_newer(service)
    if latest is None:
        messages.info(request, _("The source has published nothing new since."))
        return redirect("catalog:admin_service_edit", region_slug=request.region.slug, service_slug=service.slug)
    base = service.upstream_version.snapshot if service.upstream_version else None
    changes, local = lineage.three_way(base, latest.snapshot, lineage.snapshot(service))
    if request.method == "POST":
        accepted = set(request.POST.getlist("accept")) & {c.key for c in changes}
        try:
            services.service_upstream_apply(
                actor=actor_from_request(request),
                service=service,
                accepted=accepted,
                expected_version=_version_number(request.POST.get("version", "")),
            )
        except DomainError as exc:
            refused(request, exc)
        else:
            messages.success(
                request,
                _("%(n)s changes accepted, %(m)s declined.") % {"n": len(accepted), "m": len(changes) - len(accepted)},
            )
            return redirect("catalog:admin_service_edit", region_slug=request.region.slug, service_slug=service.slug)
    context = {"service": service, "latest": latest, "changes": changes, "local": local}
    return render(request, "catalog/admin_upstream.html", context)


PART_TITLES = {
    "formulir": _lazy("Form questions"),
    "dokumen": _lazy("Required documents"),
    "alur": _lazy("Workflow steps"),
}


@staff_view(admin=True)
def admin_service_parts(request, service_slug, part):
    service = selectors.service_get_for_admin(request.region, service_slug)
    if part not in PART_FORMSETS:
        raise Http404
    kwargs: dict[str, Any] = {"form_kwargs": {"region": request.region}} if part == "alur" else {}
    formset = PART_FORMSETS[part](request.POST or None, instance=service, **kwargs)
    if request.method == "POST" and formset.is_valid():
        try:
            services.service_parts_save(actor=actor_from_request(request), service=service, part=part, formset=formset)
        except IntegrityError:  # two rows with one key or one step number
            messages.error(request, _("Each key and each step number must be used once."))
        except DomainError as exc:  # published: the new version is refused (a step without an agency)
            refused(request, exc)
        else:
            messages.success(request, _("The service is saved."))
            return redirect(
                "catalog:admin_service_parts", region_slug=request.region.slug, service_slug=service.slug, part=part
            )
    return render(
        request,
        "catalog/admin_service_parts.html",
        {"service": service, "formset": formset, "part": part, "title": PART_TITLES[part], "parts": PART_TITLES},
    )
