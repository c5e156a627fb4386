"""Reads of a region's webhook subscriptions. Another region's subscription and a missing one give
the same 404."""

from django.db.models import Prefetch
from django.http import Http404

from gerai.webhooks.models import Attempt, Delivery, Subscription


def subscriptions_of(region):
    return Subscription.objects.filter(region=region).select_related("owner").order_by("-created_at", "-pk")


def subscription_get(region, code: str) -> Subscription:
    subscription = subscriptions_of(region).filter(code=code).first()
    if subscription is None:
        raise Http404
    return subscription


def deliveries_of(subscription: Subscription, limit: int = 50) -> list[Delivery]:
    """The latest deliveries, each with its attempts (newest first)."""
    return list(
        subscription.deliveries.order_by("-created_at", "-pk").prefetch_related(
            Prefetch("attempt_log", queryset=Attempt.objects.order_by("-at", "-pk"))
        )[:limit]
    )


def delivery_get(subscription: Subscription, code: str) -> Delivery:
    delivery = subscription.deliveries.filter(code=code).first()
    if delivery is None:
        raise Http404
    return delivery
