"""A Banyuwangi-sized regency's day and its peak hour, for the regions-per-server benchmark (issue #20).

This is the one place the profile lives: bench/regions.py turns it into the load script's weights, and
docs/performance.md ("Regions per server") prints the same table with its sources. Figures marked ASSUMPTION
are not in ../shared/reference; each says how it was reached, so a better source can replace it here."""

from dataclasses import dataclass

POPULATION = 1_700_000  # Banyuwangi, about 1.7 million residents (the figure; not in ../shared/reference)
#: ASSUMPTION: 0.35 applications per resident per year across civil registration (KK, KTP-el, akta, pindah:
#: Perpres 96/2018's services), village letters (Smart Kampung's 181 connected villages issue KK, KTP-el, akta,
#: SKCK cover letters and business letters: regulations.md §10) and licences; every one of them filed in Gerai,
#: online or at a counter.
APPLICATIONS_PER_RESIDENT_YEAR = 0.35
#: MPP Banyuwangi opens Monday to Saturday (regulations.md §9, detik.com 5911964): 312 days less about 17 public
#: holidays and cuti bersama (ASSUMPTION for the count of holidays).
SERVICE_DAYS_PER_YEAR = 295
#: ASSUMPTION: the busiest hour carries 20 % of a service day's human traffic. Counters open 08.00-15.00 (the
#: demo's MPP hours, 7 hours: 14 % each if even); the morning hour is taken at 1.4 times the mean.
PEAK_SHARE = 0.20


@dataclass(frozen=True)
class Kind:
    name: str
    per_day: int
    peak_share: float
    request: str
    source: str


APPLICATIONS_PER_DAY = int(round(POPULATION * APPLICATIONS_PER_RESIDENT_YEAR / SERVICE_DAYS_PER_YEAR, -2))  # 2,000

#: the day's requests by kind. `request` is what the load script sends (bench/lua/mixed.lua).
DAY = [
    Kind(
        "submission",
        APPLICATIONS_PER_DAY,
        PEAK_SHARE,
        "POST /api/v1/regions/R/services/surat-domisili/applications, multipart answers + one PDF, API token",
        "population x 0.35 / year / 295 service days (ASSUMPTION, see above)",
    ),
    Kind(
        "tracking API",
        int(APPLICATIONS_PER_DAY * 1.5),
        PEAK_SHARE,
        "GET /api/v1/regions/R/track/CODE",
        "ASSUMPTION: 3 look-ups per application while it runs (its 5-7 working days), half by the API (apps)",
    ),
    Kind(
        "tracking page",
        int(APPLICATIONS_PER_DAY * 1.5),
        PEAK_SHARE,
        "GET /R/lacak/?kode=CODE",
        "the other half of the 3 look-ups, on the web page",
    ),
    Kind(
        "public page",
        20_000,
        PEAK_SHARE,
        "GET a region's home, services, a service, transparency, complaints, news, agenda, prices (weights below)",
        "ASSUMPTION: 20,000 page views a day, about one resident in 85; anonymous, so the page cache applies",
    ),
    Kind(
        "officer queue",
        APPLICATIONS_PER_DAY * 5,
        PEAK_SHARE,
        "GET /R/kantor/ signed in (session cookie), an officer at Dispendukcapil",
        "ASSUMPTION: 5 queue views per application (about 2.5 steps, each a look at the queue before and after)",
    ),
    Kind(
        "complaint",
        100,
        PEAK_SHARE,
        "POST /api/v1/regions/R/reports (JSON, API token)",
        "ASSUMPTION: 100 complaints a day over all channels (112, Banyuwangi Melayani, Lapor Camat, LAPOR!: "
        "regulations.md §10 names them, not their volume)",
    ),
    Kind(
        "survey answer",
        int(APPLICATIONS_PER_DAY * 0.10),
        PEAK_SHARE,
        "POST /R/survei/TOKEN/ (the SKM form, nine answers, CSRF)",
        "ASSUMPTION: 10 % of completed applications answer the SKM survey (PermenPANRB 14/2017, regulations.md §1)",
    ),
    Kind(
        "Open311 poll",
        2 * 60 * 24,
        1 / 24,
        "GET /open311/v2/requests.json?jurisdiction_id=R (the last 90 days, first page)",
        "ASSUMPTION: 2 integrators (a LAPOR! bridge, a dashboard) poll every minute, all day: 1/24 an hour",
    ),
]

#: how the public page views spread over a region's pages (ASSUMPTION: the home page and the catalogue most)
PUBLIC_PAGES = {
    "": 30,
    "layanan/": 20,
    "layanan/surat-domisili/": 15,
    "transparansi/": 10,
    "pengaduan/": 10,
    "berita/": 7,
    "agenda/": 4,
    "harga/": 4,
}


def peak_hour() -> dict[str, int]:
    """Requests of each kind in one region's busiest hour."""
    return {kind.name: round(kind.per_day * kind.peak_share) for kind in DAY}


def per_region_rate() -> float:
    """One region's offered load in its busiest hour, requests per second."""
    return sum(peak_hour().values()) / 3600


#: the server a region runs on, for the cost per 1,000 transactions. ASSUMPTION (not in ../shared/reference):
#: an Indonesian cloud VM with 2 vCPU and 4 GB (Jakarta region) at about Rp 450,000 a month, 730 hours a month.
SERVER_RUPIAH_PER_MONTH = 450_000
HOURS_PER_MONTH = 730


def server_rupiah_per_hour() -> float:
    return SERVER_RUPIAH_PER_MONTH / HOURS_PER_MONTH


def rupiah_per_thousand(requests_per_second: float) -> float:
    """What 1,000 requests cost on one server carrying `requests_per_second` for the hour."""
    return server_rupiah_per_hour() / (requests_per_second * 3600) * 1000 if requests_per_second > 0 else 0.0


def table() -> str:
    """The profile as the Markdown table docs/performance.md carries."""
    peak = peak_hour()
    lines = ["| request | per day | peak share | peak hour | what is sent | source |", "|---|---:|---:|---:|---|---|"]
    for kind in DAY:
        lines.append(
            f"| {kind.name} | {kind.per_day:,} | {kind.peak_share:.0%} | {peak[kind.name]:,} | {kind.request} "
            f"| {kind.source} |"
        )
    total_day = sum(k.per_day for k in DAY)
    lines.append(f"| **all** | {total_day:,} | | {sum(peak.values()):,} ({per_region_rate():.2f}/s) | | |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
