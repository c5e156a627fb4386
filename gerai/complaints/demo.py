"""Demo complaint categories (each owned by an agency) for both regions, and a handful of reports handled
through the real services, so a newcomer finds published reports on the public list and in Open311."""

from decimal import Decimal
from typing import NamedTuple

from gerai.accounts.models import StaffRole, User
from gerai.complaints import services
from gerai.complaints.models import Category, Report
from gerai.core.actors import Actor
from gerai.regions.models import Area

CATEGORIES = [
    # code, name, description, group, agency slug, attributes
    (
        "jalan-rusak",
        "Jalan rusak",
        "Jalan berlubang, amblas atau rusak di jalan kabupaten.",
        "Infrastruktur",
        "pupr",
        [
            {
                "code": "tingkat",
                "description": "Seberapa parah?",
                "datatype": "singlevaluelist",
                "required": False,
                "values": [
                    {"key": "ringan", "name": "Ringan"},
                    {"key": "sedang", "name": "Sedang"},
                    {"key": "berat", "name": "Berat, berbahaya"},
                ],
            }
        ],
    ),
    ("lampu-jalan", "Lampu jalan mati", "Penerangan jalan umum yang padam atau rusak.", "Infrastruktur", "pupr", []),
    ("sampah", "Sampah dan kebersihan", "Sampah menumpuk, TPS penuh, pembuangan liar.", "Lingkungan", "dlh", []),
    (
        "pelayanan-adminduk",
        "Pelayanan adminduk",
        "KTP-el, KK, akta dan layanan kependudukan lainnya.",
        "Pelayanan",
        "dispendukcapil",
        [],
    ),
    (
        "layanan-kesehatan",
        "Layanan kesehatan",
        "Puskesmas, posyandu dan layanan kesehatan daerah.",
        "Pelayanan",
        "dinkes",
        [],
    ),
    ("perizinan", "Perizinan", "Pelayanan perizinan dan non-perizinan di DPMPTSP.", "Pelayanan", "dpmptsp", []),
]


def load_categories(region, agencies: dict) -> None:
    for order, (code, name, description, group, agency, attributes) in enumerate(CATEGORIES):
        Category.objects.create(
            region=region,
            code=code,
            name=name,
            description=description,
            group=group,
            keywords=name.lower(),
            agency=agencies[agency],
            attributes=attributes,
            order=order,
        )


class DemoReport(NamedTuple):
    category: str
    desa: str
    title: str
    description: str
    outcome: str  # forwarded | responded | resolved (verified, so published) | archive | not_authority
    answer: str = ""  # the agency's answer, or the coordinator's reason
    kind: str = Report.Kind.COMPLAINT
    address: str = ""
    point: tuple[str, str] | None = None


DEMO_REPORTS = {
    "banyuwangi": [
        DemoReport(
            "jalan-rusak",
            "35.10.15.2004",
            "Jalan berlubang di depan Balai Desa Kemiren",
            "Lubang selebar kira-kira satu meter di jalan depan Balai Desa Kemiren. Minggu ini sudah dua pengendara "
            "motor jatuh, terutama malam hari saat hujan.",
            "resolved",
            "Tim UPT Jalan sudah menambal lubang dengan aspal pada hari Selasa. Terima kasih atas laporannya.",
            address="Depan Balai Desa Kemiren",
            point=("-8.216200", "114.329600"),
        ),
        DemoReport(
            "lampu-jalan",
            "35.10.16.1002",
            "Tiga lampu jalan padam di Jl. Sobo Indah",
            "Tiga lampu penerangan jalan umum di Jl. Sobo Indah padam sejak awal bulan; jalannya gelap sekali.",
            "resolved",
            "Lampu sudah diganti petugas PJU tadi malam; ketiga titik menyala kembali.",
            point=("-8.213600", "114.359500"),
        ),
        DemoReport(
            "jalan-rusak",
            "35.10.15.2005",
            "Gorong-gorong ambles di jalan Olehsari",
            "Gorong-gorong di jalan desa Olehsari ambles, badan jalan retak dan air menggenang saat hujan.",
            "resolved",
            "Gorong-gorong sudah diganti dan badan jalan diperbaiki. Mohon kabari kami jika masih tergenang.",
        ),
        DemoReport(
            "sampah",
            "35.10.16.1001",
            "TPS Pakis penuh, sampah meluber ke jalan",
            "Sudah empat hari TPS di Kelurahan Pakis tidak diangkut; sampah meluber ke bahu jalan dan berbau.",
            "forwarded",
        ),
        DemoReport(
            "sampah",
            "35.10.16.1003",
            "Pembuangan sampah liar di tepi sungai Kebalenan",
            "Ada yang membuang sampah rumah tangga di tepi sungai dekat jembatan Kebalenan hampir setiap malam.",
            "forwarded",
        ),
        DemoReport(
            "layanan-kesehatan",
            "35.10.15.2004",
            "Antrean panjang di Puskesmas Glagah pagi hari",
            "Pendaftaran Puskesmas Glagah baru buka pukul 08.00, padahal warga sudah antre sejak subuh.",
            "responded",
            "Mulai pekan depan pendaftaran dibuka pukul 07.00 dan nomor antrean bisa diambil lewat WhatsApp.",
        ),
        DemoReport(
            "layanan-kesehatan",
            "35.10.15.2010",
            "Posyandu Tamansuruh kehabisan vitamin A",
            "Pada bulan vitamin A, posyandu di Tamansuruh kehabisan kapsul sehingga sebagian balita belum dapat.",
            "resolved",
            "Kapsul vitamin A sudah dikirim ke Puskesmas; posyandu susulan diadakan Sabtu ini.",
        ),
        DemoReport(
            "pelayanan-adminduk",
            "35.10.16.1002",
            "KTP-el belum jadi setelah tiga minggu",
            "Saya merekam KTP-el tiga minggu lalu di kecamatan, tetapi sampai sekarang belum bisa diambil.",
            "responded",
            "Blangko KTP-el sudah tersedia lagi; KTP-el yang tertunda dicetak bertahap pekan ini.",
        ),
        DemoReport(
            "pelayanan-adminduk",
            "35.10.15.1003",
            "Usul layanan akta kelahiran di kelurahan setiap Sabtu",
            "Banyak orang tua bekerja pada hari kerja. Usul: petugas akta kelahiran hadir di kelurahan setiap Sabtu.",
            "responded",
            "Terima kasih atas usulannya. Kami menjajaki layanan jemput bola di kelurahan dua Sabtu sekali.",
            kind=Report.Kind.ASPIRATION,
        ),
        DemoReport(
            "perizinan",
            "35.10.16.1004",
            "Syarat izin usaha mikro untuk warung",
            "Apa saja syarat mengurus izin usaha mikro untuk warung makan, dan apakah dipungut biaya?",
            "resolved",
            "Cukup NIB lewat OSS dengan KTP-el; tidak dipungut biaya. Petugas MPP siap membantu pendaftarannya.",
            kind=Report.Kind.INFORMATION,
        ),
        DemoReport(
            "jalan-rusak",
            "35.10.15.2006",
            "Jalan nasional Banyuwangi-Situbondo bergelombang",
            "Aspal jalan nasional ke arah Situbondo bergelombang di beberapa titik.",
            "not_authority",
            "Jalan nasional menjadi kewenangan BBPJN Jawa Timur-Bali; laporan Anda kami teruskan ke sana.",
        ),
        DemoReport(
            "perizinan",
            "35.10.16.1005",
            "Tawaran pinjaman cepat",
            "Pinjaman cepat tanpa jaminan, hubungi nomor ini.",
            "archive",
            "Bukan pengaduan layanan publik.",
        ),
    ],
    "seruyan": [
        DemoReport(
            "jalan-rusak",
            "62.07.01.1001",
            "Jalan Tjilik Riwut berlubang dekat pasar",
            "Beberapa lubang di Jalan Tjilik Riwut dekat pasar Kuala Pembuang membahayakan pengendara.",
            "resolved",
            "Lubang sudah ditambal oleh tim pemeliharaan jalan Dinas PUPR.",
        ),
        DemoReport(
            "lampu-jalan",
            "62.07.01.1002",
            "Lampu jalan menuju dermaga padam",
            "Lampu jalan menuju dermaga Kuala Pembuang II padam, padahal jalan itu ramai pada malam hari.",
            "resolved",
            "Kabel lampu yang putus sudah disambung; lampu menyala kembali.",
        ),
        DemoReport(
            "sampah",
            "62.07.01.2005",
            "Sampah menumpuk di tepi Sungai Seruyan",
            "Sampah plastik menumpuk di tepi Sungai Seruyan dekat Pematang Limau setelah air surut.",
            "forwarded",
        ),
        DemoReport(
            "pelayanan-adminduk",
            "62.07.01.1001",
            "Antrean kartu keluarga di Dispendukcapil",
            "Mengurus perubahan kartu keluarga harus datang dua kali karena antrean habis sebelum siang.",
            "responded",
            "Kami menambah satu loket kartu keluarga dan membuka pendaftaran antrean sejak pukul 07.30.",
        ),
        DemoReport(
            "layanan-kesehatan",
            "62.07.01.2006",
            "Pustu Sungai Perlu sering tutup",
            "Puskesmas pembantu di Sungai Perlu sering tutup pada hari kerja sehingga warga harus ke kota.",
            "forwarded",
        ),
    ],
}


def demo_reports(region) -> dict:
    """File the region's demo reports and handle them as its coordinator and agencies would, through the
    services (timeline, audit, counters): most verified and published, some answered or settled, one or two
    declined. Anonymous, so nobody is named; does nothing if done before."""

    specs = DEMO_REPORTS.get(region.slug, [])
    if not specs or Report.objects.filter(region=region, client_key__startswith="demo:").exists():
        return {}
    coordinator = Actor(user=User.objects.get(login=f"pengaduan@{region.slug}.demo"))
    counts: dict[str, int] = {}
    for number, spec in enumerate(specs):
        report = services.report_file(
            actor=Actor.system(),
            region=region,
            category=Category.objects.get(region=region, code=spec.category),
            kind=spec.kind,
            title=spec.title,
            description=spec.description,
            desa=Area.objects.get(region=region, code=spec.desa),
            address=spec.address,
            lat=Decimal(spec.point[0]) if spec.point else None,
            long=Decimal(spec.point[1]) if spec.point else None,
            anonymous=True,
            client_key=f"demo:{number}",
        )
        if spec.outcome in ("archive", "not_authority"):
            services.report_decline(actor=coordinator, report=report, how=spec.outcome, reason=spec.answer)
        else:
            services.report_verify(actor=coordinator, report=report)
            officer = StaffRole.objects.filter(
                region=region, agency=report.agency, role__in=[StaffRole.Role.OFFICER, StaffRole.Role.SUPERVISOR]
            ).first()
            if spec.outcome in ("responded", "resolved") and officer is not None:
                services.report_respond(
                    actor=Actor(user=officer.user),
                    report=report,
                    text=spec.answer,
                    settled=spec.outcome == "resolved",
                )
        counts[report.status] = counts.get(report.status, 0) + 1
    return counts
