"""Small, explicit factories for tests, as healthchecks' hc/test.py builds its users: each test makes the few
rows it needs, through the services where one exists (region_create, staff_role_grant, service_import), so a
test reads what it stands on. The demo (gerai/demo/build.py) is for the browser journey and for tests about
the demo itself.

The factory regions use real Kemendagri codes that the demo does not load (35.09 Jember, 63.01 Tanah Laut),
so they live beside Banyuwangi (35.10) and Seruyan (62.07), which every test session loads."""

import datetime as dt
from dataclasses import dataclass
from itertools import count

import pyotp
from django.test import Client

from gerai.accounts.models import CitizenProfile, StaffRole, User
from gerai.accounts.services import staff_role_grant
from gerai.applications import services
from gerai.catalog.models import Service
from gerai.catalog.selectors import service_form_pages
from gerai.catalog.services import service_import
from gerai.complaints.services import category_save
from gerai.core.actors import Actor
from gerai.lib.nik import compose
from gerai.regions import wilayah
from gerai.regions.models import Agency, Area, Region
from gerai.regions.services import region_create

_serial = count(1)

#: A region's name and tiny area tree (one kecamatan, two of its desa), as the Kemendagri list has them; written
#: out because reading the list (gerai/regions/wilayah.py) costs a CSV scan per name.
TREE = {
    "35.09": ("Kabupaten Jember", ("35.09.01", "Jombang"), ("35.09.01.2001", "Padomasan"), ("35.09.01.2002", "Keting")),
    "63.01": (
        "Kabupaten Tanah Laut",
        ("63.01.01", "Takisung"),
        ("63.01.01.2001", "Benua Lawas"),
        ("63.01.01.2002", "Tabanio"),
    ),
}


@dataclass
class RegionParts:
    region: Region
    kecamatan: Area
    desa: Area
    other_desa: Area
    kecamatan_office: Agency
    desa_office: Agency
    other_desa_office: Agency
    dinas: Agency


def make_region(code: str = "35.09", slug: str = "", tracking_prefix: str = "") -> RegionParts:
    """A region with one kecamatan, two desa, an office for each, and one dinas. Area rows are created
    directly (region_import_areas would load the whole regency: hundreds of rows)."""
    name, (kecamatan_code, kecamatan_name), *villages_named = TREE[code]
    region = region_create(
        actor=Actor.system(),
        code=code,
        name=name,
        slug=slug,
        tracking_prefix=tracking_prefix or f"T{code.replace('.', '')[-2:]}",
        modules=[module.value for module in Region.Module],
    )
    kecamatan = Area.objects.create(code=kecamatan_code, region=region, name=kecamatan_name, level=Area.Level.KECAMATAN)
    villages = [
        Area.objects.create(code=c, region=region, parent=kecamatan, name=n, level=wilayah.level_of(c))
        for c, n in villages_named
    ]
    offices = [_office(region, area) for area in (kecamatan, *villages)]
    dinas = Agency.objects.create(
        region=region, slug="dukcapil", name="Dinas Kependudukan dan Pencatatan Sipil", short_name="Dukcapil"
    )
    return RegionParts(region, kecamatan, *villages, *offices, dinas)


def _office(region: Region, area: Area) -> Agency:
    """The office of an area, named as region_import_areas names it."""
    kind = Agency.Kind.KECAMATAN if area.level == Area.Level.KECAMATAN else Agency.Kind.DESA
    label = "Kecamatan" if kind == Agency.Kind.KECAMATAN else "Desa"
    return Agency.objects.create(
        region=region,
        slug=f"{kind}-{area.code.replace('.', '')}",
        name=f"Kantor {label} {area.name}",
        short_name=f"{label} {area.name}",
        kind=kind,
        area=area,
    )


def make_service(parts: RegionParts, slug: str = "surat-keterangan", **spec) -> Service:
    """A published service with one question page (a text and the desa), one required document, and two
    steps: the applicant's desa office verifies, the dinas approves."""
    description = {
        "slug": slug,
        "name": "Surat Keterangan",
        "summary": "Surat keterangan dari desa, disetujui dinas.",
        "category": "surat",
        "owner_agency": parts.dinas.slug,
        "sla_working_days": 3,
        "published": True,
        "pages": [
            {
                "title": "Data pemohon",
                "fields": [
                    {"key": "keperluan", "label": "Keperluan", "kind": "text"},
                    {"key": "desa", "label": "Desa", "kind": "desa"},
                ],
            }
        ],
        "documents": [{"key": "ktp", "label": "Foto KTP", "types": ["pdf", "jpg", "png"], "required": True}],
        "steps": [
            {"name": "Verifikasi desa", "routing": "desa", "role": "officer", "action": "verify"},
            {
                "name": "Persetujuan dinas",
                "routing": "fixed",
                "agency": parts.dinas.slug,
                "role": "officer",
                "action": "approve",
            },
        ],
    } | spec
    return service_import(actor=Actor.system(), region=parts.region, spec=description)


#: The password factory people sign in with, for the tests that go through the sign-in form.
PASSWORD = "kopi-uji-2026"


def _user(login: str, name: str, *, totp: bool = False) -> User:
    user = User.objects.create_user(login, PASSWORD, email=login, full_name=name)
    user.email_confirmed_at = user.date_joined
    if totp:  # staff enrol a second factor; client.force_login signs in past it, as the demo personas do
        user.totp_secret = pyotp.random_base32()
        user.totp_confirmed_at = user.date_joined
    user.save()
    return user


def make_citizen(desa: Area, name: str = "Warga Uji", *, female: bool = True, birth: dt.date | None = None) -> User:
    """A citizen living in `desa`, with a valid NIK from its kecamatan (and `birth`, or a date of its serial)."""
    n = next(_serial)
    birth = birth or dt.date(1990, 1 + n % 12, 1 + n % 28)
    user = _user(f"warga{n}@test.invalid", name)
    nik = compose(kecamatan_code=desa.parent.code, birth_date=birth, female=female, serial=n)
    CitizenProfile.objects.create(
        user=user, nik=nik, birth_date=birth, sex="P" if female else "L", address="Jl. Uji 1", desa=desa
    )
    return user


def make_staff(region: Region, agency: Agency | None, role: str = StaffRole.Role.OFFICER) -> User:
    """A staff member with `role` in `region` (at `agency`; none for a region admin), granted by the service."""
    user = _user(f"staf{next(_serial)}@test.invalid", f"Staf {role}", totp=True)
    staff_role_grant(actor=Actor.system(), user=user, region=region, role=role, agency=agency)
    return user


@dataclass
class Personas:
    """Everybody an access test asks: region A's people, their work's holders, and outsiders of region B."""

    a: RegionParts
    b: RegionParts
    service: Service  # region A's two-step service (desa verifies, dinas approves)
    citizen: User  # lives in a.desa
    other_citizen: User  # lives in a.other_desa
    desa_officer: User  # a.desa's office: holds the citizen's first step
    other_desa_officer: User
    kecamatan_officer: User
    dinas_officer: User  # holds the second step
    supervisor: User  # the dinas's supervisor
    other_dinas_officer: User
    coordinator: User  # the complaints coordinator (SP4N-LAPOR! admin), at another agency
    admin: User
    outsider_citizen: User  # region B
    outsider: User  # an officer of region B's dinas
    outsider_admin: User
    anonymous: None = None

    def client(self, name: str | None) -> Client:
        """A client signed in as the persona `name` ("anonymous" or None: signed out)."""
        client = Client()
        user = getattr(self, name) if name else None
        if user is not None:
            client.force_login(user)
        return client


def make_personas() -> Personas:
    a, b = make_region("35.09", "jember-uji", "TJB"), make_region("63.01", "tanahlaut-uji", "TTL")
    other_dinas = Agency.objects.create(region=a.region, slug="dpmptsp", name="DPMPTSP", short_name="DPMPTSP")
    return Personas(
        a=a,
        b=b,
        service=make_service(a),
        citizen=make_citizen(a.desa, "Siti Uji"),
        other_citizen=make_citizen(a.other_desa, "Budi Uji", female=False),
        desa_officer=make_staff(a.region, a.desa_office),
        other_desa_officer=make_staff(a.region, a.other_desa_office),
        kecamatan_officer=make_staff(a.region, a.kecamatan_office),
        dinas_officer=make_staff(a.region, a.dinas),
        supervisor=make_staff(a.region, a.dinas, StaffRole.Role.SUPERVISOR),
        other_dinas_officer=make_staff(a.region, other_dinas),
        coordinator=make_staff(a.region, other_dinas, StaffRole.Role.COORDINATOR),
        admin=make_staff(a.region, None, StaffRole.Role.ADMIN),
        outsider_citizen=make_citizen(b.desa, "Warga Luar"),
        outsider=make_staff(b.region, b.dinas),
        outsider_admin=make_staff(b.region, None, StaffRole.Role.ADMIN),
    )


def make_application(citizen: User, service: Service, *, upload, keperluan: str = "Melamar kerja"):
    """`citizen`'s application to make_service's service, submitted through the services."""
    actor = Actor(user=citizen)
    application = services.application_start(actor=actor, service=service, applicant=citizen)
    answers = {"keperluan": keperluan, "desa": citizen.citizen.desa_id}
    for fields in service_form_pages(service):
        data = {field.key: answers[field.key] for field in fields}
        errors = services.application_save_answers(actor=actor, application=application, fields=fields, data=data)
        assert errors == {}, errors
    for requirement in service.documents.filter(required=True):
        services.application_attach_document(
            actor=actor, application=application, requirement=requirement, upload=upload()
        )
    return services.application_submit(actor=actor, application=application)


def make_category(parts: RegionParts, code: str = "jalan-rusak", agency: Agency | None = None):
    """A complaint category of the region, sent to `agency` (the dinas by default), made by the service."""
    data = {"code": code, "name": code.replace("-", " ").capitalize(), "description": "", "group": "Infrastruktur"}
    data |= {"keywords": code, "agency": agency or parts.dinas, "is_active": True}
    return category_save(actor=Actor.system(), region=parts.region, category=None, data=data)


@dataclass
class PriceParts:
    """A region's price monitoring: two markets, two commodities, two enumerators and a TPID member."""

    region: Region
    market: object  # gerai.prices.models.Market
    other_market: object
    beras: object  # gerai.prices.models.Commodity, per kg
    cabai: object
    enumerator: User
    other_enumerator: User
    tpid: User


def make_prices(parts: RegionParts) -> PriceParts:
    """Markets, commodities and price staff in `parts`' region, through the price services."""
    from gerai.prices import services as price_services

    actor, region = Actor.system(), parts.region
    market = price_services.market_create(
        actor=actor, region=region, code="pasar-satu", name="Pasar Satu", kecamatan=parts.kecamatan, desa=parts.desa
    )
    other = price_services.market_create(actor=actor, region=region, code="pasar-dua", name="Pasar Dua", kind="modern")
    beras = price_services.commodity_create(
        actor=actor, region=region, code="beras-medium", name="Beras medium", unit="kg", order=1
    )
    cabai = price_services.commodity_create(
        actor=actor, region=region, code="cabai-rawit-merah", name="Cabai rawit merah", unit="kg", order=2
    )
    return PriceParts(
        region=region,
        market=market,
        other_market=other,
        beras=beras,
        cabai=cabai,
        enumerator=make_staff(region, parts.dinas, StaffRole.Role.ENUMERATOR),
        other_enumerator=make_staff(region, parts.dinas, StaffRole.Role.ENUMERATOR),
        tpid=make_staff(region, parts.dinas, StaffRole.Role.TPID),
    )
