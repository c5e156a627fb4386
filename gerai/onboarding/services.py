"""Onboarding a region and running it: the platform admin creates a region from the Kemendagri list (areas, office
agencies, time zone, modules, signing CA, first admin's invitation); the region admin keeps its agencies, modules and
branding. Every write is one transaction with its audit entry."""

import io
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import get_resolver
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gerai.accounts.models import StaffRole
from gerai.accounts.services import StaffError, staff_invite
from gerai.audit.services import audit_record
from gerai.core.actors import Actor
from gerai.core.errors import DomainError
from gerai.documents.selectors import authorities_of_region
from gerai.documents.services import signing_authority_create
from gerai.lib.colours import AA_TEXT, contrast
from gerai.regions import wilayah
from gerai.regions.models import Agency, Area, Region
from gerai.regions.services import region_create, region_import_areas

#: What a new region starts with: its services, complaints, satisfaction surveys and transparency dashboard.
DEFAULT_MODULES = [
    Region.Module.SERVICES.value,
    Region.Module.COMPLAINTS.value,
    Region.Module.SURVEYS.value,
    Region.Module.TRANSPARENCY.value,
]
#: The file areas, served before any page: no region may take them as its address either.
FILE_AREAS = frozenset({"static", "media"})


def reserved_slugs() -> frozenset[str]:
    """First path segments the platform uses itself (akun, api, bandingkan, inovasi, kinerja, platform…), read
    from the URL configuration, so that a page added at the top level is reserved the day it is added."""
    segments = set(FILE_AREAS)
    for pattern in get_resolver().url_patterns:
        leading = re.match(r"\^?([A-Za-z0-9_-]+)", str(pattern.pattern))
        if leading:
            segments.add(leading.group(1))
    return frozenset(segments)


LOGO_MAX_BYTES = 512 * 1024
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


class OnboardingError(DomainError):
    statuses = {"region_unknown": 400, "slug_taken": 409}


@dataclass(frozen=True)
class Onboarded:
    region: Region
    created: bool
    areas: int = 0
    invitation_token: str = ""


def _check_code(code: str) -> str:
    code = code.strip()
    if not re.fullmatch(r"\d{2}\.\d{2}", code) or wilayah.regency_name(code) is None:
        raise OnboardingError(
            "region_unknown",
            _("%(code)s is not a kabupaten/kota code in the Kemendagri list (write it as 63.01).") % {"code": code},
            field="code",
        )
    return code


def _check_slug(slug: str, name: str) -> str:
    slug = slugify(slug.strip()) if slug.strip() else slugify(name.replace("Kabupaten ", "").replace("Kota ", "kota "))
    if not slug or slug in reserved_slugs() or Region.objects.filter(slug=slug).exists():
        raise OnboardingError(
            "slug_taken", _("The address /%(slug)s/ is taken: choose another.") % {"slug": slug}, field="slug"
        )
    return slug


def tracking_prefix_for(name: str) -> str:
    """A free tracking-code prefix from the region's name: TNL for Tanah Laut, then variants."""
    letters = re.sub(r"[^A-Z]", "", name.upper().replace("KABUPATEN", "").replace("KOTA", ""))
    consonants = letters[:1] + re.sub(r"[AEIOU]", "", letters[1:])
    candidates = [consonants[:3], letters[:3], consonants[:2] + letters[-1:], letters[:1] + consonants[-2:]]
    candidates += [letters[:2] + str(n) for n in range(10)]
    taken = set(Region.objects.values_list("tracking_prefix", flat=True))
    for candidate in candidates:
        if len(candidate) == 3 and candidate not in taken:
            return candidate
    raise OnboardingError("prefix_exhausted", _("No tracking prefix is free for this name."))


def region_onboard(
    *, actor: Actor, code: str, slug: str = "", admin_email: str = "", admin_name: str = ""
) -> Onboarded:
    """Create a region from its Kemendagri code: name, kecamatan and desa/kelurahan with an office for each, the
    province's time zone, the default modules, the regional secretariat (Setda), holding the default complaint
    categories until they are given to their dinas, its own signing CA and an invitation for its first admin. A
    code already on the platform changes nothing (Onboarded.created is False). All or nothing."""
    code = _check_code(code)
    existing = Region.objects.filter(code=code).first()
    if existing is not None:
        return Onboarded(region=existing, created=False)
    name = wilayah.regency_name(code) or code
    slug = _check_slug(slug, name)
    if admin_email and "@" not in admin_email:
        raise OnboardingError("email_invalid", _("Enter the first admin's email address."), field="admin_email")
    token = ""
    try:
        with transaction.atomic():
            region = region_create(
                actor=actor,
                code=code,
                slug=slug,
                tracking_prefix=tracking_prefix_for(name),
                timezone=wilayah.zone_of(code),
                modules=list(DEFAULT_MODULES),
            )
            areas = region_import_areas(actor=actor, region=region, with_offices=True)
            # the regional secretariat, which every kabupaten and kota has: it holds the default complaint
            # categories (the complaints app makes them on this onboarding's audit entry) until the admin gives
            # each to its dinas
            agency_save(
                actor=actor,
                region=region,
                agency=None,
                data={"name": "Sekretariat Daerah", "short_name": "Setda", "kind": Agency.Kind.DINAS},
            )
            if admin_email:
                _invitation, token = staff_invite(
                    actor=actor,
                    region=region,
                    email=admin_email,
                    full_name=admin_name or _("Admin of %(region)s") % {"region": name},
                    role=StaffRole.Role.ADMIN,
                )
            signing_authority_create(actor=actor, region=region)
            audit_record(
                actor=actor,
                action="region.onboard",
                obj=region,
                region=region,
                changes={"code": code, "timezone": region.timezone, "areas": areas, "admin_invited": bool(admin_email)},
            )
    except IntegrityError:  # a second request for the same code or address won the race
        raise OnboardingError(
            "slug_taken", _("This region or address was just created: reload."), field="slug"
        ) from None
    except StaffError as exc:
        raise OnboardingError(exc.code, exc.message, field="admin_email") from None
    return Onboarded(region=region, created=True, areas=areas, invitation_token=token)


def region_signing_authority_ensure(*, actor: Actor, region: Region) -> bool:
    """A region onboarded before it had one gets its own CA; True when one was made."""
    if authorities_of_region(region).exclude(key_file="").exists():
        return False
    signing_authority_create(actor=actor, region=region)
    return True


# --- the region admin's settings ---------------------------------------------------------------------------------


def agency_save(*, actor: Actor, region: Region, agency: Agency | None, data: dict) -> Agency:
    """Add or change one of the region's agencies (a dinas, badan, kecamatan or desa/kelurahan office)."""
    name = " ".join(str(data.get("name", "")).split())
    if not name:
        raise OnboardingError("name_missing", _("Enter the agency's name."), field="name")
    area = data.get("area")
    if area is not None and area.region_id != region.pk:
        raise OnboardingError("area_foreign", _("Choose an area of this region."), field="area")
    if data.get("kind") in (Agency.Kind.KECAMATAN, Agency.Kind.DESA) and area is None:
        raise OnboardingError("area_missing", _("A kecamatan or desa office needs its area."), field="area")
    creating = agency is None
    if agency is None:
        base = slugify(data.get("short_name") or name)[:50] or "unit"
        slug, n = base, 1
        while Agency.objects.filter(region=region, slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        agency = Agency(region=region, slug=slug)
    elif agency.region_id != region.pk:
        raise OnboardingError("agency_foreign", _("Choose an agency of this region."))
    agency.name, agency.short_name = name, " ".join(str(data.get("short_name", "")).split())[:40]
    agency.kind, agency.area = data.get("kind") or Agency.Kind.DINAS, area
    agency.is_active = bool(data.get("is_active", True))
    with transaction.atomic():
        agency.full_clean()
        agency.save()
        audit_record(
            actor=actor,
            action="agency.create" if creating else "agency.update",
            obj=agency,
            region=region,
            changes={"name": agency.name, "kind": agency.kind, "active": agency.is_active},
        )
    return agency


def region_modules_set(*, actor: Actor, region: Region, modules: list[str]) -> Region:
    unknown = set(modules) - set(Region.Module.values)
    if unknown:
        raise OnboardingError("module_unknown", _("Unknown module: %(m)s.") % {"m": ", ".join(sorted(unknown))})
    wanted = [m for m in Region.Module.values if m in modules]  # the order of the list, whatever was posted
    with transaction.atomic():
        before = list(region.modules)
        region.modules = wanted
        region.save(update_fields=["modules"])
        audit_record(
            actor=actor,
            action="region.modules_set",
            obj=region,
            region=region,
            changes={"on": sorted(set(wanted) - set(before)), "off": sorted(set(before) - set(wanted))},
        )
    return region


def region_retention_set(
    *, actor: Actor, region: Region, draft_keep_days: int | None, consent_keep_days: int | None
) -> Region:
    """How long the region keeps drafts never sent and counter consents' evidence (applications' retention
    sweep acts on it); None keeps them."""
    for name, days in (("draft_keep_days", draft_keep_days), ("consent_keep_days", consent_keep_days)):
        if days is not None and not 1 <= days <= 3650:
            raise OnboardingError("retention_days", _("Give between 1 and 3650 days, or leave it empty."), field=name)
    with transaction.atomic():
        region.draft_keep_days, region.consent_keep_days = draft_keep_days, consent_keep_days
        region.save(update_fields=["draft_keep_days", "consent_keep_days"])
        audit_record(
            actor=actor,
            action="region.retention_set",
            obj=region,
            region=region,
            changes={"draft_keep_days": draft_keep_days, "consent_keep_days": consent_keep_days},
        )
    return region


def colour_problems(primary: str, accent: str) -> dict[str, str]:
    """WCAG AA: the header's white text on the primary colour and black text on the accent need 4.5:1."""
    problems = {}
    for field, colour, text, text_name in (
        ("colour_primary", primary, "#ffffff", _("white text")),
        ("colour_accent", accent, "#000000", _("black text")),
    ):
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour or ""):
            problems[field] = _("Enter a colour as #RRGGBB.")
            continue
        ratio = contrast(colour, text)
        if ratio < AA_TEXT:
            problems[field] = _(
                "%(colour)s with %(text)s has a contrast of %(ratio).1f:1; WCAG AA needs at least 4.5:1. "
                "Choose a %(way)s colour."
            ) % {
                "colour": colour,
                "text": text_name,
                "ratio": ratio,
                "way": _("darker") if text == "#ffffff" else _("lighter"),
            }
    return problems


def _checked_logo(upload) -> tuple[bytes, str]:
    from PIL import Image, UnidentifiedImageError

    if upload.size > LOGO_MAX_BYTES:
        raise OnboardingError("logo_too_large", _("The logo may be at most 512 KB."), field="logo")
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        kind = None
    if kind not in LOGO_FORMATS:
        raise OnboardingError("logo_not_image", _("The logo must be a PNG, JPEG or WebP image."), field="logo")
    return data, LOGO_FORMATS[kind]


def region_branding_set(
    *, actor: Actor, region: Region, colour_primary: str, colour_accent: str, tagline: str, logo=None
) -> Region:
    """The region's colours (refused below WCAG AA contrast), tagline and logo (an image, at most 512 KB)."""
    problems = colour_problems(colour_primary, colour_accent)
    if problems:
        field, message = next(iter(problems.items()))
        raise OnboardingError("contrast", message, field=field, details={k: [v] for k, v in problems.items()})
    checked = _checked_logo(logo) if logo is not None else None
    with transaction.atomic():
        region.colour_primary, region.colour_accent = colour_primary.lower(), colour_accent.lower()
        region.tagline = " ".join(tagline.split())[:200]
        fields = ["colour_primary", "colour_accent", "tagline"]
        if checked is not None:
            from django.core.files.base import ContentFile

            region.logo.save(f"{region.slug}.{checked[1]}", ContentFile(checked[0]), save=False)
            fields.append("logo")
        region.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="region.branding_set",
            obj=region,
            region=region,
            changes={"primary": region.colour_primary, "accent": region.colour_accent, "logo": checked is not None},
        )
    return region


def areas_for_offices(region: Region):
    return Area.objects.filter(region=region).order_by("code")
