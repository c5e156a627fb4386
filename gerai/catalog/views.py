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
from gerai.catalog import selectors, services
from gerai.catalog.forms import PART_FORMSETS, CopyForm, ServiceForm
from gerai.catalog.models import STANDARD_DELIVERY, STANDARD_MANAGEMENT, Service
from gerai.core.actors import actor_from_request


@region_view
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
def catalog(request):
    query = request.GET.get("q", "").strip()[:100]
    services_ = selectors.services_published(request.region)
    if query:
        services_ = services_.filter(name__icontains=query) | services_.filter(summary__icontains=query)
    grouped: dict[str, list] = {}
    for service in services_.order_by("category", "name"):
        grouped.setdefault(service.get_category_display(), []).append(service)
    return render(request, "catalog/catalog.html", {"grouped": grouped, "query": query})


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
def service_detail(request, service_slug):
    service = selectors.service_get_published(request.region, service_slug)
    return render(
        request,
        "catalog/service_detail.html",
        {
            "service": service,
            "delivery": _standard_rows(service, STANDARD_DELIVERY),
            "management": _standard_rows(service, STANDARD_MANAGEMENT),
            "documents": service.documents.all(),
            "steps": service.steps.select_related("agency"),
        },
    )


@staff_view(admin=True)
def admin_services(request):
    return render(request, "catalog/admin_services.html", {"services": selectors.services_for_admin(request.region)})


@staff_view(admin=True)
def admin_service_edit(request, service_slug):
    service = selectors.service_get_for_admin(request.region, service_slug)
    form = ServiceForm(request.POST or None, instance=None, initial=_initial(service), region=request.region)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(actor=actor_from_request(request), service=service, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The service is saved."))
            return redirect("catalog:admin_services", region_slug=request.region.slug)
    return render(request, "catalog/admin_service_edit.html", {"service": service, "form": form})


def _initial(service):
    return {name: getattr(service, name) for name in ServiceForm.Meta.fields}


@staff_view(admin=True)
def admin_copy(request):
    form = CopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source = selectors.service_get_copyable(request.region, form.cleaned_data["source"])
        try:
            copy = services.service_copy(
                actor=actor_from_request(request),
                source=source,
                region=request.region,
                slug=form.cleaned_data["slug"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Copied. Adapt it, then publish it."))
            return redirect("catalog:admin_service_edit", region_slug=request.region.slug, service_slug=copy.slug)
    return render(request, "catalog/admin_copy.html", {"candidates": selectors.services_copyable(request.region)[:200]})


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
