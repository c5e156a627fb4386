"""Reads of the onboarding pages: the platform's regions, a region's agencies and staff."""

from django.db.models import Count, Prefetch
from django.http import Http404

from gerai.accounts.models import StaffInvitation, StaffRole, User
from gerai.regions import wilayah
from gerai.regions.models import Agency, Region


def regions_for_platform():
    return Region.objects.annotate(area_count=Count("areas", distinct=True)).order_by("name")


def region_for_platform(slug: str) -> Region:
    region = Region.objects.filter(slug=slug).first()
    if region is None:
        raise Http404
    return region


def regency_choices() -> list[tuple[str, str]]:
    """(code, name) of every kabupaten/kota in the Kemendagri list, for the onboarding form's suggestions."""
    return [(code, name) for code, name in wilayah.rows() if code.count(".") == 1]


def agencies_for_settings(region: Region, kind: str = ""):
    agencies = Agency.objects.filter(region=region).select_related("area").order_by("kind", "name")
    return agencies.filter(kind=kind) if kind else agencies


def agency_for_settings(region: Region, pk) -> Agency:
    try:
        return Agency.objects.get(region=region, pk=pk)
    except (Agency.DoesNotExist, ValueError):
        raise Http404 from None


def staff_of_region(region: Region):
    """The people with a role in the region, each with their roles there (prefetched as `region_roles`)."""
    roles = StaffRole.objects.filter(region=region).select_related("agency").order_by("role")
    return (
        User.objects.filter(staff_roles__region=region)
        .distinct()
        .prefetch_related(Prefetch("staff_roles", queryset=roles, to_attr="region_roles"))
        .order_by("full_name")
    )


def staff_member(region: Region, pk) -> User:
    try:
        return staff_of_region(region).get(pk=pk)
    except (User.DoesNotExist, ValueError):
        raise Http404 from None


def staff_role_of_region(region: Region, pk) -> StaffRole:
    try:
        return StaffRole.objects.select_related("user").get(region=region, pk=pk)
    except (StaffRole.DoesNotExist, ValueError):
        raise Http404 from None


def invitations_open(region: Region):
    from django.utils import timezone

    return StaffInvitation.objects.filter(
        region=region, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("agency")


def invitation_of_region(region: Region, pk) -> StaffInvitation:
    try:
        return StaffInvitation.objects.select_related("region").get(region=region, pk=pk)
    except (StaffInvitation.DoesNotExist, ValueError):
        raise Http404 from None
