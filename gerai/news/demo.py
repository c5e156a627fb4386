"""Demo news for both regions, written for the demo (no text is copied from anywhere): the seed's categories,
an editor for each region, a handful of articles in Indonesian (one with an English version, one scheduled,
one waiting for review), reactions and comments, all made through the services."""

import datetime as dt
import io

import pyotp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gerai.accounts.models import User
from gerai.accounts.services import staff_role_grant
from gerai.core.actors import Actor
from gerai.news import services
from gerai.news.models import Article, Category, Comment
from gerai.regions.models import Agency

CATEGORIES = [  # the seed's rubrics, in Indonesian as a regency names them (slug, name, English name)
    ("berita", "Berita", "News"),
    ("pendidikan", "Pendidikan", "Education"),
    ("umum", "Umum", "General"),
    ("utama", "Utama", "Top stories"),
    ("viral", "Viral", "Viral"),
]

P = "<p>{}</p>"

BANYUWANGI: list[dict] = [
    {
        "slug": "ribuan-penari-gandrung-siap-tampil-di-pantai-boom",
        "category": "utama",
        "tags": "festival, gandrung, pariwisata",
        "title": "Ribuan Penari Gandrung Siap Tampil di Pantai Boom",
        "summary": (
            "Latihan gabungan para penari pelajar dimulai pekan ini menjelang pergelaran tahunan di tepi Selat Bali."
        ),
        "body": (
            P.format(
                "Ratusan pelajar dari berbagai kecamatan mulai berlatih bersama di lapangan Taman Blambangan. "
                "Mereka menyiapkan formasi tari Gandrung yang akan dipentaskan serentak di Pantai Boom."
            )
            + "<h2>Latihan bertahap</h2>"
            + P.format(
                "Pelatih dari sanggar-sanggar setempat membagi penari ke dalam kelompok kecil. Setiap kelompok "
                "berlatih di sekolah masing-masing, lalu digabung pada latihan akhir."
            )
            + "<ul><li>Latihan kelompok: setiap Sabtu</li><li>Gladi bersih: sehari sebelum pergelaran</li></ul>"
            + P.format("Penonton diimbau datang lebih awal dan memakai transportasi umum.")
        ),
        "title_en": "Thousands of Gandrung Dancers Get Ready for Boom Beach",
        "summary_en": (
            "Joint rehearsals of the student dancers start this week ahead of the yearly performance on the Bali "
            "Strait."
        ),
        "body_en": (
            P.format(
                "Hundreds of students from across the districts have started rehearsing together at Taman "
                "Blambangan. They are preparing the Gandrung formation to be danced at once on Boom Beach."
            )
            + "<h2>Rehearsing in stages</h2>"
            + P.format(
                "Trainers from local dance studios split the dancers into small groups, which rehearse at their "
                "schools before the final joint rehearsal."
            )
            + P.format("Visitors are asked to come early and to use public transport.")
        ),
        "image": ((11, 93, 59), (242, 193, 46)),
        "image_alt": "Barisan penari bergaun merah dan emas di tepi pantai saat latihan sore",
        "days_ago": 1,
    },
    {
        "slug": "urus-adminduk-cukup-di-kantor-desa",
        "category": "berita",
        "tags": "layanan publik, adminduk",
        "title": "Urus Adminduk Cukup di Kantor Desa",
        "summary": (
            "Warga kini bisa mengajukan akta kelahiran dan kartu keluarga dari kantor desa tanpa datang ke kota."
        ),
        "body": (
            P.format(
                "Petugas pelayanan di kantor desa membantu warga mengisi permohonan secara daring. Berkas "
                "diperiksa desa, lalu diteruskan ke Dispendukcapil."
            )
            + P.format("Warga dapat memantau permohonannya dengan kode lacak yang diterima setelah mengajukan.")
        ),
        "image": None,
        "days_ago": 3,
    },
    {
        "slug": "pelajar-kemiren-belajar-membatik-gajah-oling",
        "category": "pendidikan",
        "tags": "pendidikan, budaya, batik",
        "title": "Pelajar Kemiren Belajar Membatik Motif Gajah Oling",
        "summary": "Perajin batik desa mengajar siswa sekolah dasar mengenal motif khas Banyuwangi.",
        "body": (
            P.format(
                "Setiap Jumat siang, siswa kelas lima belajar mencanting di balai desa. Perajin menjelaskan "
                "makna motif Gajah Oling dan cara mewarnai kain dengan bahan alami."
            )
            + "<blockquote><p>Anak-anak cepat belajar, yang penting sabar.</p></blockquote>"
        ),
        "image": ((92, 45, 145), (240, 200, 120)),
        "image_alt": "Tangan seorang siswa memegang canting di atas kain bermotif Gajah Oling",
        "days_ago": 5,
    },
    {
        "slug": "aksi-bersih-pantai-cacalan-ramai-dibagikan",
        "category": "viral",
        "tags": "lingkungan, pariwisata",
        "title": "Aksi Bersih Pantai Cacalan Ramai Dibagikan Warganet",
        "summary": "Video puluhan pemuda memungut sampah plastik di Pantai Cacalan ditonton ribuan kali.",
        "body": P.format(
            "Komunitas pemuda setempat mengumpulkan lebih dari dua ratus kantong sampah dalam satu pagi. "
            "Sampah dipilah dan diserahkan ke bank sampah kelurahan."
        ),
        "image": None,
        "days_ago": 7,
    },
]

BANYUWANGI_SCHEDULED = {
    "slug": "jadwal-pelayanan-libur-akhir-tahun",
    "category": "umum",
    "tags": "layanan publik",
    "title": "Jadwal Pelayanan Selama Libur Akhir Tahun",
    "summary": "Mal Pelayanan Publik tetap buka pada hari kerja di antara dua hari libur.",
    "body": P.format("Permohonan daring tetap diterima selama libur dan diproses pada hari kerja berikutnya."),
}

BANYUWANGI_REVIEW = {
    "slug": "festival-kopi-desa-direncanakan",
    "category": "berita",
    "tags": "festival, kopi",
    "title": "Festival Kopi Desa Direncanakan di Lereng Ijen",
    "summary": "Kelompok tani kopi menyiapkan festival kecil untuk memperkenalkan panen tahun ini.",
    "body": P.format("Rancangan acara masih dibahas bersama pemerintah desa dan kelompok sadar wisata."),
}

SERUYAN: list[dict] = [
    {
        "slug": "perahu-layanan-keliling-sambangi-desa-hulu",
        "category": "utama",
        "tags": "layanan publik, sungai",
        "title": "Perahu Layanan Keliling Sambangi Desa di Hulu Sungai Seruyan",
        "summary": "Petugas kependudukan menyusuri sungai untuk melayani warga yang jauh dari ibu kota kabupaten.",
        "body": (
            P.format(
                "Perahu berangkat dari Kuala Pembuang dan singgah di desa-desa sepanjang aliran Sungai Seruyan. "
                "Warga dapat merekam data KTP-el dan memperbarui kartu keluarga di dermaga desa."
            )
            + P.format("Jadwal singgah diumumkan melalui kepala desa dan media sosial pemerintah kabupaten.")
        ),
        "image": ((29, 79, 145), (246, 168, 0)),
        "image_alt": "Perahu kayu bercat biru bersandar di dermaga desa di tepi sungai",
        "days_ago": 2,
    },
    {
        "slug": "pendaftaran-beasiswa-mahasiswa-seruyan-dibuka",
        "category": "pendidikan",
        "tags": "pendidikan, beasiswa",
        "title": "Pendaftaran Beasiswa Mahasiswa Seruyan Dibuka",
        "summary": "Mahasiswa asal Seruyan dapat mendaftar bantuan biaya kuliah hingga akhir bulan.",
        "body": P.format("Syarat dan formulir tersedia di kantor dinas pendidikan dan dapat dikirim secara daring."),
        "image": None,
        "days_ago": 4,
    },
]


def _picture(colours) -> SimpleUploadedFile:
    """A small stand-in photo: two bands of colour (the demo ships no photographs)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 675), colours[0])
    ImageDraw.Draw(image).rectangle((0, 450, 1200, 675), fill=colours[1])
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


def _editor(region, login: str, name: str, password: str) -> User:
    user = User.objects.create_user(login, password, email=login, full_name=name, is_demo=True)
    user.email_confirmed_at = user.totp_confirmed_at = user.date_joined
    user.totp_secret = pyotp.random_base32()
    user.save()
    agency = Agency.objects.get(region=region, slug="diskominfo")
    staff_role_grant(
        actor=Actor.system(), user=user, region=region, role="editor", agency=agency, title="Redaksi portal berita"
    )
    return user


def _article(actor: Actor, region, categories: dict, spec: dict) -> Article:
    data = {**spec, "category": categories[spec["category"]], "comments_open": True}
    image = _picture(spec["image"]) if spec.get("image") else None
    return services.article_create(actor=actor, region=region, data=data, image=image)


def _region(region, editor: User, articles: list[dict]) -> tuple[dict[str, Category], dict[str, Article]]:
    actor = Actor(user=editor)
    categories = {
        slug: services.category_create(actor=actor, region=region, name=name, name_en=name_en, slug=slug)
        for slug, name, name_en in CATEGORIES
    }
    made = {}
    for spec in articles:
        article = services.article_publish(actor=actor, article=_article(actor, region, categories, spec))
        # backdated, so the demo's list reads like a week of news
        Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - dt.timedelta(days=spec["days_ago"]))
        made[spec["slug"]] = article
    return categories, made


def load_demo(*, bwi, sry, password: str) -> dict[str, User]:
    """Returns the demo's editors by login, for the demo's list of accounts."""
    editors = {
        "redaksi@banyuwangi.demo": _editor(bwi, "redaksi@banyuwangi.demo", "Nur Hasanah", password),
        "redaksi@seruyan.demo": _editor(sry, "redaksi@seruyan.demo", "Ahmad Fauzi", password),
    }
    bwi_editor = editors["redaksi@banyuwangi.demo"]
    actor = Actor(user=bwi_editor)
    categories, made = _region(bwi, bwi_editor, BANYUWANGI)
    scheduled = _article(actor, bwi, categories, BANYUWANGI_SCHEDULED)
    services.article_publish(actor=actor, article=scheduled, at=timezone.now() + dt.timedelta(days=3))
    services.article_submit(actor=actor, article=_article(actor, bwi, categories, BANYUWANGI_REVIEW))
    _region(sry, editors["redaksi@seruyan.demo"], SERUYAN)

    gandrung = made["ribuan-penari-gandrung-siap-tampil-di-pantai-boom"]
    visitor = Actor(user=None, ip=None)
    for kind, times in (("senang", 12), ("terinspirasi", 5), ("terkejut", 1)):
        for _n in range(times):
            services.reaction_add(actor=visitor, article=gandrung, kind=kind)
    first = services.comment_post(
        actor=visitor, article=gandrung, name="Wahyu", email="wahyu@contoh.demo",
        text="Anak saya ikut menari tahun ini. Semoga cuacanya cerah!",
    )  # fmt: skip
    services.comment_moderate(actor=actor, comment=first, status=Comment.Status.APPROVED)
    services.comment_post(
        actor=visitor, article=gandrung, name="Dina", email="dina@contoh.demo",
        text="Info parkir ada di www.contoh-parkir.demo? Terima kasih.",
    )  # fmt: skip
    return editors
