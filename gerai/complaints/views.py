from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerai.accounts.decorators import region_view, staff_view
from gerai.accounts.selectors import is_region_admin
from gerai.complaints import selectors, services, stats
from gerai.complaints.forms import CategoryForm, PolicyForm, ReportForm
from gerai.complaints.models import OPEN_STATUSES
from gerai.complaints.policy import (
    Viewer,
    is_coordinator,
    may_follow,
    may_manage_integrations,
    public_view,
    report_actions,
    report_view,
    staff_report_view,
)
from gerai.core import pagecache
from gerai.core.actors import actor_from_request, client_ip
from gerai.core.errors import refused
from gerai.core.pagetopics import COMPLAINTS
from gerai.core.throttle import throttle_allow
from gerai.lib.codes import reference
from gerai.lib.files import private_file_response
from gerai.regions.selectors import agencies_of_region, agency_get, village_choices, village_get
from gerai.regions.views import map_settings_save


def _module_on(request):
    if not request.region.has_module("pengaduan"):
        raise Http404


# --- public ---------------------------------------------------------------------------------------


@region_view
@pagecache.public_page("complaints", topics=(COMPLAINTS,))
def public_list(request):
    _module_on(request)
    reports = selectors.reports_public(request.region)
    category = request.GET.get("kategori", "")[:40]
    state = request.GET.get("status", "")
    if category:
        reports = reports.filter(category__code=category)
    if state == "open":
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif state == "closed":
        reports = reports.exclude(status__in=OPEN_STATUSES)
    page = Paginator(reports, 20).get_page(request.GET.get("hal"))
    region = request.region
    rows = [public_view(r) for r in page]
    points = [
        {
            "lat": v.location[0],
            "long": v.location[1],
            "title": v.title,
            "url": f"/{region.slug}/pengaduan/{v.report.tracking_code}",
        }
        for v in rows
        if v.location is not None
    ]
    response = render(
        request,
        "complaints/list.html",
        {
            "page": page,
            "rows": rows,
            "categories": selectors.categories_active(region),
            "category": category,
            "state": state,
            "points": points if region.map_tiles_url else None,
        },
    )
    if region.map_tiles_url:  # the region's own tile server may serve the map's images, nothing else
        origin = "https://" + urlsplit(region.map_tiles_url).netloc.replace("{s}", "*")  # {s}: any subdomain
        policy = dict(django_settings.SECURE_CSP)
        policy["img-src"] = [*policy["img-src"], origin]
        # what django.views.decorators.csp.csp_override sets, per region here (the stubs know no such attribute)
        response._csp_config = policy  # type: ignore[attr-defined]
    return response


def _form(request, data=None, files=None):
    return ReportForm(
        data,
        files,
        categories=selectors.categories_active(request.region),
        villages=village_choices(request.region.pk),
        signed_in=request.user.is_authenticated,
    )


@region_view
def file_report(request):
    _module_on(request)
    form = _form(request, request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if not throttle_allow("report", client_ip(request) or "?"):
            messages.error(
                request, _("Too many reports from your connection. Wait a few minutes; what you typed is still here.")
            )
            context = {"form": form, "once": request.POST.get("once", ""), "policy": services.policy_of(request.region)}
            return render(request, "complaints/file.html", context, status=429)
        if form.is_valid():
            data = form.cleaned_data
            category = selectors.category_get(request.region, data["category"])
            desa = village_get(request.region, data["desa"]) if data["desa"] else None
            user = request.user if request.user.is_authenticated else None
            try:
                if category is None:  # withdrawn since the form offered it
                    raise services.ComplaintError(
                        "unknown_category", _("Choose one of this region's categories."), field="category"
                    )
                report = services.report_file(
                    actor=actor_from_request(request),
                    region=request.region,
                    category=category,
                    kind=data["kind"],
                    title=data["title"],
                    description=data["description"],
                    desa=desa,
                    address=data["address"],
                    lat=data["lat"],
                    long=data["long"],
                    uploads=request.FILES.getlist("media"),
                    reporter=user,
                    reporter_name=data.get("reporter_name", ""),
                    reporter_email=data.get("reporter_email", ""),
                    reporter_phone=data.get("reporter_phone", ""),
                    anonymous=data["anonymous"],
                    confidential=data["confidential"],
                    client_key=request.POST.get("once", "")[:64],
                )
            except services.ComplaintError as exc:
                refused(request, exc, form)
            else:
                return redirect(f"/{request.region.slug}/pengaduan/{report.tracking_code}?baru=1")
        status = 400
    context = {"form": form, "once": reference(), "policy": services.policy_of(request.region)}
    return render(request, "complaints/file.html", context, status=status)


@require_POST
@region_view
def hints(request):
    """Similar reports while the citizen types (htmx); the same list follows the filing without JS."""
    _module_on(request)
    category = selectors.category_get(request.region, request.POST.get("category", ""))
    desa = village_get(request.region, request.POST.get("desa", "")) if request.POST.get("desa") else None
    similar = []
    if category is not None and len(request.POST.get("description", "")) >= 15:
        text = request.POST.get("description", "")[:4000]
        similar = [public_view(r) for r in selectors.similar_reports_public(request.region, category, desa, text)]
    return render(request, "complaints/_hints.html", {"similar": similar})


@region_view
def detail(request, code):
    _module_on(request)
    if not throttle_allow("tracking", f"report|{client_ip(request)}"):
        return render(request, "complaints/detail.html", {"throttled": True}, status=429)
    report = selectors.report_by_code(request.region, code)
    if report is None:
        raise Http404
    view = report_view(request.user, report)
    following = request.user.is_authenticated and report.followers.filter(user=request.user).exists()
    similar = []
    if request.GET.get("baru"):
        found = selectors.similar_reports_public(
            request.region, report.category, report.desa, report.description, exclude=report
        )
        similar = [public_view(r) for r in found]
    return render(
        request,
        "complaints/detail.html",
        {
            "report": report,
            "view": view,
            "viewer": view.viewer,
            "updates": selectors.public_updates(report) if view.content else [],
            "media": selectors.report_media(view),
            "may_follow": view.viewer is Viewer.PUBLIC and may_follow(request.user, report),
            "actions": report_actions(request.user, report) if view.viewer is Viewer.REPORTER else frozenset(),
            "following": following,
            "similar": similar,
            "new": bool(request.GET.get("baru")),
        },
    )


@region_view
def media(request, code, pk):
    _module_on(request)
    report = selectors.report_by_code(request.region, code)
    if report is None:
        raise Http404
    view = report_view(request.user, report)
    item = selectors.media_visible(view, pk)
    # a citizen's file: a download, never a page of ours, never in a shared cache (an <img> still shows it)
    return private_file_response(item.file.open("rb"), content_type=item.content_type, filename=_media_name(item))


@require_POST
@region_view
def reporter_action(request, code):
    _module_on(request)
    if not request.user.is_authenticated:
        return redirect_to_login(f"/{request.region.slug}/pengaduan/{code}")
    report = selectors.report_by_code(request.region, code)
    if report is None:
        raise Http404
    actor = actor_from_request(request)
    action = request.POST.get("action")
    text = request.POST.get("text", "")[:4000]
    try:
        if action == "reply":
            services.report_reply(actor=actor, report=report, text=text)
        elif action == "reopen":
            services.report_reopen(actor=actor, report=report, reason=text)
        elif action == "unfollow" or action == "follow" and may_follow(request.user, report):
            services.report_follow(actor=actor, report=report, follow=action == "follow")
        else:
            raise Http404
    except services.ComplaintError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect(f"/{request.region.slug}/pengaduan/{report.tracking_code}")


# --- staff ------------------------------------------------------------------------------------------


STAFF_FILTERS = {
    "baru": ("received",),
    "info": ("info_requested",),
    "instansi": ("forwarded",),
    "dijawab": ("responded",),
    "selesai": ("resolved", "closed", "not_authority", "archived", "merged"),
}


@staff_view
def staff_queue(request):
    _module_on(request)
    region, user = request.region, request.user
    coordinator = is_coordinator(user, region)
    default = "baru" if coordinator else "instansi"
    current = request.GET.get("tab", default)
    statuses = STAFF_FILTERS.get(current, STAFF_FILTERS[default])
    reports = (
        selectors.reports_for_staff(region, user)
        .filter(status__in=statuses)
        .select_related("category", "agency", "desa")
        .order_by("due_at", "created_at")
    )
    page = Paginator(reports, 50).get_page(request.GET.get("hal"))
    return render(
        request,
        "complaints/staff_queue.html",
        {
            "page": page,
            "tab": current,
            "tabs": list(STAFF_FILTERS),
            "coordinator": coordinator,
            "region_admin": is_region_admin(user, region),  # categories and deadlines are the admin's
        },
    )


@staff_view
def staff_detail(request, code):
    _module_on(request)
    report = selectors.report_for_staff(request.region, request.user, code)
    view = staff_report_view(request.user, report)
    coordinator = view.viewer is Viewer.COORDINATOR
    similar = []
    if coordinator and report.is_open:
        candidates = selectors.reports_for_staff(request.region, request.user)
        similar = selectors.similar_reports(
            candidates, report.category, report.desa, report.description, exclude=report
        )
    return render(
        request,
        "complaints/staff_detail.html",
        {
            "report": report,
            "view": view,
            "timeline": selectors.updates_for_staff(view),
            "media": selectors.report_media(view),
            "actions": report_actions(request.user, report),
            "agencies": agencies_of_region(request.region).filter(kind="dinas") if coordinator else [],
            "similar": similar,
        },
    )


@require_POST
@staff_view
def staff_action(request, code):
    _module_on(request)
    region = request.region
    report = selectors.report_for_staff(region, request.user, code)
    actor = actor_from_request(request)
    action = request.POST.get("action")
    text = request.POST.get("text", "")[:4000]
    into = None
    try:
        if action == "verify":
            agency = agency_get(region, request.POST.get("agency")) if request.POST.get("agency") else None
            services.report_verify(actor=actor, report=report, agency=agency, note=text)
        elif action == "request_info":
            services.report_request_info(actor=actor, report=report, question=text)
        elif action in ("not_authority", "archive"):
            services.report_decline(actor=actor, report=report, how=action, reason=text)
        elif action == "merge":
            into = selectors.report_by_code(region, request.POST.get("into", ""))
            if into is None:
                raise services.ComplaintError("bad_merge", _("No report of this region has that code."))
            services.report_merge(actor=actor, report=report, into=into)
        elif action in ("respond", "settle"):
            services.report_respond(actor=actor, report=report, text=text, settled=action == "settle")
        elif action == "note":
            services.report_note(actor=actor, report=report, text=text)
        elif action == "redact":
            hide = [int(pk) for pk in request.POST.getlist("hide_media") if pk.isdigit()]
            services.report_redact(actor=actor, report=report, public_description=text, hide_media=hide)
        elif action == "hide_update":
            update = selectors.staff_update_get(region, request.user, code, request.POST.get("update") or 0)
            services.report_hide_update(actor=actor, update=update)
        else:
            raise services.ComplaintError("unknown_action", _("Unknown action."))
    except services.ComplaintError as exc:
        refused(request, exc)
    else:  # the report's page keeps its notes and redaction: stay there, with the way on to the next report
        queue = reverse("complaints:staff_queue", args=[region.slug])
        said = _action_outcome(action, report, into=into)
        messages.success(request, format_html('{} <a href="{}">{}</a>', said, queue, _("Back to the reports")))
    return redirect(f"/{region.slug}/kantor/pengaduan/{report.tracking_code}/")


def _action_outcome(action, report, *, into) -> str:
    """What a staff action on a report did, as a sentence that names the report."""
    code = {"code": report.tracking_code}
    if action == "verify":
        return _("Report %(code)s is verified and went to %(agency)s.") % (code | {"agency": report.agency})
    if action == "request_info":
        return _("Your question on report %(code)s has been sent to the reporter.") % code
    if action == "not_authority":
        return _("Report %(code)s is closed: it is not this government's to handle.") % code
    if action == "archive":
        return _("Report %(code)s has been archived.") % code
    if action == "merge":
        return _("Report %(code)s has been merged into %(into)s.") % (code | {"into": into.tracking_code})
    if action == "respond":
        return _("Your answer to report %(code)s has been published.") % code
    if action == "settle":
        return _("Report %(code)s is answered and marked as settled.") % code
    if action == "redact":
        return _("The public text of report %(code)s has been saved.") % code
    if action == "hide_update":
        return _("The update on report %(code)s is now hidden from the public.") % code
    return _("Your internal note on report %(code)s has been saved.") % code


@staff_view
def staff_media(request, code, pk):
    report = selectors.report_for_staff(request.region, request.user, code)
    item = selectors.media_visible(staff_report_view(request.user, report), pk)
    return private_file_response(item.file.open("rb"), content_type=item.content_type, filename=_media_name(item))


def _media_name(item) -> str:
    ext = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(item.content_type, "")
    return f"lampiran-{item.pk}{ext}"


@staff_view
def staff_stats(request):
    _module_on(request)
    table = stats.report_statistics(request.region, selectors.reports_for_staff(request.region, request.user))
    if request.GET.get("format") == "csv":
        return stats.csv_response(request.region, table)
    return render(request, "complaints/staff_stats.html", {"rows": table})


@staff_view
def open311_keys(request):
    """The integrators' Open311 keys, kept by the complaints coordinator (and region admins)."""
    _module_on(request)
    if not may_manage_integrations(request.user, request.region):
        raise Http404
    actor = actor_from_request(request)
    new_key = None
    if request.method == "POST":
        if request.POST.get("revoke"):
            key = selectors.open311_keys_of(request.region).filter(pk=request.POST["revoke"]).first()
            if key is None:
                raise Http404
            services.open311_key_revoke(actor=actor, key=key)
            messages.success(request, _("The key is revoked."))
            return redirect(f"/{request.region.slug}/kantor/pengaduan/kunci/")
        try:
            _key, new_key = services.open311_key_create(
                actor=actor, region=request.region, name=request.POST.get("name", "")
            )
        except services.ComplaintError as exc:
            refused(request, exc)
    response = render(
        request, "complaints/open311_keys.html", {"keys": selectors.open311_keys_of(request.region), "new_key": new_key}
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_view(admin=True)
def categories_admin(request):
    """Categories (each owned by an agency) and the region's deadlines."""
    _module_on(request)
    region, actor = request.region, actor_from_request(request)
    agencies = agencies_of_region(region).order_by("kind", "name")
    editing = None
    if request.GET.get("ubah"):
        editing = selectors.categories_all(region).filter(pk=request.GET["ubah"]).first()
        if editing is None:
            raise Http404
    initial = (
        {f: getattr(editing, f) for f in ("code", "name", "description", "group", "keywords", "agency", "is_active")}
        if editing
        else None
    )
    form = CategoryForm(
        request.POST if request.POST.get("what") == "category" else None, agencies=agencies, initial=initial
    )
    policy = services.policy_of(region)
    policy_form = PolicyForm(
        request.POST if request.POST.get("what") == "policy" else None,
        initial={f: getattr(policy, f) for f in ("verify_days", "follow_up_days", "auto_close_days", "settle_days")},
    )
    map_error = None
    if request.method == "POST":
        try:
            if request.POST.get("what") == "category" and form.is_valid():
                services.category_save(actor=actor, region=region, category=editing, data=form.cleaned_data)
                messages.success(request, _("Category saved."))
                return redirect(f"/{region.slug}/kantor/pengaduan/kategori/")
            if request.POST.get("what") == "map":
                map_error = map_settings_save(request)
                if map_error is None:
                    return redirect(f"/{region.slug}/kantor/pengaduan/kategori/")
            if request.POST.get("what") == "policy" and policy_form.is_valid():
                services.policy_save(actor=actor, region=region, **policy_form.cleaned_data)
                messages.success(request, _("Deadlines saved. New steps use them."))
                return redirect(f"/{region.slug}/kantor/pengaduan/kategori/")
        except services.ComplaintError as exc:
            refused(request, exc, form if request.POST.get("what") == "category" else policy_form)
    return render(
        request,
        "complaints/categories_admin.html",
        {
            "categories": selectors.categories_all(region),
            "form": form,
            "policy_form": policy_form,
            "editing": editing,
            "map_error": map_error,
            "map_typed": request.POST if request.POST.get("what") == "map" else None,
        },
        status=400 if request.method == "POST" else 200,
    )
