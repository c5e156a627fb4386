import contextlib
import html

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from gerai.accounts.context_processors import links
from gerai.accounts.decorators import citizen_view, region_view, staff_view, take_resumed_post
from gerai.accounts.models import StaffRole
from gerai.accounts.policy import QUEUE_HOMES, Access, office_home
from gerai.accounts.selectors import staff_roles_for_request
from gerai.applications import selectors, services, tracking
from gerai.applications.actions import application_act
from gerai.applications.forms import (
    ClaimForm,
    ConsentCodeForm,
    ConsentScanForm,
    CounterForm,
    NoteForm,
    ReasonForm,
    answer_form,
)
from gerai.applications.models import ACTIONABLE_STATUSES, QUEUE_STATUSES, Application, Status
from gerai.applications.policy import can_act, can_assign, can_file_for_others
from gerai.catalog.selectors import service_choices, service_get_published, services_published
from gerai.catalog.workflow import filed_under
from gerai.core import pagecache
from gerai.core.actors import actor_from_request, client_ip
from gerai.core.errors import refused
from gerai.core.memo import ttl_memo
from gerai.core.templatetags.gerai import local_date
from gerai.core.throttle import throttle_allow, throttle_allow_local
from gerai.documents.selectors import documents_of_application
from gerai.documents.signing import backend as signing_backend
from gerai.lib.files import private_file_response
from gerai.regions.selectors import agencies_of_region, village_choices, village_get

EDITABLE = (Status.DRAFT, Status.NEEDS_CORRECTION)


def _own(request, ref) -> Application:
    return selectors.application_of_citizen(request.region, request.user, ref)


def _actor_for(request, application):
    """The counter officer filling a form in for a citizen acts through the counter; the citizen, on the web."""
    at_counter = application.assisted and application.created_by_id == request.user.pk
    return actor_from_request(request, via="counter" if at_counter else "web")


def _home(application) -> str:
    return reverse("applications:detail", args=[application.region.slug, application.ref])


# --- citizen ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@citizen_view
def start(request, service_slug):
    """The service page's "Apply online" button posts here. A citizen who had to sign in or register first
    comes back with a GET: that opens their draft if they have one, or asks them to press the button again,
    because a GET never creates an application (a link or a prefetch must not)."""
    service = service_get_published(request.region, service_slug)
    here = reverse("applications:start", args=[request.region.slug, service.slug])
    if not hasattr(request.user, "citizen"):
        messages.info(request, _("Before you apply, give your NIK and personal details once."))
        return redirect(reverse("accounts:profile") + "?" + urlencode({"next": here}))
    draft = (
        selectors.applications_of_citizen(request.region, request.user)
        .filter(service=service, status=Status.DRAFT, assisted=False)
        .first()
    )
    if draft is None and request.method == "GET":
        take_resumed_post(request)  # the press of "Apply online" that sent them to sign in is answered here
        return render(request, "applications/start.html", {"service": service})
    if draft is None:
        try:
            draft = services.application_start(
                actor=actor_from_request(request), service=service, applicant=request.user
            )
        except services.ApplicationError as exc:
            refused(request, exc)
            return redirect("catalog:service_detail", region_slug=request.region.slug, service_slug=service.slug)
    return redirect("applications:page", region_slug=request.region.slug, ref=draft.ref, page=1)


@citizen_view
def mine(request):
    applications = selectors.applications_of_citizen(request.region, request.user)
    return render(request, "applications/mine.html", {"applications": applications})


@citizen_view
def detail(request, ref):
    application = _own(request, ref)
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "events": selectors.public_events(application),
            "documents": application.documents.filter(is_current=True).select_related("requirement"),
            "issued": documents_of_application(application),
            "pages": filed_under(application).pages,
        },
    )


@citizen_view
def question_page(request, ref, page):
    application = _own(request, ref)
    if application.status not in EDITABLE:
        return redirect(_home(application))
    pages = filed_under(application).pages
    if not 1 <= page <= len(pages):
        raise Http404
    fields = pages[page - 1]
    errors = {}
    if request.method == "POST":
        try:
            errors = services.application_save_answers(
                actor=_actor_for(request, application), application=application, fields=fields, data=request.POST
            )
        except services.ApplicationError as exc:
            refused(request, exc)
            return redirect(_home(application))
        if not errors:
            if request.POST.get("return") == "check" or page == len(pages):
                target = "check" if request.POST.get("return") == "check" else "documents"
                return redirect(f"applications:{target}", region_slug=request.region.slug, ref=ref)
            return redirect("applications:page", region_slug=request.region.slug, ref=ref, page=page + 1)
    resumed = take_resumed_post(request) if request.method == "GET" else None
    if resumed is not None:
        messages.info(request, _("Your session had expired. We kept what you typed: check it and continue."))
    form = answer_form(
        fields,
        request.region,
        data=request.POST if errors else resumed,
        initial_answers=application.answers,
        desa=selectors.applicant_desa_code(application),
    )
    return render(
        request,
        "applications/question_page.html",
        {
            "application": application,
            "form": form,
            "page": page,
            "page_count": len(pages),
            "title": fields[0].page_title or application.service.name,
            "back_return": request.GET.get("return", ""),
        },
    )


@citizen_view
def documents(request, ref):
    application = _own(request, ref)
    if application.status not in EDITABLE:
        return redirect(_home(application))
    requirements = list(application.service.documents.all())
    errors: dict[str, str] = {}
    if request.method == "POST":
        for requirement in requirements:
            upload = request.FILES.get(f"doc-{requirement.key}")
            if upload is None:
                continue
            try:
                services.application_attach_document(
                    actor=_actor_for(request, application),
                    application=application,
                    requirement=requirement,
                    upload=upload,
                )
            except services.ApplicationError as exc:
                errors[requirement.key] = exc.message
            application.refresh_from_db()
        if not errors and "continue" in request.POST:
            return redirect("applications:check", region_slug=request.region.slug, ref=ref)
        if not errors:
            messages.success(request, _("Uploaded."))
    current = {d.requirement_id: d for d in application.documents.filter(is_current=True)}
    rows = [(r, current.get(r.pk), errors.get(r.key)) for r in requirements]
    return render(
        request,
        "applications/documents.html",
        {"application": application, "rows": rows, "errors": errors},
        status=400 if errors else 200,
    )


@citizen_view
def check_answers(request, ref):
    application = _own(request, ref)
    if application.status == Status.DRAFT and request.method == "POST":
        try:
            application = services.application_submit(actor=actor_from_request(request), application=application)
        except services.ApplicationError as exc:
            refused(request, exc)
        else:
            return redirect(_home(application) + "?baru=1")
    elif application.status not in EDITABLE:
        return redirect(_home(application))
    pages = filed_under(application).pages
    return render(
        request,
        "applications/check.html",
        {
            "application": application,
            "pages": pages,
            "documents": application.documents.filter(is_current=True).select_related("requirement"),
            "problems": services.application_problems(application),
        },
    )


@require_POST
@citizen_view
def cancel(request, ref):
    application = _own(request, ref)
    try:
        services.application_cancel(actor=actor_from_request(request), application=application)
        messages.success(request, _("The application is cancelled."))
    except services.ApplicationError as exc:
        refused(request, exc)
    return redirect(_home(application))


@require_POST
@citizen_view
def resubmit(request, ref):
    application = _own(request, ref)
    try:
        services.application_resubmit(
            actor=actor_from_request(request),
            application=application,
            message=request.POST.get("message", "")[:2000],
        )
        messages.success(request, _("Sent back to the officer. The deadline clock runs again."))
    except services.ApplicationError as exc:
        refused(request, exc)
    return redirect(_home(application))


def _file_response(document):
    return private_file_response(
        document.file.open("rb"),
        content_type=document.content_type,
        filename=f"{document.requirement.key}{_ext(document.content_type)}",
    )


def _ext(mime):
    return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(mime, "")


@citizen_view
def document_download(request, ref, doc):
    return _file_response(selectors.document_of_citizen(request.region, request.user, ref, doc))


# --- public tracking --------------------------------------------------------------------------


@region_view
def track(request):
    """Public tracking by code. Asked again for the same code by anonymous visitors, the whole page comes from
    the shared cache until that application changes (gerai.applications.tracking); the throttle counts first."""
    code = request.GET.get("kode", "").strip()[:30]
    application, error, throttled, slot = None, None, False, None
    if code:
        if not throttle_allow_local("tracking", client_ip(request) or "?"):
            throttled = True
            error = _("Too many look-ups from your connection. Wait a minute and try again.")
        else:
            if tracking.canonical(code) and len(request.GET) == 1 and pagecache.cacheable(request):
                variant = (request.get_host(), request.get_full_path(), request.LANGUAGE_CODE)
                slot = tracking.kept(request.region.pk, code, "page", variant)
                found, page = slot.get()
                if found:
                    return pagecache.serve_kept(request, page)
            with slot.reading() if slot is not None else contextlib.nullcontext():
                application = selectors.tracking_lookup(request.region, code)
            if application is None:
                error = _("No application has this tracking code here. Check the code on your receipt.")
    context = {"code": code, "application": application, "error": error}
    if application:
        context["events"] = application.history
    response = render(request, "applications/track.html", context, status=429 if throttled else 200)
    if slot is not None and application is not None and (page := pagecache.page_to_keep(response)) is not None:
        tracking.keep(slot, page)
    return response


# --- staff ------------------------------------------------------------------------------------


QUEUE_SORT_LABELS = [
    ("due", gettext_lazy("Due date, soonest first")),
    ("-due", gettext_lazy("Due date, latest first")),
    ("new", gettext_lazy("Newest first")),
    ("old", gettext_lazy("Oldest first")),
]
PAGE_SIZES = (25, 50, 100)


def _queue_filters(query, region) -> dict:
    """The queue's filters from the query string. A value that is not one of the offered choices is
    ignored (a stale bookmark shows the whole queue), so no form is needed to validate them."""
    offered = {
        "status": {s.value for s in QUEUE_STATUSES},
        "service": {slug for slug, _name in service_choices(region.pk)},
        "desa": {code for code, _name in village_choices(region.pk)},
        "sort": {key for key, _label in QUEUE_SORT_LABELS},
    }
    filters = {name: query.get(name, "") for name in offered if query.get(name, "") in offered[name]}
    filters |= {flag: True for flag in ("mine", "overdue") if query.get(flag)}
    return filters


@staff_view
def queue(request):
    """The work queue: the same queries at any page size; rows and filter options are formatted in
    Python (a template per row and per desa option dominated the cost)."""
    region = request.region
    roles = staff_roles_for_request(request, region)
    home = office_home(roles, region.modules)
    if home and home not in QUEUE_HOMES:  # an enumerator, assessor, planner or editor has no applications here
        return redirect(links(region.slug)[home])
    filters = _queue_filters(request.GET, region)
    per_page = int(request.GET["n"]) if request.GET.get("n") in {str(n) for n in PAGE_SIZES} else PAGE_SIZES[0]
    agencies = {r.agency_id for r in roles if r.agency_id}
    supervised = {r.agency_id for r in roles if r.role == StaffRole.Role.SUPERVISOR}
    items = selectors.queue_rows_for_staff(region, request.user, agencies=agencies, **filters)
    page = Paginator(items, per_page).get_page(request.GET.get("hal"))
    selects = [
        ("status", _("Status"), [("", _("All open"))] + [(s.value, s.label) for s in QUEUE_STATUSES]),
        ("service", _("Service"), [("", _("All services"))] + service_choices(region.pk)),
        ("sort", _("Sort by"), QUEUE_SORT_LABELS),
    ]
    options = [(name, label, _options(choices, filters.get(name, ""))) for name, label, choices in selects]
    desa = _options([("", _("All"))], filters.get("desa", "")) + _village_options(region.pk, filters.get("desa", ""))
    options.insert(2, ("desa", _("Desa/kelurahan"), mark_safe(desa)))
    context = {
        "rows": _queue_rows(page, region, selectable=bool(supervised)),
        "officers": selectors.officers_of_agencies(region, supervised) if supervised else [],
        "page": page,
        "filters": filters,
        "filter_selects": options,
        "has_agencies": bool(agencies),
        "query": _without_page(request.GET),
    }
    if request.headers.get("HX-Request"):
        return render(request, "applications/queue.html#results", context)
    return render(request, "applications/queue.html", context)


def _queue_rows(page, region, *, selectable: bool = False) -> list:
    """The queue's table rows, formatted here with the stdlib's html.escape: a template resolving ~20
    variables per row (or format_html's lazy-aware escaping) dominated the page's cost."""
    esc = html.escape
    now = timezone.now()
    overdue_tag = f' <span class="tag tag--overdue">{esc(str(_("Overdue")))}</span>'
    paused = esc(str(_("paused")))
    labels = {value: esc(str(label)) for value, label in Status.choices}
    link = reverse("applications:staff_detail", args=[region.slug, "REF"])
    names = selectors.queue_names(region.pk)
    select_label = str(_("Select %(code)s"))
    # at phone width each row is a card and these name its cells (the same words as the table's headers)
    step, desa, due_label, officer = (esc(str(label)) for label in (_("Step"), _("Desa"), _("Due"), _("Officer")))
    rows = []
    for a in page:
        overdue = a["due_at"] is not None and a["due_at"] < now and a["status"] in ACTIONABLE_STATUSES
        due = esc(local_date(a["due_at"], region)) if a["due_at"] else paused
        rows.append(
            mark_safe(
                f'<tr role="row"{' class="overdue"' if overdue else ""}>'
                + (
                    f'<td role="cell"><input type="checkbox" name="ref" value="{esc(a["ref"])}" '
                    f'aria-label="{esc(select_label % {"code": a["tracking_code"]})}"></td>'
                    if selectable
                    else ""
                )
                + f'<td role="cell" class="nowrap"><a href="{esc(link.replace("REF", a["ref"]))}">'
                f"{esc(a['tracking_code'])}</a></td>"
                f'<td role="cell">{esc(names["service"].get(a["service_id"], "–"))}</td>'
                f'<td role="cell" data-label="{step}">{esc(a["step_name"] or "–")}</td>'
                f'<td role="cell" data-label="{desa}">{esc(names["desa"].get(a["desa_id"], "–"))}</td>'
                f'<td role="cell"><span class="tag tag--{esc(a["status"])}">{labels[a["status"]]}</span>'
                f"{overdue_tag if overdue else ''}</td>"
                f'<td role="cell" data-label="{due_label}">{due}</td>'
                f'<td role="cell" data-label="{officer}">{esc(names["staff"].get(a["assignee_id"], "–"))}</td></tr>'
            )
        )
    return rows


def _options(choices, selected: str):
    """<option>s of a filter select (~200 desa in a regency): escaped (stdlib html.escape) and joined by
    hand, since a template, format_html or Django's lazy-aware escape per option cost more than the rest
    of the page."""
    parts = []
    for value, label in choices:
        mark = " selected" if str(value) == selected else ""
        parts.append(f'<option value="{html.escape(str(value))}"{mark}>{html.escape(str(label))}</option>')
    return mark_safe("".join(parts))


@ttl_memo
def _village_option_html(region_id: int) -> str:
    """A region's ~200 desa <option>s, escaped once per GERAI_REGION_CACHE_SECONDS: escaping them on every
    request was a sixth of the queue page's cost."""
    return _options(village_choices(region_id), "\0")


def _village_options(region_id: int, selected: str) -> str:
    options = _village_option_html(region_id)
    if not selected:
        return options
    value = f'value="{html.escape(selected)}">'
    return mark_safe(options.replace(value, value[:-1] + " selected>", 1))


def _without_page(query) -> str:
    query = query.copy()
    query.pop("hal", None)
    return query.urlencode()


@staff_view
def staff_detail(request, ref):
    application = selectors.application_for_staff(request.region, request.user, ref)
    acting = can_act(request.user, application)
    colleagues = (
        selectors.officers_of_agencies(request.region, [application.current_agency_id])
        if can_assign(request.user, application)
        else []
    )
    return render(
        request,
        "applications/staff_detail.html",
        {
            "application": application,
            "events": application.events.select_related("actor", "agency"),
            "documents": application.documents.filter(is_current=True).select_related("requirement"),
            "pages": filed_under(application).pages,
            "can_act": acting,
            "colleagues": colleagues,
            "agencies": agencies_of_region(request.region)
            .exclude(pk=application.current_agency_id)
            .order_by("kind", "name")[:500]
            if acting
            else [],
            "reason_form": ReasonForm(),
            "note_form": NoteForm(),
            "issued": application.issued_documents.select_related("agency", "replaced_by"),
            "needs_passphrase": signing_backend().needs_passphrase,
        },
    )


@require_POST
@staff_view
def staff_action(request, ref):
    application = selectors.application_for_staff(request.region, request.user, ref)
    actor = actor_from_request(request)
    action = request.POST.get("action", "")
    text = request.POST.get("reason", "").strip()[:2000]
    code, step, held_by = application.tracking_code, application.current_step, application.current_agency_id
    try:
        done = application_act(
            actor=actor,
            region=request.region,
            application=application,
            action=action,
            text=request.POST.get("message", "")[:2000] if action == "complete" else text,
            passphrase=request.POST.get("passphrase", "")[:200],
            agency_id=request.POST.get("agency"),
            assignee_id=request.POST.get("assignee"),
        )
    except services.ApplicationError as exc:
        refused(request, exc)
        return redirect("applications:staff_detail", region_slug=request.region.slug, ref=ref)
    detail = reverse("applications:staff_detail", args=[request.region.slug, ref])
    said = _action_outcome(
        action, application, code=code, step=step, held_by=held_by, agency=done.agency, assignee=done.assignee
    )
    if can_act(request.user, application):  # more to do here: stay on the application
        messages.success(request, said)
        return redirect(detail)
    # nothing left for this officer here: back to the queue, for the next one, with a way back to this one
    messages.success(request, format_html('{} <a href="{}">{}</a>', said, detail, _("Open it again")))
    return redirect("applications:queue", region_slug=request.region.slug)


def _action_outcome(action, application, *, code, step, held_by, agency, assignee) -> str:
    """What an officer's action did, as a sentence that names the application."""
    if action == "claim":
        return _("You have taken application %(code)s.") % {"code": code}
    if action == "complete":
        if application.status == Status.COMPLETED:
            return _("Application %(code)s is complete and the citizen has been told.") % {"code": code}
        done = {"code": code, "step": step.name if step else "–"}
        if application.current_agency_id != held_by:
            return _("Application %(code)s: %(step)s is done and it went on to %(agency)s.") % (
                done | {"agency": application.current_agency}
            )
        return _("Application %(code)s: %(step)s is done; the next step is %(next)s.") % (
            done | {"next": application.step_name or "–"}
        )
    if action == "correction":
        return _("Application %(code)s went back to the citizen to correct.") % {"code": code}
    if action == "reject":
        return _("Application %(code)s has been rejected and the citizen has been told why.") % {"code": code}
    if action == "forward":
        return _("Application %(code)s has been forwarded to %(agency)s.") % {"code": code, "agency": agency}
    if action == "assign":
        return _("Application %(code)s is now assigned to %(name)s.") % {"code": code, "name": assignee.full_name}
    return _("Your internal note on application %(code)s has been saved.") % {"code": code}


@require_POST
@staff_view
def bulk_assign(request):
    """A supervisor shares out the queue: the ticked applications go to one officer of the agency."""
    region = request.region
    refs = request.POST.getlist("ref")[:100]
    assignee = selectors.staff_member_get(region, request.POST.get("assignee"))
    if not refs or assignee is None:
        messages.error(request, _("Tick the applications and choose an officer."))
    else:
        applications = selectors.applications_for_staff(region, request.user).filter(ref__in=refs)
        assigned, skipped = services.applications_assign_bulk(
            actor=actor_from_request(request), applications=applications.select_related("region"), assignee=assignee
        )
        messages.success(
            request,
            ngettext(
                "%(done)s application assigned to %(name)s.", "%(done)s applications assigned to %(name)s.", assigned
            )
            % {"done": assigned, "name": assignee.full_name},
        )
        if skipped:
            messages.error(
                request,
                ngettext(
                    "%(count)s application could not be assigned: it changed meanwhile or is not held by your agency.",
                    "%(count)s applications could not be assigned: they changed meanwhile or are not held by your "
                    "agency.",
                    skipped,
                )
                % {"count": skipped},
            )
    return redirect(reverse("applications:queue", args=[region.slug]) + "?" + request.POST.get("query", "")[:500])


@staff_view
def staff_document(request, ref, doc):
    return _file_response(selectors.document_for_staff(request.region, request.user, ref, doc))


@staff_view(access=Access.COUNTER)
def counter(request):
    """Assisted mode: an officer at a desa/kecamatan counter files for a citizen of the region, who may
    have no account. No account is looked up, so the answer is the same whether the NIK has one or not."""
    if not can_file_for_others(request.user, request.region):
        raise Http404
    form = CounterForm(request.POST or None, region=request.region, services=services_published(request.region))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.counter_filing_start(
                actor=actor_from_request(request, via="counter"),
                service=service_get_published(request.region, data["service"]),
                nik=data["nik"],
                name=data["name"],
                desa=village_get(request.region, data["desa"]),
                phone=data["phone"],
                email=data["email"],
                in_person=data["in_person"],
            )
        except services.ApplicationError as exc:
            form.add_error("in_person" if exc.code == "not_resident" else None, exc.message)
        else:
            return redirect("applications:page", region_slug=request.region.slug, ref=application.ref, page=1)
    drafts = selectors.counter_drafts_of_officer(request.region, request.user)[:20]
    return render(request, "applications/counter.html", {"form": form, "drafts": drafts})


@staff_view(access=Access.COUNTER)
def counter_consent(request, ref):
    """The citizen's consent, then the filing: a one-time code sent to them, or their signed paper form."""
    application = selectors.counter_filing_of_officer(request.region, request.user, ref)
    if application.status != Status.DRAFT:
        return redirect("applications:counter_receipt", region_slug=request.region.slug, ref=application.ref)
    actor = actor_from_request(request, via="counter")
    step = request.POST.get("step", "")
    code_form = ConsentCodeForm(request.POST if step == "code" else None)
    scan_form = ConsentScanForm(request.POST if step == "paper" else None, request.FILES if step == "paper" else None)
    try:
        if step == "send":
            if not throttle_allow("counter_code", str(request.user.pk)):
                raise services.ApplicationError("throttled", _("Too many codes sent. Wait a while, or use paper."))
            to = "email" if request.POST.get("to") == "email" else "phone"
            if services.counter_code_send(actor=actor, application=application, to=to):
                messages.success(request, _("A code has been sent to the citizen. Ask them for it."))
            else:
                messages.error(request, _("No message can be sent to that address now. Use the paper form."))
            return redirect("applications:counter_consent", region_slug=request.region.slug, ref=application.ref)
        filed = None
        if step == "code" and code_form.is_valid():
            filed = services.counter_application_file(
                actor=actor, application=application, method="otp", code=code_form.cleaned_data["code"]
            )
        elif step == "paper" and scan_form.is_valid():
            filed = services.counter_application_file(
                actor=actor, application=application, method="paper", scan=scan_form.cleaned_data["scan"]
            )
        if filed is not None:
            submitted, claim_code = filed
            # for this receipt, in this session only; in two groups, easier to copy from paper
            request.session[f"gerai_claim_{submitted.ref}"] = f"{claim_code[:5]}-{claim_code[5:]}"
            return redirect("applications:counter_receipt", region_slug=request.region.slug, ref=submitted.ref)
    except services.ApplicationError as exc:
        if step == "send":  # no form was posted: say why on the page, as a message
            refused(request, exc)
            return redirect("applications:counter_consent", region_slug=request.region.slug, ref=application.ref)
        refused(request, exc, scan_form if step == "paper" else code_form)
    filing = application.counter_filing
    return render(
        request,
        "applications/counter_consent.html",
        {
            "application": application,
            "filing": filing,
            "resident": services.counter_is_resident(request.region, filing.nik),
            "problems": services.application_problems(application),
            "code_form": code_form,
            "scan_form": scan_form,
        },
    )


@staff_view(access=Access.COUNTER)
def counter_consent_form(request, ref):
    """The paper consent form to print, for the citizen to read and sign at the counter."""
    application = selectors.counter_filing_of_officer(request.region, request.user, ref)
    return render(
        request,
        "applications/counter_consent_form.html",
        {"application": application, "filing": application.counter_filing, "today": timezone.now()},
    )


@staff_view(access=Access.COUNTER)
def counter_receipt(request, ref):
    """The receipt to print and hand over: the tracking code and, on its first showing in the session that
    filed it, the claim code (taken out of the session then: the officer must not be able to see it again)."""
    application = selectors.counter_filing_of_officer(request.region, request.user, ref)
    if application.status == Status.DRAFT:
        return redirect("applications:counter_consent", region_slug=request.region.slug, ref=application.ref)
    return render(
        request,
        "applications/counter_receipt.html",
        {
            "application": application,
            "filing": application.counter_filing,
            "claim_code": request.session.pop(f"gerai_claim_{application.ref}", ""),
            "track_url": request.build_absolute_uri(reverse("applications:track", args=[request.region.slug])),
            "claim_url": request.build_absolute_uri(reverse("applications:claim", args=[request.region.slug])),
        },
    )


@citizen_view
def claim(request):
    """A citizen attaches an application filed for them at a counter to their account, with the tracking code
    and the claim code printed on the receipt. One answer for every miss, and a throttle against guessing.
    Only the citizen it was filed for can claim it, so the account needs its NIK first."""
    if not hasattr(request.user, "citizen"):
        messages.info(request, _("Before you claim an application, give your NIK and personal details."))
        here = reverse("applications:claim", args=[request.region.slug])
        return redirect(reverse("accounts:profile") + "?" + urlencode({"next": here}))
    form = ClaimForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not (
            throttle_allow("claim", f"user:{request.user.pk}")
            and throttle_allow("claim", f"ip:{client_ip(request) or '?'}")
        ):
            form.add_error(None, _("Too many attempts. Try again in 15 minutes."))
            status = 429
        else:
            try:
                application = services.counter_filing_claim(
                    actor=actor_from_request(request),
                    user=request.user,
                    region=request.region,
                    tracking_code=form.cleaned_data["tracking_code"],
                    claim_code=form.cleaned_data["claim_code"],
                )
            except services.ApplicationError as exc:
                refused(request, exc, form)
                return render(request, "applications/claim.html", {"form": form})
            if application is not None:
                messages.success(request, _("The application is now in your account."))
                return redirect(_home(application))
            form.add_error(
                None,
                _(
                    "No application waiting to be claimed matches this tracking code and claim code. "
                    "Check both codes on the receipt."
                ),
            )
    return render(request, "applications/claim.html", {"form": form}, status=status)
