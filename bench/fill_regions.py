"""Fill the database with N Banyuwangi-shaped regions for the regions-per-server benchmark (idempotent).

Banyuwangi (the demo's, loaded first) is region 1. Regions 2..N are real regencies onboarded the way a new
region joins (`region_onboard`: its kecamatan and desa with an office each, the Setda, its signing CA), given
Banyuwangi's eight dinas and the modules Banyuwangi has, adopting Banyuwangi's catalogue (`service_copy` with
the dinas mapped, then `service_publish`); the onboarding gave it the default complaint categories. Each region
then gets, in bulk:
ROWS synthetic applications (1 % open, as bench/fill.py: a third of those at Dispendukcapil), ROWS / 2 complaint
reports, survey invitations for SURVEYS completed applications, an officer at Dispendukcapil with a session,
and a citizen with an API token. They are distinct rows, so caches, memos and indexes see N regions.

Prints one JSON line: what the load script needs per region (bench/regions.py writes it as Lua data).
Usage: DJANGO_SETTINGS_MODULE=bench.settings python bench/fill_regions.py N [ROWS] [SURVEYS]"""

import datetime as dt
import json
import os
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.fill import COLUMNS, REPORT_COLUMNS, report_rows, rows  # noqa: E402
from gerai.accounts.models import ApiToken, User  # noqa: E402
from gerai.accounts.services import api_token_create  # noqa: E402
from gerai.applications.models import Application  # noqa: E402
from gerai.catalog.models import Service  # noqa: E402
from gerai.catalog.services import service_copy, service_publish  # noqa: E402
from gerai.complaints.models import Category, Report  # noqa: E402
from gerai.core.actors import Actor  # noqa: E402
from gerai.demo.build import _citizen, _dinas, _staff  # noqa: E402
from gerai.onboarding.services import region_onboard  # noqa: E402
from gerai.regions import wilayah  # noqa: E402
from gerai.regions.models import Agency, Area, Region  # noqa: E402
from gerai.surveys.models import SurveyInvitation  # noqa: E402

SKIP = {"35.10", "62.07"}  # Banyuwangi and Seruyan: the demo's own
#: the service every region's submissions go to (bench/lua/submit.lua's: a form, a desa and one PDF)
SUBMIT_SERVICE = "surat-domisili"


def regency_codes() -> list[str]:
    """Jawa Timur first, then every other province: real regencies with real kecamatan and desa."""
    provinces = sorted(wilayah.province_codes(), key=lambda p: (p != "35", p))
    return [c for p in provinces for c in wilayah.regency_codes(p) if c not in SKIP]


def onboard(actor: Actor, code: str, bwi: Region) -> Region:
    region = region_onboard(actor=actor, code=code).region
    if Service.objects.filter(region=region).exists():
        return region
    with transaction.atomic():
        region.modules = list(bwi.modules)
        region.save(update_fields=["modules"])
        dinas = _dinas(region)
        source_dinas = {a.slug: a for a in Agency.objects.filter(region=bwi, kind=Agency.Kind.DINAS)}
        agency_map = {source_dinas[slug].pk: agency for slug, agency in dinas.items() if slug in source_dinas}
        for source in Service.objects.filter(region=bwi, is_published=True).order_by("pk"):
            copy = service_copy(actor=actor, source=source, region=region, agency_map=agency_map)
            service_publish(actor=actor, service=copy, note="bench")
            Service.objects.filter(pk=copy.pk).update(is_published=True)
    return region


def people(actor: Actor, region: Region) -> tuple[User, User]:
    """The region's officer at Dispendukcapil and a citizen of one of its desa."""
    if region.slug == "banyuwangi":
        return User.objects.get(login="capil@banyuwangi.demo"), User.objects.get(login="warga@banyuwangi.demo")
    officer_login, citizen_login = f"capil@{region.slug}.bench", f"warga@{region.slug}.bench"
    officer = User.objects.filter(login=officer_login).first()
    if officer is None:
        capil = Agency.objects.get(region=region, slug="dispendukcapil")
        officer = _staff(actor, region, officer_login, "Petugas Dispendukcapil", capil, "officer", "Verifikator")
    citizen = User.objects.filter(login=citizen_login).first()
    if citizen is None:
        desa = first_desa(region)
        citizen = _citizen(
            citizen_login,
            "Warga Bench",
            desa=desa,
            birth=dt.date(1990, 3, 12),
            female=True,
            serial=region.pk % 9000 + 1,
            address="Dusun Krajan RT 01 RW 01",
        )
    return officer, citizen


def first_desa(region: Region) -> Area:
    return Area.objects.filter(region=region, level__in=(4, 5), parent__isnull=False).order_by("code")[0]


def fill_applications(region: Region, total: int, users: list[int]) -> None:
    tag = f"rg{region.pk:04d}"
    if Application.objects.filter(region=region, ref__startswith=tag).exists():
        return
    services = [
        (s, s.steps.order_by("order").first(), s.current_version_id)
        for s in Service.objects.filter(region=region).order_by("pk")
    ]
    villages = list(Area.objects.filter(region=region, level__in=(4, 5)).values_list("code", flat=True))
    offices = dict(Agency.objects.filter(region=region, kind="desa").values_list("area_id", "pk"))
    capil = Agency.objects.get(region=region, slug="dispendukcapil").pk
    offices = {v: offices.get(v, capil) for v in villages}
    ctx = (services, villages, offices, capil, users, timezone.now())
    table = Application._meta.db_table
    out = []
    for row in rows(1, total + 1, ctx):
        row = list(row)
        i = int(row[5].removeprefix("bench"))
        row[5] = f"{tag}{i:07d}"
        row[6] = f"{region.tracking_prefix}-{i // 10000:04d}-{i % 10000:04d}"
        out.append(row)
    _insert(table, COLUMNS, out)


def fill_reports(region: Region, total: int) -> None:
    prefix = f"{region.tracking_prefix}P-"
    if Report.objects.filter(region=region, tracking_code__startswith=prefix).exists():
        return
    categories = [(c.pk, c.agency_id, region.pk) for c in Category.objects.filter(region=region)]
    villages = list(Area.objects.filter(region=region, level__in=(4, 5)).values_list("code", flat=True))
    out = []
    for i, row in enumerate(report_rows(1, total + 1, (categories, villages, timezone.now())), start=1):
        row = list(row)
        row[3] = f"{prefix}{i // 10000:04d}-{i % 10000:04d}"
        out.append(row)
    _insert(Report._meta.db_table, REPORT_COLUMNS, out)


def fill_invitations(region: Region, count: int) -> None:
    """One-use survey links for `count` completed applications, tokens bench-able: s<region pk>x<n>."""
    if SurveyInvitation.objects.filter(application__region=region, token__startswith=f"s{region.pk}x").exists():
        return
    ids = (
        Application.objects.filter(region=region, status="completed", ref__startswith=f"rg{region.pk:04d}")
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    expires = timezone.now() + dt.timedelta(days=365)
    SurveyInvitation.objects.bulk_create(
        SurveyInvitation(application_id=pk, token=f"s{region.pk}x{n}", expires_at=expires) for n, pk in enumerate(ids)
    )


def _insert(table: str, columns: list[str], data: list) -> None:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with (
                connection.connection.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in data:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", data)


def credentials(actor: Actor, officer: User, citizen: User) -> tuple[str, str]:
    session = SessionStore()
    session[SESSION_KEY] = str(officer.pk)
    session[BACKEND_SESSION_KEY] = "gerai.accounts.backends.EmailOrPhoneBackend"
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    session.create()
    ApiToken.objects.filter(user=citizen, name="bench-regions").delete()
    _record, token = api_token_create(actor=actor, user=citizen, name="bench-regions")
    return str(session.session_key), token


def main(n: int, total: int, surveys: int) -> None:
    actor = Actor.system()
    bwi = Region.objects.get(slug="banyuwangi")
    users = list(User.objects.filter(login__startswith="bench-").values_list("pk", flat=True))
    if len(users) < 1000:
        User.objects.bulk_create(
            [User(login=f"bench-{k}@bench.invalid", full_name=f"Warga {k}", password="!") for k in range(1000)],
            ignore_conflicts=True,
        )
        users = list(User.objects.filter(login__startswith="bench-").values_list("pk", flat=True))
    started = time.monotonic()
    out = []
    for k, code in enumerate([None, *regency_codes()[: n - 1]], start=1):
        region = bwi if code is None else onboard(actor, code, bwi)
        officer, citizen = people(actor, region)
        fill_applications(region, total, users)
        fill_reports(region, total // 2)
        fill_invitations(region, surveys)
        session, token = credentials(actor, officer, citizen)
        category = Category.objects.filter(region=region).order_by("order").values_list("code", flat=True).first()
        tag = f"rg{region.pk:04d}"
        out.append(
            {
                "slug": region.slug,
                "prefix": region.tracking_prefix,
                "rows": Application.objects.filter(region=region, ref__startswith=tag).count(),
                "desa": citizen.citizen.desa_id,
                "category": category,
                "survey_tag": f"s{region.pk}x",
                "surveys": SurveyInvitation.objects.filter(
                    application__region=region, token__startswith=f"s{region.pk}x"
                ).count(),
                "session": session,
                "token": token,
            }
        )
        if k % 10 == 0:
            print(f"fill_regions: {k} regions ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        connection.connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(json.dumps({"service": SUBMIT_SERVICE, "regions": out}))


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 10,
        int(sys.argv[2]) if len(sys.argv) > 2 else 3000,
        int(sys.argv[3]) if len(sys.argv) > 3 else 200,
    )
