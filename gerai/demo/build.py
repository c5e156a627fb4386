"""The demo platform: Banyuwangi (role model) and Seruyan (adopter) with real Kemendagri codes,
their agencies, a catalog of real services and an account for every role. Loaded only by
`manage.py load_demo`; demo accounts and the relaxed sign-in exist only when it has run."""

import datetime as dt

import pyotp
from django.db import transaction

from gerai.accounts.models import CitizenProfile, User
from gerai.accounts.services import staff_role_grant
from gerai.audit.services import audit_record
from gerai.catalog.models import DocumentRequirement, FormField, Service, WorkflowStep
from gerai.catalog.services import service_copy
from gerai.complaints.demo import load_categories
from gerai.core.actors import Actor
from gerai.core.models import DEMO_FLAG, PlatformFlag
from gerai.documents.demo import load_signers, load_templates
from gerai.lib.nik import compose
from gerai.regions.models import Agency, Area, Region, ServicePoint
from gerai.regions.services import region_create, region_import_areas

DEMO_PASSWORD = "gerai-demo-2026"  # noqa: S105 - published demo password, demo data only

STANDARD = {
    "std_procedure": "1. Ajukan permohonan secara daring atau di loket desa/kecamatan/MPP.\n"
    "2. Petugas memverifikasi berkas; bila ada kekurangan pemohon diminta memperbaiki.\n"
    "3. Dokumen diterbitkan dan dapat diunduh atau diambil di loket.",
    "std_product": "",
    "std_complaints": "Pengaduan melalui Call Center 112, WhatsApp OPD, kanal SP4N-LAPOR!, atau kotak saran di loket.",
    "std_legal_basis": "UU 23/2006 jo. UU 24/2013 tentang Administrasi Kependudukan; Perpres 96/2018; "
    "Permendagri 108/2019.",
    "std_facilities": "Loket pelayanan, ruang tunggu, kursi roda dan jalur landai, toilet ramah difabel, "
    "layanan daring 24 jam.",
    "std_competence": "Petugas berpendidikan minimal SMA/sederajat dan telah mengikuti bimbingan teknis pelayanan.",
    "std_supervision": "Pengawasan oleh atasan langsung dan Inspektorat Daerah; survei kepuasan masyarakat berkala.",
    "std_staff_count": "Sesuai formasi OPD; sedikitnya 2 petugas loket dan 1 verifikator per hari kerja.",
    "std_guarantee": "Pelayanan sesuai standar ini, tidak dipungut biaya di luar ketentuan (Maklumat Pelayanan).",
    "std_security": "Data pribadi dijaga kerahasiaannya; dokumen hanya dibuka pemohon dan petugas yang menangani.",
    "std_evaluation": "Evaluasi kinerja petugas setiap triwulan berdasarkan capaian waktu layanan dan IKM.",
}

PHONE = (
    "telepon",
    "Nomor HP yang bisa dihubungi",
    "phone",
    True,
    "Untuk konfirmasi bila ada kekurangan berkas.",
)
DESA = ("desa", "Desa/kelurahan tempat tinggal", "desa", True, "")
IMG_PDF = ["pdf", "jpg", "png"]

# (slug, name, summary, category, agency, fee, sla, output, pages, documents, steps)
# pages: [(page title, [(key, label, kind, required, help, choices?)])]
# documents: [(key, label, types, required, help)]
# steps: [(name, routing, agency or None, role, action)]
BANYUWANGI_SERVICES = [
    (
        "akta-kelahiran",
        "Akta Kelahiran",
        "Pencatatan kelahiran dan penerbitan akta kelahiran anak.",
        "kependudukan",
        "dispendukcapil",
        0,
        3,
        "Kutipan Akta Kelahiran dan KK baru",
        [
            (
                "Data anak",
                [
                    ("nama_anak", "Nama lengkap anak", "text", True, "Sesuai surat keterangan lahir."),
                    ("tanggal_lahir", "Tanggal lahir anak", "date", True, ""),
                    (
                        "jenis_kelamin",
                        "Jenis kelamin anak",
                        "choice",
                        True,
                        "",
                        [["L", "Laki-laki"], ["P", "Perempuan"]],
                    ),
                    (
                        "tempat_lahir",
                        "Tempat persalinan",
                        "choice",
                        True,
                        "",
                        [
                            ["rs", "Rumah sakit"],
                            ["puskesmas", "Puskesmas"],
                            ["rumah", "Rumah"],
                            ["lain", "Lainnya"],
                        ],
                    ),
                ],
            ),
            (
                "Data orang tua",
                [
                    ("nik_ibu", "NIK ibu", "nik", True, "16 digit, tertera di KTP atau KK."),
                    ("nama_ibu", "Nama lengkap ibu", "text", True, ""),
                    ("nik_ayah", "NIK ayah", "nik", False, ""),
                    ("nama_ayah", "Nama lengkap ayah", "text", False, ""),
                ],
            ),
            ("Alamat dan kontak", [DESA, PHONE]),
        ],
        [
            ("surat_lahir", "Surat keterangan lahir dari bidan/puskesmas/rumah sakit", IMG_PDF, True, ""),
            ("kartu_keluarga", "Kartu Keluarga orang tua", IMG_PDF, True, ""),
            ("buku_nikah", "Buku nikah/akta perkawinan orang tua", IMG_PDF, False, "Bila ada."),
        ],
        [
            ("Verifikasi desa/kelurahan", "desa", None, "officer", "verify"),
            ("Verifikasi dan penerbitan Dispendukcapil", "fixed", "dispendukcapil", "officer", "approve"),
        ],
    ),
    (
        "kartu-keluarga",
        "Kartu Keluarga",
        "Penerbitan KK baru atau perubahan data anggota keluarga.",
        "kependudukan",
        "dispendukcapil",
        0,
        3,
        "Kartu Keluarga",
        [
            (
                "Permohonan",
                [
                    (
                        "alasan",
                        "Alasan permohonan",
                        "choice",
                        True,
                        "",
                        [
                            ["baru", "Membentuk keluarga baru"],
                            ["tambah", "Menambah anggota"],
                            ["kurang", "Mengurangi anggota"],
                            ["hilang", "KK hilang/rusak"],
                            ["ubah", "Perubahan data"],
                        ],
                    ),
                    ("keterangan", "Keterangan tambahan", "long_text", False, ""),
                ],
            ),
            ("Alamat dan kontak", [DESA, PHONE]),
        ],
        [
            ("kk_lama", "Kartu Keluarga lama", IMG_PDF, False, "Kecuali untuk keluarga baru."),
            ("dokumen_dasar", "Dokumen dasar perubahan (akta/buku nikah/surat pindah)", IMG_PDF, True, ""),
        ],
        [
            ("Verifikasi desa/kelurahan", "desa", None, "officer", "verify"),
            ("Penerbitan Dispendukcapil", "fixed", "dispendukcapil", "officer", "approve"),
        ],
    ),
    (
        "ktp-el",
        "KTP-el",
        "Perekaman, cetak ulang atau perubahan data KTP elektronik.",
        "kependudukan",
        "dispendukcapil",
        0,
        3,
        "KTP-el",
        [
            (
                "Permohonan",
                [
                    (
                        "alasan",
                        "Keperluan",
                        "choice",
                        True,
                        "",
                        [
                            ["rekam", "Perekaman baru (usia 17 tahun)"],
                            ["hilang", "Cetak ulang karena hilang"],
                            ["rusak", "Cetak ulang karena rusak"],
                            ["ubah", "Perubahan data"],
                        ],
                    )
                ],
            ),
            ("Alamat dan kontak", [DESA, PHONE]),
        ],
        [
            ("kartu_keluarga", "Kartu Keluarga", IMG_PDF, True, ""),
            (
                "surat_kehilangan",
                "Surat keterangan kehilangan dari kepolisian",
                IMG_PDF,
                False,
                "Hanya bila KTP hilang.",
            ),
        ],
        [
            ("Verifikasi kecamatan", "kecamatan", None, "officer", "verify"),
            ("Pencetakan Dispendukcapil", "fixed", "dispendukcapil", "officer", "approve"),
        ],
    ),
    (
        "akta-kematian",
        "Akta Kematian",
        "Pencatatan kematian penduduk dan penerbitan akta kematian.",
        "kependudukan",
        "dispendukcapil",
        0,
        3,
        "Kutipan Akta Kematian",
        [
            (
                "Data almarhum/almarhumah",
                [
                    ("nama_almarhum", "Nama lengkap", "text", True, ""),
                    ("nik_almarhum", "NIK", "nik", True, ""),
                    ("tanggal_meninggal", "Tanggal meninggal", "date", True, ""),
                    (
                        "hubungan",
                        "Hubungan pelapor",
                        "choice",
                        True,
                        "",
                        [["keluarga", "Keluarga"], ["tetangga", "Tetangga"], ["lain", "Lainnya"]],
                    ),
                ],
            ),
            ("Alamat dan kontak", [DESA, PHONE]),
        ],
        [
            ("surat_kematian", "Surat keterangan kematian dari desa/rumah sakit", IMG_PDF, True, ""),
            ("kartu_keluarga", "Kartu Keluarga almarhum", IMG_PDF, True, ""),
        ],
        [
            ("Verifikasi desa/kelurahan", "desa", None, "officer", "verify"),
            ("Penerbitan Dispendukcapil", "fixed", "dispendukcapil", "officer", "approve"),
        ],
    ),
    (
        "surat-pindah",
        "Surat Keterangan Pindah",
        "Surat pindah WNI ke luar kabupaten (SKPWNI).",
        "kependudukan",
        "dispendukcapil",
        0,
        2,
        "SKPWNI",
        [
            (
                "Tujuan",
                [
                    (
                        "alamat_tujuan",
                        "Alamat tujuan lengkap",
                        "long_text",
                        True,
                        "Jalan, RT/RW, desa, kecamatan, kabupaten, provinsi.",
                    ),
                    (
                        "alasan",
                        "Alasan pindah",
                        "choice",
                        True,
                        "",
                        [
                            ["kerja", "Pekerjaan"],
                            ["pendidikan", "Pendidikan"],
                            ["keluarga", "Keluarga"],
                            ["lain", "Lainnya"],
                        ],
                    ),
                    ("jumlah", "Jumlah anggota keluarga yang pindah", "number", True, "", None, 1, 20),
                ],
            ),
            ("Alamat dan kontak", [DESA, PHONE]),
        ],
        [("kartu_keluarga", "Kartu Keluarga", IMG_PDF, True, "")],
        [("Penerbitan Dispendukcapil", "fixed", "dispendukcapil", "officer", "approve")],
    ),
    (
        "kia",
        "Kartu Identitas Anak (KIA)",
        "Kartu identitas untuk anak di bawah 17 tahun.",
        "kependudukan",
        "dispendukcapil",
        0,
        3,
        "KIA",
        [
            (
                "Data anak",
                [
                    ("nama_anak", "Nama lengkap anak", "text", True, ""),
                    ("nik_anak", "NIK anak", "nik", True, ""),
                    ("tanggal_lahir", "Tanggal lahir anak", "date", True, ""),
                ],
            ),
            ("Alamat dan kontak", [DESA, PHONE]),
        ],
        [
            ("akta_lahir", "Akta kelahiran anak", IMG_PDF, True, ""),
            ("kartu_keluarga", "Kartu Keluarga", IMG_PDF, True, ""),
            ("pas_foto", "Pas foto anak (usia 5 tahun ke atas)", ["jpg", "png"], False, ""),
        ],
        [("Penerbitan Dispendukcapil", "fixed", "dispendukcapil", "officer", "approve")],
    ),
    (
        "akta-perkawinan",
        "Akta Perkawinan (non-Muslim)",
        "Pencatatan perkawinan bagi penduduk non-Muslim.",
        "kependudukan",
        "dispendukcapil",
        0,
        3,
        "Kutipan Akta Perkawinan",
        [
            (
                "Data pasangan",
                [
                    ("nama_suami", "Nama suami", "text", True, ""),
                    ("nik_suami", "NIK suami", "nik", True, ""),
                    ("nama_istri", "Nama istri", "text", True, ""),
                    ("nik_istri", "NIK istri", "nik", True, ""),
                    ("tanggal_kawin", "Tanggal pemberkatan", "date", True, ""),
                ],
            ),
            ("Alamat dan kontak", [DESA, PHONE]),
        ],
        [
            ("surat_agama", "Surat perkawinan dari pemuka agama", IMG_PDF, True, ""),
            ("kartu_keluarga", "Kartu Keluarga", IMG_PDF, True, ""),
        ],
        [("Verifikasi dan penerbitan Dispendukcapil", "fixed", "dispendukcapil", "officer", "approve")],
    ),
    (
        "surat-keterangan-usaha",
        "Surat Keterangan Usaha",
        "Keterangan dari desa bahwa Anda menjalankan usaha.",
        "surat",
        "dpmptsp",
        0,
        2,
        "Surat Keterangan Usaha",
        [
            (
                "Usaha",
                [
                    ("nama_usaha", "Nama usaha", "text", True, ""),
                    (
                        "jenis_usaha",
                        "Jenis usaha",
                        "choice",
                        True,
                        "",
                        [
                            ["dagang", "Perdagangan"],
                            ["kuliner", "Kuliner"],
                            ["tani", "Pertanian/perikanan"],
                            ["jasa", "Jasa"],
                            ["kerajinan", "Kerajinan"],
                        ],
                    ),
                    ("alamat_usaha", "Alamat tempat usaha", "long_text", True, ""),
                    ("lama_usaha", "Lama usaha berjalan (tahun)", "number", True, "", None, 0, 80),
                ],
            ),
            ("Alamat dan kontak", [DESA, PHONE]),
        ],
        [
            ("ktp", "KTP-el pemohon", IMG_PDF, True, ""),
            ("foto_usaha", "Foto tempat usaha", ["jpg", "png"], False, ""),
        ],
        [
            ("Verifikasi desa/kelurahan", "desa", None, "officer", "verify"),
            ("Tanda tangan kepala desa/lurah", "desa", None, "supervisor", "sign"),
            ("Tanda tangan camat (mengetahui)", "kecamatan", None, "supervisor", "sign"),
        ],
    ),
    (
        "sktm",
        "Surat Keterangan Tidak Mampu (SKTM)",
        "Keterangan keluarga tidak mampu untuk sekolah, kesehatan atau bantuan.",
        "sosial",
        "dinsos",
        0,
        3,
        "SKTM",
        [
            (
                "Keperluan",
                [
                    (
                        "keperluan",
                        "Untuk keperluan",
                        "choice",
                        True,
                        "",
                        [["sekolah", "Pendidikan"], ["kesehatan", "Kesehatan"], ["bansos", "Bantuan sosial"]],
                    ),
                    (
                        "penghasilan",
                        "Penghasilan keluarga per bulan (Rp)",
                        "number",
                        True,
                        "",
                        None,
                        0,
                        100000000,
                    ),
                    ("tanggungan", "Jumlah tanggungan", "number", True, "", None, 0, 30),
                ],
            ),
            ("Alamat dan kontak", [DESA, PHONE]),
        ],
        [
            ("kartu_keluarga", "Kartu Keluarga", IMG_PDF, True, ""),
            ("foto_rumah", "Foto rumah tampak depan", ["jpg", "png"], True, ""),
        ],
        [
            ("Verifikasi desa/kelurahan", "desa", None, "officer", "verify"),
            ("Pengesahan camat", "kecamatan", None, "officer", "approve"),
        ],
    ),
    (
        "izin-keramaian",
        "Rekomendasi Izin Keramaian",
        "Rekomendasi kecamatan untuk hajatan, pertunjukan atau acara umum.",
        "perizinan",
        "bakesbangpol",
        0,
        3,
        "Surat rekomendasi keramaian",
        [
            (
                "Acara",
                [
                    ("nama_acara", "Nama acara", "text", True, ""),
                    (
                        "jenis_acara",
                        "Jenis acara",
                        "choice",
                        True,
                        "",
                        [
                            ["hajatan", "Hajatan"],
                            ["pertunjukan", "Pertunjukan seni"],
                            ["olahraga", "Olahraga"],
                            ["keagamaan", "Keagamaan"],
                        ],
                    ),
                    ("tanggal_acara", "Tanggal acara", "date", True, ""),
                    ("jumlah_tamu", "Perkiraan jumlah pengunjung", "number", True, "", None, 1, 100000),
                    ("lokasi", "Lokasi acara", "long_text", True, ""),
                ],
            ),
            ("Alamat dan kontak", [DESA, PHONE]),
        ],
        [
            ("ktp", "KTP-el penanggung jawab", IMG_PDF, True, ""),
            ("pernyataan", "Surat pernyataan menjaga ketertiban", ["pdf"], True, ""),
        ],
        [
            ("Verifikasi desa/kelurahan", "desa", None, "officer", "verify"),
            ("Rekomendasi camat", "kecamatan", None, "officer", "approve"),
        ],
    ),
    (
        "surat-domisili",
        "Surat Keterangan Domisili",
        "Keterangan tempat tinggal dari desa/kelurahan.",
        "surat",
        "dpmptsp",
        0,
        1,
        "Surat Keterangan Domisili",
        [
            (
                "Keperluan",
                [
                    ("keperluan", "Untuk keperluan", "text", True, ""),
                    ("lama_tinggal", "Lama tinggal di alamat ini (tahun)", "number", True, "", None, 0, 100),
                ],
            ),
            ("Alamat dan kontak", [DESA, PHONE]),
        ],
        [("ktp", "KTP-el", IMG_PDF, True, "")],
        [("Tanda tangan kepala desa/lurah", "desa", None, "supervisor", "sign")],
    ),
    (
        "pengantar-skck",
        "Surat Pengantar SKCK",
        "Pengantar desa untuk permohonan SKCK di kepolisian.",
        "surat",
        "dpmptsp",
        0,
        1,
        "Surat pengantar SKCK",
        [
            (
                "Keperluan",
                [
                    (
                        "keperluan",
                        "Untuk keperluan",
                        "choice",
                        True,
                        "",
                        [["kerja", "Melamar pekerjaan"], ["sekolah", "Pendidikan"], ["lain", "Lainnya"]],
                    )
                ],
            ),
            ("Alamat dan kontak", [DESA, PHONE]),
        ],
        [("ktp", "KTP-el", IMG_PDF, True, ""), ("kartu_keluarga", "Kartu Keluarga", IMG_PDF, True, "")],
        [("Tanda tangan kepala desa/lurah", "desa", None, "supervisor", "sign")],
    ),
    (
        "izin-praktik-bidan",
        "Surat Izin Praktik Bidan",
        "Izin praktik mandiri bagi bidan.",
        "kesehatan",
        "dpmptsp",
        0,
        5,
        "Surat Izin Praktik Bidan (SIPB)",
        [
            (
                "Praktik",
                [
                    ("nama_praktik", "Nama tempat praktik", "text", True, ""),
                    ("nomor_str", "Nomor STR", "text", True, "", None, 6, 40),
                    ("alamat_praktik", "Alamat praktik", "long_text", True, ""),
                ],
            ),
            ("Alamat dan kontak", [DESA, PHONE]),
        ],
        [
            ("str", "Surat Tanda Registrasi (STR)", ["pdf"], True, ""),
            ("ijazah", "Ijazah kebidanan", ["pdf"], True, ""),
            ("rekomendasi", "Rekomendasi organisasi profesi (IBI)", ["pdf"], True, ""),
        ],
        [
            ("Verifikasi teknis Dinas Kesehatan", "fixed", "dinkes", "officer", "verify"),
            ("Penerbitan izin DPMPTSP", "fixed", "dpmptsp", "supervisor", "approve"),
        ],
    ),
]

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


def _service(region: Region, agencies: dict, spec) -> Service:
    slug, name, summary, category, agency, fee, sla, output, pages, documents, steps = spec
    service = Service.objects.create(
        region=region,
        slug=slug,
        name=name,
        summary=summary,
        category=category,
        owner_agency=agencies[agency],
        fee_rupiah=fee,
        sla_working_days=sla,
        output_document=output,
        std_requirements="\n".join(f"- {d[1]}{'' if d[3] else ' (bila ada)'}" for d in documents),
        **(STANDARD | {"std_product": output}),
    )
    order = 0
    for number, (title, fields) in enumerate(pages, start=1):
        for field in fields:
            key, label, kind, required, help_text, *rest = field
            choices = rest[0] if rest and rest[0] else []
            lo, hi = (rest[1], rest[2]) if len(rest) > 2 else (None, None)
            order += 1
            FormField.objects.create(
                service=service,
                page=number,
                page_title=title,
                order=order,
                key=key,
                label=label,
                kind=kind,
                required=required,
                help_text=help_text,
                choices=choices,
                min_value=lo,
                max_value=hi,
            )
    for i, (key, label, types, required, help_text) in enumerate(documents):
        DocumentRequirement.objects.create(
            service=service,
            order=i,
            key=key,
            label=label,
            allowed_types=types,
            required=required,
            help_text=help_text,
        )
    for i, (step_name, routing, agency_slug, role, action) in enumerate(steps, start=1):
        WorkflowStep.objects.create(
            service=service,
            order=i,
            name=step_name,
            routing=routing,
            agency=agencies[agency_slug] if agency_slug else None,
            role=role,
            action=action,
        )
    return service


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
        modules=["layanan", "pengaduan", "survei", "transparansi"],
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
        modules=["layanan", "pengaduan", "survei", "transparansi"],
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
    for spec in BANYUWANGI_SERVICES:
        _service(bwi, bwi_dinas, spec)
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
    people["admin@gerai.demo"] = _user("admin@gerai.demo", "Admin Platform Gerai", superuser=True)
    PlatformFlag.objects.update_or_create(name=DEMO_FLAG, defaults={"value": "1"})
    audit_record(actor=actor, action="platform.load_demo", changes={"accounts": len(people)})
    return people
