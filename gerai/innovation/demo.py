"""Demo innovation library: Banyuwangi's real programmes (facts: docs/reference regulations.md §10; every cost is
ILLUSTRATIVE, made up for the demo and labelled so), and Seruyan as the adopter: a planner, three adopted
candidates and a first roadmap version under a budget for 2027–2029."""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from gerai.catalog.models import Service
from gerai.innovation import services
from gerai.innovation.models import Innovation
from gerai.innovation.solving import region_body, solve_body
from gerai.regions.models import Agency

ILLUSTRATIVE = "Ilustrasi demo, bukan angka anggaran sebenarnya"

PDF = (  # a real one-page PDF (as pypdf writes it): evidence is parsed and refused when it is not passive
    b"%PDF-1.3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 obj\n<<\n/Type /Pages\n/Count 1\n/Kids [ 4 0 R ]\n>>\n"
    b"endobj\n3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n4 0 obj\n<<\n/Type /Page\n/Resources <<\n>>\n"
    b"/MediaBox [ 0.0 0.0 595 842 ]\n/Parent 2 0 R\n>>\nendobj\nxref\n0 5\n0000000000 65535 f \n0000000009 00000 n \n"
    b"0000000048 00000 n \n0000000107 00000 n \n0000000156 00000 n \ntrailer\n<<\n/Size 5\n/Root 3 0 R\n"
    b"/Info 1 0 R\n>>\nstartxref\n250\n%%EOF\n"
)

SERVICE = Innovation.Form.PUBLIC_SERVICE
OTHER = Innovation.Form.OTHER

BANYUWANGI: list[dict[str, Any]] = [
    {
        "name": "Smart Kampung",
        "form": SERVICE,
        "affair": "Administrasi kependudukan; pemberdayaan desa",
        "is_digital": True,
        "started_on": dt.date(2016, 5, 1),
        "problem": "Warga desa harus menempuh jarak jauh ke kota kabupaten untuk mengurus dokumen kependudukan "
        "dan surat.",
        "approach": "Balai desa tersambung serat optik menerbitkan KK, KTP-el, akta, pengantar SKCK, SPM dan surat "
        "usaha; penganggaran desa elektronik; anjungan layanan mandiri.",
        "benefit": "181 desa tersambung pada 2019; layanan dasar dekat dengan warga.",
        "indicators": ["online", "sla"],
        "goal_scores": {"ikm": 8, "spbe": 9, "poverty": 5, "pad": 1, "health": 2, "economy": 4},
        "capex_rupiah": 1_800_000_000,
        "opex_rupiah": 600_000_000,
        "staff_needed": 6,
        "infrastructure": "Jaringan serat optik ke balai desa",
        "services": ["surat-domisili", "pengantar-skck", "kartu-keluarga"],
    },
    {
        "name": "Bayi Lahir Langsung Dapat Akta",
        "form": SERVICE,
        "affair": "Administrasi kependudukan",
        "is_digital": False,
        "started_on": None,
        "problem": "Akta kelahiran terlambat diurus; bayi belum tercatat di KK.",
        "approach": "Akta kelahiran diterbitkan gratis di tempat lahir (45 puskesmas dan rumah sakit mitra) dan bayi "
        "langsung dimasukkan ke KK.",
        "benefit": "Cakupan akta kelahiran bayi naik; orang tua tidak perlu ke Dispendukcapil.",
        "indicators": ["sla", "ikm"],
        "goal_scores": {"ikm": 9, "spbe": 3, "poverty": 4, "pad": 0, "health": 5, "economy": 0},
        "capex_rupiah": 350_000_000,
        "opex_rupiah": 150_000_000,
        "staff_needed": 3,
        "infrastructure": "Puskesmas dan rumah sakit mitra tersambung ke SIAK",
        "services": ["akta-kelahiran"],
    },
    {
        "name": "Mal Pelayanan Publik",
        "form": SERVICE,
        "affair": "Pelayanan terpadu",
        "is_digital": False,
        "started_on": dt.date(2017, 10, 6),
        "problem": "Layanan tersebar di banyak kantor; warga berpindah-pindah untuk satu urusan.",
        "approach": "Satu gedung untuk layanan banyak instansi: 80 layanan saat dibuka, 233 layanan dari 24 instansi "
        "pada 2022, sekitar 370 pada Januari 2026. MPP pertama di Indonesia.",
        "benefit": "Satu tempat, satu antrean, standar waktu yang sama.",
        "indicators": ["ikm", "sla"],
        "goal_scores": {"ikm": 9, "spbe": 4, "poverty": 2, "pad": 5, "health": 1, "economy": 6},
        "capex_rupiah": 4_500_000_000,
        "opex_rupiah": 900_000_000,
        "staff_needed": 12,
        "infrastructure": "Gedung dan loket bersama",
        "services": ["izin-keramaian", "surat-keterangan-usaha"],
    },
    {
        "name": "Banyuwangi Festival",
        "form": OTHER,
        "affair": "Pariwisata",
        "is_digital": False,
        "started_on": dt.date(2012, 1, 1),
        "problem": "Daerah kurang dikenal; ekonomi lokal bergantung pada sedikit sektor.",
        "approach": "Kalender acara tahunan (79 acara pada 2024, lebih dari 80 pada 2025), termasuk Festival "
        "Pelayanan Publik.",
        "benefit": "Kunjungan wisata dan perputaran ekonomi lokal.",
        "indicators": [],
        "goal_scores": {"ikm": 2, "spbe": 1, "poverty": 4, "pad": 8, "health": 0, "economy": 9},
        "capex_rupiah": 800_000_000,
        "opex_rupiah": 1_200_000_000,
        "staff_needed": 8,
        "infrastructure": "",
        "services": [],
    },
    {
        "name": "Banyuwangi Melayani",
        "form": SERVICE,
        "affair": "Pengaduan dan informasi",
        "is_digital": True,
        "started_on": dt.date(2025, 6, 1),
        "problem": "Warga tidak tahu harus menghubungi siapa di tiap perangkat daerah.",
        "approach": "Kontak WhatsApp resmi untuk setiap OPD.",
        "benefit": "Pertanyaan dan aduan dijawab langsung oleh OPD yang berwenang.",
        "indicators": ["complaints", "ikm"],
        "goal_scores": {"ikm": 7, "spbe": 6, "poverty": 1, "pad": 0, "health": 1, "economy": 1},
        "capex_rupiah": 120_000_000,
        "opex_rupiah": 90_000_000,
        "staff_needed": 4,
        "infrastructure": "Nomor WhatsApp resmi per OPD",
        "services": [],
    },
    {
        "name": "Lapor Camat",
        "form": SERVICE,
        "affair": "Pengaduan",
        "is_digital": True,
        "started_on": dt.date(2026, 2, 1),
        "problem": "Aduan di tingkat kecamatan lambat ditanggapi.",
        "approach": "Jalur WhatsApp camat dengan tanggapan pertama paling lambat 2 jam.",
        "benefit": "Tanggapan cepat di dekat warga.",
        "indicators": ["complaints"],
        "goal_scores": {"ikm": 6, "spbe": 4, "poverty": 1, "pad": 0, "health": 0, "economy": 0},
        "capex_rupiah": 60_000_000,
        "opex_rupiah": 70_000_000,
        "staff_needed": 2,
        "infrastructure": "",
        "services": [],
        "requires": ["Banyuwangi Melayani"],
    },
    {
        "name": "I-Care (rujukan stroke)",
        "form": OTHER,
        "affair": "Kesehatan",
        "is_digital": True,
        "started_on": None,
        "problem": "Pasien stroke terlambat dirujuk.",
        "approach": "Rujukan stroke lewat aplikasi Smart Kampung.",
        "benefit": "Waktu rujukan lebih singkat.",
        "indicators": [],
        "goal_scores": {"ikm": 3, "spbe": 4, "poverty": 2, "pad": 0, "health": 9, "economy": 0},
        "capex_rupiah": 250_000_000,
        "opex_rupiah": 100_000_000,
        "staff_needed": 2,
        "infrastructure": "",
        "services": [],
        "requires": ["Smart Kampung"],
    },
]

SERUYAN_ADOPTS = {  # name → Seruyan's own first estimate (illustrative), smaller scale, fewer villages
    "Smart Kampung": (1_200_000_000, 400_000_000),
    "Bayi Lahir Langsung Dapat Akta": (200_000_000, 90_000_000),
    "Mal Pelayanan Publik": (2_500_000_000, 500_000_000),
}


def _library(actor, region) -> dict[str, Innovation]:
    made: dict[str, Innovation] = {}
    catalog = {s.slug: s for s in Service.objects.filter(region=region)}
    for spec in BANYUWANGI:
        data = {k: v for k, v in spec.items() if k not in ("services", "requires")}
        data |= {"stage": Innovation.Stage.APPLIED, "cost_source": ILLUSTRATIVE, "is_published": True}
        made[spec["name"]] = services.innovation_create(
            actor=actor,
            region=region,
            kind=Innovation.Kind.OWN,
            data=data,
            services=[catalog[s] for s in spec["services"] if s in catalog],
            prerequisites=[made[r] for r in spec.get("requires", [])],
        )
    for indicator, name in (("sid_regulasi", "Smart Kampung"), ("sid_video", "Smart Kampung")):
        services.evidence_add(
            actor=actor,
            region=region,
            innovation=made[name],
            indicator=indicator,
            level=3,
            title=f"Bukti {indicator} (demo)",
            upload=SimpleUploadedFile("bukti.pdf", PDF, "application/pdf"),
        )
    services.evidence_add(
        actor=actor,
        region=region,
        innovation=None,
        indicator="spd_regulasi",
        level=3,
        title="Perbup tentang inovasi daerah (demo)",
        upload=SimpleUploadedFile("perbup.pdf", PDF, "application/pdf"),
    )
    return made


def load_demo(*, actor, role_model, adopter, make_staff=None) -> None:
    """Banyuwangi's library; Seruyan's planner, three adopted candidates and a first plan version."""
    library = _library(actor, role_model)
    if make_staff is not None:
        office = Agency.objects.get(region=adopter, slug="diskominfo")
        make_staff(actor, adopter, "perencana@seruyan.demo", "Nurul Hidayah", office, "planner", "Perencana Seruyan")
    candidates = []
    for name, (capex, opex) in SERUYAN_ADOPTS.items():
        candidate = services.innovation_adopt(actor=actor, source=library[name], region=adopter)
        services.innovation_update(
            actor=actor,
            innovation=candidate,
            data={"capex_rupiah": capex, "opex_rupiah": opex, "cost_source": ILLUSTRATIVE + " (Seruyan)"},
        )
        candidates.append(candidate)
    years = [2027, 2028, 2029]
    budget = {2027: 1_800_000_000, 2028: 2_600_000_000, 2029: 3_000_000_000}
    weights = {"ikm": 3, "spbe": 2, "poverty": 3, "pad": 1, "health": 2, "economy": 1}
    body = region_body(
        list(
            Innovation.objects.filter(pk__in=[c.pk for c in candidates]).prefetch_related("prerequisites", "excludes")
        ),
        years=years,
        budget=budget,
        staff=None,
        weights=weights,
    )
    services.plan_save(
        actor=actor,
        region=adopter,
        inputs=body | {"weights": weights},
        result=solve_body(body),
        title="Rencana awal (demo)",
    )
