from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerai.accounts.decorators import staff_view
from gerai.core import pagecache
from gerai.core.actors import actor_from_request
from gerai.regions.calendar import RegionCalendar, national_days_off
from gerai.regions.forms import HolidayForm
from gerai.regions.selectors import holiday_override_get, regions_active
from gerai.regions.services import holiday_override_delete, holiday_override_set, region_map_set


@pagecache.public_page("regions", topics=(), platform=True)
def platform_home(request):
    return render(request, "regions/platform_home.html", {"regions": regions_active()})


@require_POST
def set_language(request):
    lang = request.POST.get("language", settings.LANGUAGE_CODE)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if lang in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@staff_view(admin=True)
def holidays_admin(request):
    """The region's own days off and working days, over the national list."""
    region = request.region
    actor = actor_from_request(request)
    if request.method == "POST" and "delete" in request.POST:
        override = holiday_override_get(region, request.POST.get("delete"))
        if override:
            holiday_override_delete(actor=actor, region=region, override=override)
        return redirect("regions:holidays", region_slug=region.slug)
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        holiday_override_set(actor=actor, region=region, **form.cleaned_data)
        messages.success(request, _("Saved. New deadlines use it."))
        return redirect("regions:holidays", region_slug=region.slug)
    today = timezone.localdate(timezone=region.zone)
    national = sorted(national_days_off(today.year) | national_days_off(today.year + 1))
    return render(
        request,
        "regions/holidays.html",
        {
            "form": form,
            "overrides": region.holiday_overrides.all(),
            "national": national,
            "calendar": RegionCalendar(region),
        },
    )


def map_settings_save(request) -> str | None:
    """Saves the region's map settings that a region admin posted (the form is regions/map_settings.html, shown on
    the complaints' categories page, which checks the admin and calls this): None when saved, else the error."""
    try:
        region_map_set(
            actor=actor_from_request(request),
            region=request.region,
            tiles_url=request.POST.get("map_tiles_url", "")[:300],
            attribution=request.POST.get("map_attribution", ""),
        )
    except ValidationError as exc:
        return exc.messages[0]
    messages.success(request, _("Map settings saved."))
    return None
