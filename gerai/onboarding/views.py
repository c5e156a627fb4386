from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gerai.accounts import services as account_services
from gerai.accounts.decorators import staff_view
from gerai.core.actors import actor_from_request
from gerai.core.errors import DomainError, refused
from gerai.onboarding import selectors, services
from gerai.onboarding.forms import AgencyForm, BrandingForm, InviteForm, ModulesForm, OnboardForm, RetentionForm

SESSION_ONBOARDED = "onboarding_new_invitation"  # the invitation link just made, shown once on the next page


def platform_view(view):
    """The platform admin's pages: superusers only; everybody else signed in gets the same 404 as a missing page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_superuser:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _stash_link(request, region, token: str) -> None:
    if token:
        request.session[SESSION_ONBOARDED] = {
            "region": region.slug,
            "link": request.build_absolute_uri(reverse("accounts:invitation", kwargs={"token": token})),
        }


def _take_link(request, region) -> str:
    stash = request.session.pop(SESSION_ONBOARDED, None)
    return stash["link"] if stash and stash.get("region") == region.slug else ""


def _no_store(response):
    response["Cache-Control"] = "no-store"  # an invitation link must not stay in a cache
    return response


@platform_view
def platform_home(request):
    form = OnboardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = services.region_onboard(
                actor=actor_from_request(request),
                code=data["code"],
                slug=data["slug"],
                admin_email=data["admin_email"],
                admin_name=data["admin_name"],
            )
        except DomainError as exc:
            refused(request, exc, form)
        else:
            if done.created:
                messages.success(request, _("%(region)s is on the platform.") % {"region": done.region.name})
                _stash_link(request, done.region, done.invitation_token)
            else:
                messages.info(
                    request,
                    _("%(region)s was already on the platform: nothing changed.") % {"region": done.region.name},
                )
            return redirect("platform:region", slug=done.region.slug)
    return render(
        request,
        "onboarding/platform_home.html",
        {"form": form, "regions": selectors.regions_for_platform(), "regencies": selectors.regency_choices()},
        status=400 if form.errors else 200,
    )


@platform_view
def platform_region(request, slug):
    region = selectors.region_for_platform(slug)
    form = InviteForm(request.POST or None, region=region, initial={"role": "admin"})
    if request.method == "POST" and form.is_valid():
        try:
            _invitation, token = account_services.staff_invite(
                actor=actor_from_request(request),
                region=region,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
                agency=form.cleaned_data["agency"],
                title=form.cleaned_data["title"],
            )
        except DomainError as exc:
            refused(request, exc, form)
        else:
            messages.success(request, _("The invitation is sent."))
            _stash_link(request, region, token)
            return redirect("platform:region", slug=region.slug)
    context = {
        "the_region": region,
        "form": form,
        "link": _take_link(request, region) if request.method == "GET" else "",
        "invitations": selectors.invitations_open(region),
        "staff": selectors.staff_of_region(region),
    }
    return _no_store(render(request, "onboarding/platform_region.html", context, status=400 if form.errors else 200))


# --- the region admin's settings ---------------------------------------------------------------------------------


@staff_view(admin=True)
def settings_home(request):
    return render(request, "onboarding/settings_home.html", {})


@staff_view(admin=True)
def agencies(request):
    kind = request.GET.get("jenis", "dinas")
    form = AgencyForm(request.POST or None, region=request.region, initial={"kind": "dinas", "is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_save(
                actor=actor_from_request(request), region=request.region, agency=None, data=form.cleaned_data
            )
        except DomainError as exc:
            refused(request, exc, form)
        else:
            messages.success(request, _("The agency is saved."))
            return redirect("onboarding:agencies", request.region.slug)
    rows = selectors.agencies_for_settings(request.region, kind if kind in ("dinas", "kecamatan", "desa") else "")
    return render(
        request,
        "onboarding/agencies.html",
        {"form": form, "agencies": rows[:500], "kind": kind},
        status=400 if form.errors else 200,
    )


@staff_view(admin=True)
def agency_edit(request, pk):
    agency = selectors.agency_for_settings(request.region, pk)
    initial = {
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "area": agency.area,
        "is_active": agency.is_active,
    }
    form = AgencyForm(request.POST or None, region=request.region, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_save(
                actor=actor_from_request(request), region=request.region, agency=agency, data=form.cleaned_data
            )
        except DomainError as exc:
            refused(request, exc, form)
        else:
            messages.success(request, _("The agency is saved."))
            return redirect("onboarding:agencies", request.region.slug)
    return render(
        request, "onboarding/agency_edit.html", {"form": form, "agency": agency}, status=400 if form.errors else 200
    )


def _staff_action(request) -> None:
    actor, region = actor_from_request(request), request.region
    what = request.POST.get("what")
    if what == "revoke_invitation":
        account_services.invitation_revoke(
            actor=actor, invitation=selectors.invitation_of_region(region, request.POST.get("invitation"))
        )
        messages.success(request, _("The invitation is withdrawn."))
    elif what == "remove_role":
        account_services.staff_role_revoke(
            actor=actor, region=region, staff_role=selectors.staff_role_of_region(region, request.POST.get("role"))
        )
        messages.success(request, _("The role is removed."))
    elif what == "deactivate":
        user = selectors.staff_member(region, request.POST.get("user"))
        account_services.staff_deactivate(actor=actor, region=region, user=user)
        messages.success(
            request, _("%(name)s no longer works here; their open applications are back in the queue.") % {"name": user}
        )


@staff_view(admin=True)
def staff(request):
    region = request.region
    form = InviteForm(request.POST if request.POST.get("what") == "invite" else None, region=region)
    if request.method == "POST" and request.POST.get("what") != "invite":
        try:
            _staff_action(request)
        except DomainError as exc:
            refused(request, exc)
        return redirect("onboarding:staff", region.slug)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _invitation, token = account_services.staff_invite(
                actor=actor_from_request(request),
                region=region,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                agency=data["agency"],
                title=data["title"],
            )
        except DomainError as exc:
            refused(request, exc, form)
        else:
            messages.success(request, _("The invitation is sent."))
            _stash_link(request, region, token)
            return redirect("onboarding:staff", region.slug)
    context = {
        "form": form,
        "link": _take_link(request, region) if request.method == "GET" else "",
        "people": selectors.staff_of_region(region),
        "invitations": selectors.invitations_open(region),
    }
    return _no_store(render(request, "onboarding/staff.html", context, status=400 if form.errors else 200))


@staff_view(admin=True)
def modules(request):
    form = ModulesForm(request.POST if request.method == "POST" else None, initial={"modules": request.region.modules})
    if request.method == "POST" and form.is_valid():
        try:
            services.region_modules_set(
                actor=actor_from_request(request), region=request.region, modules=form.cleaned_data["modules"]
            )
        except DomainError as exc:
            refused(request, exc, form)
        else:
            messages.success(request, _("The modules are saved."))
            return redirect("onboarding:modules", request.region.slug)
    return render(request, "onboarding/modules.html", {"form": form}, status=400 if form.errors else 200)


@staff_view(admin=True)
def retention(request):
    region = request.region
    initial = {"draft_keep_days": region.draft_keep_days, "consent_keep_days": region.consent_keep_days}
    form = RetentionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.region_retention_set(actor=actor_from_request(request), region=region, **form.cleaned_data)
        except DomainError as exc:
            refused(request, exc, form)
        else:
            messages.success(request, _("The retention periods are saved."))
            return redirect("onboarding:retention", region.slug)
    return render(request, "onboarding/retention.html", {"form": form}, status=400 if form.errors else 200)


@staff_view(admin=True)
def branding(request):
    region = request.region
    initial = {
        "colour_primary": region.colour_primary,
        "colour_accent": region.colour_accent,
        "tagline": region.tagline,
    }
    form = BrandingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.region_branding_set(
                actor=actor_from_request(request),
                region=region,
                colour_primary=data["colour_primary"],
                colour_accent=data["colour_accent"],
                tagline=data["tagline"],
                logo=data["logo"],
            )
        except services.OnboardingError as exc:
            for field, problems in exc.details.items():
                form.add_error(field if field in form.fields else None, problems[0])
            if not exc.details:
                refused(request, exc, form)
        else:
            messages.success(request, _("The look of the region is saved."))
            return redirect("onboarding:branding", region.slug)
    return render(request, "onboarding/branding.html", {"form": form}, status=400 if form.errors else 200)
