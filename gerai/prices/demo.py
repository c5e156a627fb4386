"""Demo food prices: Banyuwangi (the role model) with four traditional markets and one modern one, the standard
commodity list, the reference prices as reported (regulations.md §8; regulation numbers unverified, and the
sources say so), a TPID member and an enumerator, and six weeks of plausible prices entered and published
through the services (so the rollups and alerts are real); Seruyan (the adopter) with two markets."""

import datetime as dt
import random
from decimal import Decimal

import pyotp

from gerai.accounts.models import StaffRole, User
from gerai.accounts.services import staff_role_grant
from gerai.core.actors import Actor
from gerai.prices import services
from gerai.regions.models import Agency, Area

#: code, name, unit, a plausible Banyuwangi price (Rp) in late 2026
COMMODITIES = [
    ("beras-medium", "Beras medium", "kg", 12_800),
    ("beras-premium", "Beras premium", "kg", 14_600),
    ("cabai-merah-keriting", "Cabai merah keriting", "kg", 38_000),
    ("cabai-rawit-merah", "Cabai rawit merah", "kg", 45_000),
    ("bawang-merah", "Bawang merah", "kg", 34_000),
    ("bawang-putih", "Bawang putih", "kg", 36_000),
    ("daging-ayam-ras", "Daging ayam ras", "kg", 36_500),
    ("telur-ayam-ras", "Telur ayam ras", "kg", 27_500),
    ("daging-sapi", "Daging sapi", "kg", 130_000),
    ("gula-pasir", "Gula pasir", "kg", 17_000),
    ("minyak-goreng-kemasan", "Minyak goreng kemasan", "liter", 19_500),
    ("minyakita", "Minyakita", "liter", 15_700),
]

_UNVERIFIED = "nomor peraturan belum diverifikasi"
#: commodity, kind, {zone: price}, from, source (as reported; see regulations.md §8)
REFERENCES = [
    (
        "beras-medium",
        "het",
        {1: 12_500, 2: 13_100, 3: 13_500},
        "2024-01-01",
        f"HET beras Bapanas ({_UNVERIFIED}); bloombergtechnoz.com 80414",
    ),
    (
        "beras-premium",
        "het",
        {1: 14_900, 3: 15_800},
        "2024-01-01",
        f"HET beras Bapanas ({_UNVERIFIED}); bloombergtechnoz.com 80414",
    ),
    (
        "minyakita",
        "het",
        {1: 15_700, 2: 15_700, 3: 15_700},
        "2024-07-01",
        f"HET Minyakita Kemendag ({_UNVERIFIED}); bloombergtechnoz.com 75092",
    ),
    (
        "bawang-merah",
        "hap",
        {1: 41_500, 2: 41_500},
        "2024-01-01",
        f"HAP konsumen Bapanas ({_UNVERIFIED}); ekonomi.bisnis.com 2023-05-28",
    ),
    (
        "cabai-rawit-merah",
        "hap",
        {1: 57_000, 2: 57_000},
        "2024-01-01",
        f"HAP konsumen Bapanas ({_UNVERIFIED}); ekonomi.bisnis.com 2023-05-28",
    ),
    (
        "cabai-merah-keriting",
        "hap",
        {1: 55_000, 2: 55_000},
        "2024-01-01",
        f"HAP konsumen Bapanas ({_UNVERIFIED}); ekonomi.bisnis.com 2023-05-28",
    ),
    (
        "daging-ayam-ras",
        "hap",
        {1: 40_000, 2: 40_000},
        "2024-01-01",
        f"HAP konsumen Bapanas ({_UNVERIFIED}); disway.id",
    ),
    ("telur-ayam-ras", "hap", {1: 27_000, 2: 27_000}, "2022-06-01", "Perbadan 5/2022 (HAP telur konsumen)"),
    (
        "telur-ayam-ras",
        "hap",
        {1: 30_000, 2: 30_000},
        "2024-01-01",
        f"HAP telur Bapanas ({_UNVERIFIED}); beritabandungraya.com",
    ),
    ("daging-sapi", "hap", {1: 140_000, 2: 140_000}, "2024-01-01", f"HAP konsumen Bapanas ({_UNVERIFIED}); disway.id"),
    (
        "gula-pasir",
        "hap",
        {1: 17_500, 2: 17_500},
        "2024-01-01",
        f"HAP gula konsumsi Bapanas ({_UNVERIFIED}); disway.id",
    ),
]

#: code, name, kind, kecamatan code, desa code, latitude, longitude, price level against the region's mean
BWI_MARKETS = [
    ("pasar-banyuwangi", "Pasar Banyuwangi", "tradisional", "35.10.16", "35.10.16.1008", "-8.2137", "114.3694", 1.0),
    ("pasar-rogojampi", "Pasar Rogojampi", "tradisional", "35.10.13", "35.10.13.2013", "-8.3117", "114.2886", 0.97),
    ("pasar-genteng", "Pasar Genteng", "tradisional", "35.10.09", "35.10.09.2002", "-8.3652", "114.1527", 0.96),
    ("pasar-srono", "Pasar Srono", "tradisional", "35.10.08", "", "-8.3905", "114.2650", 0.98),
    ("swalayan-banyuwangi", "Swalayan (sampel) Kota Banyuwangi", "modern", "35.10.16", "", "-8.2190", "114.3660", 1.06),
]
SRY_MARKETS = [
    (
        "pasar-kuala-pembuang",
        "Pasar Kuala Pembuang",
        "tradisional",
        "62.07.01",
        "62.07.01.1001",
        "-3.3930",
        "112.5490",
        1.12,
    ),
    ("pasar-sembuluh", "Pasar Sembuluh", "tradisional", "62.07.03", "", "-2.6500", "112.3700", 1.18),
]
WEEKS = 6


def _user(login: str, name: str, password: str) -> User:
    user = User.objects.create_user(login, password, email=login, full_name=name, is_demo=True)
    user.email_confirmed_at = user.date_joined
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed_at = user.date_joined
    user.save()
    return user


def _area(code: str) -> Area | None:
    return Area.objects.filter(code=code).first() if code else None


def _region_setup(actor, region, markets, zone: int) -> list:
    services.thresholds_set(
        actor=actor, region=region, zone=zone, waspada=Decimal(8), siaga=Decimal(12), kritis=Decimal(20)
    )
    commodities = {
        code: services.commodity_create(actor=actor, region=region, code=code, name=name, unit=unit, order=i)
        for i, (code, name, unit, _price) in enumerate(COMMODITIES)
    }
    for code, kind, zones, start, source in REFERENCES:
        if zone in zones:
            services.reference_add(
                actor=actor,
                commodity=commodities[code],
                zone=zone,
                kind=kind,
                price=zones[zone],
                valid_from=dt.date.fromisoformat(start),
                source=source,
            )
    out = []
    for code, name, kind, kecamatan, desa, lat, lon, level in markets:
        market = services.market_create(
            actor=actor,
            region=region,
            code=code,
            name=name,
            kind=kind,
            kecamatan=_area(kecamatan),
            desa=_area(desa),
            latitude=Decimal(lat),
            longitude=Decimal(lon),
        )
        out.append((market, level))
    return out


def _prices(markets, weeks: int, enumerator: Actor, tpid: Actor, seed: int) -> None:
    """A weekly price per market for `weeks` weeks up to yesterday, entered and published through the services; the
    chillies climb in the last weeks (a Waspada and a Siaga to show), the rest wander within a few percent."""
    rng = random.Random(seed)  # noqa: S311 - plausible demo figures, not secrets
    today = services.region_today(markets[0][0].region)
    for k in range(weeks - 1, -1, -1):
        day = today - dt.timedelta(weeks=k, days=1)  # today is left for the enumerators (and the journey)
        for market, level in markets:
            raw = {}
            for code, _name, _unit, base in COMMODITIES:
                drift = 1 + rng.uniform(-0.02, 0.02)
                if code.startswith("cabai") and k < 2:
                    drift *= 1.10 if k == 1 else 1.24  # +10 %, then +13 % more
                raw[code] = f"{round(base * level * drift, -2):,.0f}".replace(",", ".")
            services.sheet_save(actor=enumerator, market=market, day=day, raw=raw, confirmed=set(raw), submit=True)
            services.sheet_publish(actor=tpid, sheet=market.sheets.get(day=day), notify=False)  # past weeks


def load_demo(bwi, sry, *, password: str) -> None:
    actor = Actor.system()
    staff = {}
    for region, slug, agency_name, short, people in (
        (
            bwi,
            "diskopumdag",
            "Dinas Koperasi, Usaha Mikro dan Perdagangan",
            "Diskopumdag",
            [
                ("enumerator@banyuwangi.demo", "Sri Wahyuni", StaffRole.Role.ENUMERATOR, "Enumerator harga pasar"),
                ("tpid@banyuwangi.demo", "Ir. Taufik Hidayat", StaffRole.Role.TPID, "Sekretariat TPID Banyuwangi"),
            ],
        ),
        (
            sry,
            "disperindag",
            "Dinas Perindustrian dan Perdagangan",
            "Disperindag",
            [
                ("enumerator@seruyan.demo", "Nurhayati", StaffRole.Role.ENUMERATOR, "Enumerator harga pasar"),
                ("tpid@seruyan.demo", "Muhammad Arif", StaffRole.Role.TPID, "Sekretariat TPID Seruyan"),
            ],
        ),
    ):
        agency = Agency.objects.create(
            region=region, slug=slug, name=agency_name, short_name=short, kind=Agency.Kind.DINAS
        )
        for login, name, role, title in people:
            staff[login] = _user(login, name, password)
            staff_role_grant(actor=actor, user=staff[login], region=region, role=role, agency=agency, title=title)
    bwi_markets = _region_setup(actor, bwi, BWI_MARKETS, zone=1)
    sry_markets = _region_setup(actor, sry, SRY_MARKETS, zone=2)
    as_actor = {login: Actor(user=user, ip=None, via="system") for login, user in staff.items()}
    _prices(bwi_markets, WEEKS, as_actor["enumerator@banyuwangi.demo"], as_actor["tpid@banyuwangi.demo"], seed=35_10)
    _prices(sry_markets, 3, as_actor["enumerator@seruyan.demo"], as_actor["tpid@seruyan.demo"], seed=62_07)
