"""The demo platform: Banyuwangi (role model) and Seruyan (adopter) with real Kemendagri codes,
their agencies, a catalog of real services and an account for every role. Loaded only by
`manage.py load_demo`; demo accounts and the relaxed sign-in exist only when it has run."""

import datetime as dt
import json
from pathlib import Path

import pyotp
from django.db import transaction

from gerai.accounts.models import CitizenProfile, User
from gerai.accounts.services import staff_role_grant
from gerai.audit.services import audit_record
from gerai.catalog.models import Service
from gerai.catalog.services import service_copy, service_import
from gerai.complaints.demo import load_categories
from gerai.core.actors import Actor
from gerai.core.models import DEMO_FLAG, PlatformFlag
from gerai.documents.demo import load_signers, load_templates
from gerai.governance.demo import load_demo as load_governance
from gerai.innovation import demo as innovation_demo
from gerai.lib.nik import compose
from gerai.news.demo import load_demo as load_news
from gerai.onboarding.demo import load_demo as load_versions
from gerai.prices.demo import load_demo as load_prices
from gerai.regions.models import Agency, Area, Region, ServicePoint
from gerai.regions.services import region_create, region_import_areas
from gerai.tourism.demo import load_demo as load_tourism

DEMO_PASSWORD = "gerai-demo-2026"  # noqa: S105 - published demo password, demo data only

#: Banyuwangi's catalogue as a region admin would import it (docs/catalog.md): the standard every service
#: starts from, and the services with their forms, documents and workflows.
CATALOGUE = json.loads((Path(__file__).parent / "data" / "banyuwangi-services.json").read_text(encoding="utf-8"))

DINAS = {
    "dispendukcapil": ("Dinas Kependudukan dan Pencatatan Sipil", "Dispendukcapil"),
    "dpmptsp": ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    "dinkes": ("Dinas Kesehatan", "Dinkes"),
    "dinsos": ("Dinas Sosial, Pemberdayaan Perempuan dan Keluarga Berencana", "Dinsos PPKB"),
    "bakesbangpol": ("Badan Kesatuan Bangsa dan Politik", "Bakesbangpol"),
    "pupr": ("Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR"),
    "dlh": ("Dinas Lingkungan Hidup", "DLH"),
    "diskominfo": ("Dinas Komunikasi, Informatika dan Persandian", "Diskominfo"),
}

# Seruyan adopts six services and adapts them: longer SLAs for a wide, river-bound regency.
SERUYAN_ADOPTS = {
    "akta-kelahiran": 5,
    "kartu-keluarga": 5,
    "ktp-el": 7,
    "akta-kematian": 5,
    "surat-keterangan-usaha": 3,
    "sktm": 5,
}


def _user(login: str, name: str, *, totp: bool = False, superuser: bool = False) -> User:
    user = User.objects.create_user(
        login,
        DEMO_PASSWORD,
        email=login,
        full_name=name,
        is_demo=True,
        is_superuser=superuser,
        is_staff=superuser,
    )
    user.email_confirmed_at = user.date_joined
    if totp or superuser:
        user.totp_secret = pyotp.random_base32()
        user.totp_confirmed_at = user.date_joined
    user.save()
    return user


def _citizen(login, name, *, desa: Area, birth: dt.date, female: bool, serial: int, address: str) -> User:
    if desa.parent is None:
        raise ValueError(f"the demo's desa {desa.code} has no kecamatan")
    user = _user(login, name)
    nik = compose(kecamatan_code=desa.parent.code, birth_date=birth, female=female, serial=serial)
    CitizenProfile.objects.create(
        user=user, nik=nik, birth_date=birth, sex="P" if female else "L", address=address, desa=desa
    )
    return user


def _dinas(region: Region) -> dict:
    return {
        slug: Agency.objects.create(region=region, slug=slug, name=name, short_name=short, kind=Agency.Kind.DINAS)
        for slug, (name, short) in DINAS.items()
    }


def _staff(actor, region, login, name, agency, role, title) -> User:
    user = _user(login, name, totp=True)
    staff_role_grant(actor=actor, user=user, region=region, role=role, agency=agency, title=title)
    return user


def _office(region: Region, code: str) -> Agency:
    return Agency.objects.get(region=region, area_id=code)


@transaction.atomic
def load_demo() -> dict:
    actor = Actor.system()
    bwi = region_create(
        actor=actor,
        code="35.10",
        slug="banyuwangi",
        tracking_prefix="BWI",
        tagline="Banyuwangi Melayani",
        colour_primary="#0b5d3b",
        colour_accent="#f2c12e",
        is_role_model=True,
        modules=["layanan", "pengaduan", "survei", "transparansi", "inovasi", "indeks", "wisata", "berita", "harga"],
        contact_phone="112",
        contact_email="layanan@banyuwangi.demo",
        address="Jl. Ahmad Yani No. 100, Banyuwangi",
    )
    sry = region_create(
        actor=actor,
        code="62.07",
        slug="seruyan",
        tracking_prefix="SRY",
        tagline="Seruyan Melayani dari Hulu ke Hilir",
        colour_primary="#1d4f91",
        colour_accent="#f6a800",
        modules=["layanan", "pengaduan", "survei", "transparansi", "inovasi", "indeks", "wisata", "berita", "harga"],
        contact_email="layanan@seruyan.demo",
        address="Jl. Ahmad Yani, Kuala Pembuang",
    )
    for region in (bwi, sry):
        region_import_areas(actor=actor, region=region)
    bwi_dinas, sry_dinas = _dinas(bwi), _dinas(sry)
    ServicePoint.objects.create(
        region=bwi,
        name="Mal Pelayanan Publik Banyuwangi",
        kind="mpp",
        address="Jl. Diponegoro, Banyuwangi",
        opening_hours="Senin–Sabtu 08.00–15.00",
    )
    ServicePoint.objects.create(
        region=sry,
        name="Loket Dispendukcapil Seruyan",
        kind="mpp",
        agency=sry_dinas["dispendukcapil"],
        address="Kuala Pembuang",
        opening_hours="Senin–Jumat 08.00–14.00",
    )
    for spec in CATALOGUE["services"]:
        service_import(actor=actor, region=bwi, spec=spec, standard=CATALOGUE["standard"])
    load_templates(bwi)
    load_categories(bwi, bwi_dinas)
    load_categories(sry, sry_dinas)
    agency_map = {bwi_dinas[slug].pk: sry_dinas[slug] for slug in DINAS}
    for slug, sla in SERUYAN_ADOPTS.items():
        copy = service_copy(
            actor=actor, source=Service.objects.get(region=bwi, slug=slug), region=sry, agency_map=agency_map
        )
        copy.sla_working_days = sla
        copy.is_published = True
        copy.std_complaints = "Pengaduan melalui WhatsApp Dispendukcapil Seruyan atau kanal SP4N-LAPOR!."
        copy.save()

    kemiren = Area.objects.get(code="35.10.15.2004")
    sobo = Area.objects.get(code="35.10.16.1002")
    kuala1 = Area.objects.get(code="62.07.01.1001")
    people = {
        "warga@banyuwangi.demo": _citizen(
            "warga@banyuwangi.demo",
            "Siti Aminah",
            desa=kemiren,
            birth=dt.date(1990, 3, 12),
            female=True,
            serial=1,
            address="Dusun Krajan RT 01 RW 02, Kemiren",
        ),
        "warga2@banyuwangi.demo": _citizen(
            "warga2@banyuwangi.demo",
            "Budi Santoso",
            desa=sobo,
            birth=dt.date(1985, 7, 4),
            female=False,
            serial=2,
            address="Jl. Sobo Indah 5, Sobo",
        ),
        "warga@seruyan.demo": _citizen(
            "warga@seruyan.demo",
            "Rahmat Hidayat",
            desa=kuala1,
            birth=dt.date(1992, 11, 20),
            female=False,
            serial=3,
            address="Jl. Tjilik Riwut 12, Kuala Pembuang I",
        ),
    }
    staff = [
        (
            bwi,
            "desa.kemiren@banyuwangi.demo",
            "Agus Setiawan",
            _office(bwi, kemiren.code),
            "officer",
            "Kasi Pelayanan Desa Kemiren",
        ),
        (
            bwi,
            "kades.kemiren@banyuwangi.demo",
            "Lilik Yuliati",
            _office(bwi, kemiren.code),
            "supervisor",
            "Kepala Desa Kemiren",
        ),
        (
            bwi,
            "kecamatan.glagah@banyuwangi.demo",
            "Dewi Lestari",
            _office(bwi, "35.10.15"),
            "officer",
            "Kasi Pelayanan Kecamatan Glagah",
        ),
        (
            bwi,
            "kelurahan.sobo@banyuwangi.demo",
            "Hadi Purnomo",
            _office(bwi, sobo.code),
            "officer",
            "Kasi Pelayanan Kelurahan Sobo",
        ),
        (
            bwi,
            "capil@banyuwangi.demo",
            "Rina Wulandari",
            bwi_dinas["dispendukcapil"],
            "officer",
            "Verifikator Dispendukcapil",
        ),
        (
            bwi,
            "kadis.capil@banyuwangi.demo",
            "Ir. Bambang Sutrisno",
            bwi_dinas["dispendukcapil"],
            "supervisor",
            "Kepala Dispendukcapil",
        ),
        (
            bwi,
            "camat.glagah@banyuwangi.demo",
            "Drs. Hendro Wibowo",
            _office(bwi, "35.10.15"),
            "supervisor",
            "Camat Glagah",
        ),
        (bwi, "dpmptsp@banyuwangi.demo", "Yusuf Hamzah", bwi_dinas["dpmptsp"], "officer", "Petugas DPMPTSP"),
        (
            bwi,
            "dinkes@banyuwangi.demo",
            "dr. Maya Anggraini",
            bwi_dinas["dinkes"],
            "officer",
            "Verifikator Dinkes",
        ),
        (
            bwi,
            "pengaduan@banyuwangi.demo",
            "Dian Permatasari",
            bwi_dinas["diskominfo"],
            "coordinator",
            "Admin Koordinator SP4N-LAPOR!",
        ),
        (bwi, "pupr@banyuwangi.demo", "Wahyu Nugroho", bwi_dinas["pupr"], "officer", "Pejabat Penghubung Dinas PUPR"),
        (bwi, "kadis.pupr@banyuwangi.demo", "Ir. Slamet Riyadi", bwi_dinas["pupr"], "supervisor", "Kepala Dinas PUPR"),
        (bwi, "admin@banyuwangi.demo", "Admin Diskominfo Banyuwangi", None, "admin", "Admin daerah"),
        (
            sry,
            "kelurahan.kualapembuang@seruyan.demo",
            "Fitri Handayani",
            _office(sry, kuala1.code),
            "officer",
            "Kasi Pelayanan Kelurahan Kuala Pembuang I",
        ),
        (
            sry,
            "lurah.kualapembuang@seruyan.demo",
            "Nor Aini",
            _office(sry, kuala1.code),
            "supervisor",
            "Lurah Kuala Pembuang I",
        ),
        (
            sry,
            "camat.seruyanhilir@seruyan.demo",
            "Mukhlis Rahman",
            _office(sry, "62.07.01"),
            "supervisor",
            "Camat Seruyan Hilir",
        ),
        (
            sry,
            "capil@seruyan.demo",
            "Yohanes Dani",
            sry_dinas["dispendukcapil"],
            "officer",
            "Verifikator Dispendukcapil",
        ),
        (
            sry,
            "kadis.capil@seruyan.demo",
            "Drs. Suriansyah",
            sry_dinas["dispendukcapil"],
            "supervisor",
            "Kepala Dispendukcapil",
        ),
        (
            sry,
            "pengaduan@seruyan.demo",
            "Yuliana Sari",
            sry_dinas["diskominfo"],
            "coordinator",
            "Admin Koordinator SP4N-LAPOR!",
        ),
        (sry, "pupr@seruyan.demo", "Andi Saputra", sry_dinas["pupr"], "officer", "Pejabat Penghubung Dinas PUPR"),
        (sry, "admin@seruyan.demo", "Admin Diskominfo Seruyan", None, "admin", "Admin daerah"),
    ]
    for region, login, name, agency, role, title in staff:
        people[login] = _staff(actor, region, login, name, agency, role, title)
    for region in (bwi, sry):
        load_signers(region)
    people |= load_governance(
        make_user=lambda login, name: _user(login, name, totp=True),
        bwi=bwi,
        sry=sry,
        bwi_dinas=bwi_dinas,
        sry_dinas=sry_dinas,
    )
    load_versions()
    people |= load_news(bwi=bwi, sry=sry, password=DEMO_PASSWORD)
    load_prices(bwi, sry, password=DEMO_PASSWORD)
    innovation_demo.load_demo(actor=actor, role_model=bwi, adopter=sry, make_staff=_staff)
    load_tourism(bwi, sry, Actor(user=people["admin@banyuwangi.demo"], via="system"))
    people["admin@gerai.demo"] = _user("admin@gerai.demo", "Admin Platform Gerai", superuser=True)
    PlatformFlag.objects.update_or_create(name=DEMO_FLAG, defaults={"value": "1"})
    audit_record(actor=actor, action="platform.load_demo", changes={"accounts": len(people)})
    return people
