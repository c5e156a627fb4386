from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gerai.accounts.decorators import staff_view
from gerai.core.actors import actor_from_request
from gerai.core.errors import refused
from gerai.webhooks import selectors, services
from gerai.webhooks.forms import SubscriptionForm

SESSION_NEW_SUBSCRIPTION = "webhooks_new_secret"  # the subscription just made and its secret, for the next page


@staff_view(admin=True)
def subscriptions(request):
    """The region's webhook subscriptions, and a form for a new one. POST-redirect-GET: the new secret waits in
    the session for the page after the redirect, which shows it once (a refresh creates nothing and shows it
    no more)."""
    form = SubscriptionForm(request.POST or None)
    created = None
    if request.method == "GET":
        new = request.session.pop(SESSION_NEW_SUBSCRIPTION, None)
        if new and new.get("region") == request.region.slug:
            try:
                created = {"subscription": selectors.subscription_get(request.region, new["code"]), **new}
            except Http404:  # deleted meanwhile (another tab)
                created = None
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = services.subscription_create(
                actor=actor_from_request(request),
                region=request.region,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
            )
        except services.WebhookError as exc:
            refused(request, exc, form)
        else:
            request.session[SESSION_NEW_SUBSCRIPTION] = {
                "region": request.region.slug,
                "code": subscription.code,
                "secret": secret,
            }
            return redirect("webhooks:list", request.region.slug)
    response = render(
        request,
        "webhooks/list.html",
        {"subscriptions": selectors.subscriptions_of(request.region), "form": form, "created": created},
    )
    response["Cache-Control"] = "no-store"  # the new secret must not stay in a cache
    return response


@staff_view(admin=True)
def subscription_detail(request, code: str):
    """One subscription: its latest deliveries with every attempt; resend, switch off or on, delete."""
    subscription = selectors.subscription_get(request.region, code)
    here = reverse("webhooks:detail", args=[request.region.slug, subscription.code])
    if request.method == "POST":
        actor, what = actor_from_request(request), request.POST.get("what", "")
        try:
            if what == "resend":
                delivery = selectors.delivery_get(subscription, request.POST.get("delivery", ""))
                services.delivery_resend(actor=actor, delivery=delivery)
                messages.success(request, _("The event is queued again. The worker sends it within seconds."))
            elif what in ("enable", "disable"):
                services.subscription_set_active(actor=actor, subscription=subscription, active=what == "enable")
                messages.success(
                    request,
                    _("The subscription is on again.") if what == "enable" else _("The subscription is switched off."),
                )
            elif what == "delete":
                services.subscription_delete(actor=actor, subscription=subscription)
                messages.success(request, _("The subscription is deleted."))
                return redirect("webhooks:list", request.region.slug)
        except services.WebhookError as exc:
            refused(request, exc)
        return redirect(here)
    return render(
        request,
        "webhooks/detail.html",
        {"subscription": subscription, "deliveries": selectors.deliveries_of(subscription)},
    )
