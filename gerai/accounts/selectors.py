from gerai.accounts.identifiers import normalize_identifier
from gerai.accounts.models import ApiToken, CitizenProfile, StaffRole, User, login_key, nik_index
from gerai.regions.models import Region


def user_by_identifier(raw: str) -> User | None:
    parsed = normalize_identifier(raw)
    if parsed is None:
        return None
    return User.objects.filter(login=login_key(*parsed)).first()


def staff_roles_for_request(request, region) -> list[StaffRole]:
    """The signed-in user's roles in this region, read once per request (views, decorators and the
    page header all ask)."""
    memo = request.__dict__.setdefault("_gerai_staff_roles", {})
    if region.pk not in memo:
        memo[region.pk] = list(staff_roles_in_region(request.user, region))
    return memo[region.pk]


def staff_roles_in_region(user, region):
    if user is None or not user.is_authenticated:
        return StaffRole.objects.none()
    return StaffRole.objects.filter(user=user, region=region).select_related("agency")


def staff_agency_ids(user, region, *, roles=(StaffRole.Role.OFFICER, StaffRole.Role.SUPERVISOR)) -> set[int]:
    return set(staff_roles_in_region(user, region).filter(role__in=roles).values_list("agency_id", flat=True))


def is_region_admin(user, region) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or staff_roles_in_region(user, region).filter(role=StaffRole.Role.ADMIN).exists()


def is_staff_in_region(user, region) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or staff_roles_in_region(user, region).exists()


def regions_of_staff(user):
    if user.is_superuser:
        return Region.objects.filter(is_active=True)
    return Region.objects.filter(staff_roles__user=user, is_active=True).distinct()


def api_token_user(token: str) -> User | None:
    found = (
        ApiToken.objects.select_related("user", "user__citizen")
        .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return found.user if found else None


def api_tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def citizen_by_nik(nik: str):
    """The citizen profile (with its user) holding this NIK, or None: the counter's look-up."""
    return CitizenProfile.objects.select_related("user").filter(nik_index=nik_index(nik)).first()


def active_user_get(pk) -> User | None:
    return User.objects.filter(pk=pk, is_active=True).first()
