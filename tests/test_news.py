"""The news portal (issue 18, item 3): the editorial workflow, sanitising, the lead image, reactions, moderated
comments whose email never leaves the server, the feed and sitemap, English with its fallback, and who may open
the office's pages."""

import datetime as dt
import gzip
import io
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.test import Client
from django.utils import timezone
from PIL import Image

from gerai.accounts.models import User
from gerai.audit.models import AuditEntry
from gerai.core import jobs
from gerai.core.actors import Actor
from gerai.news import services
from gerai.news.models import Article, Comment, ReactionCount
from gerai.news.services import NewsError, articles_publish_due, html_sanitise
from gerai.news.tasks import news_publish_due
from tests.pictures import assert_no_metadata, photo_with_gps

pytestmark = pytest.mark.django_db

GANDRUNG = "/banyuwangi/berita/ribuan-penari-gandrung-siap-tampil-di-pantai-boom/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def editor(db):
    return User.objects.get(login="redaksi@banyuwangi.demo")


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def gandrung(banyuwangi):
    return Article.objects.get(region=banyuwangi, slug="ribuan-penari-gandrung-siap-tampil-di-pantai-boom")


def _data(banyuwangi, **over):
    category = banyuwangi.news_categories.get(slug="berita")
    return {
        "title": "Uji berita",
        "slug": "",
        "summary": "Ringkasan uji.",
        "body": "<p>Isi berita uji.</p>",
        "category": category,
        "tags": "uji, festival",
        "title_en": "",
        "summary_en": "",
        "body_en": "",
        "image_alt": "",
        "comments_open": True,
        **over,
    }


def _jpeg(size=(1600, 900), exif: bool = True, fmt="JPEG") -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif and fmt == "JPEG":
        info = Image.Exif()
        info[0x010F] = "KameraRahasia"  # Make
        info[0x8825] = {2: (7.0, 30.0, 0.0)}  # a GPS position
        image.save(out, format=fmt, exif=info)
    else:
        image.save(out, format=fmt)
    return SimpleUploadedFile("foto.jpg" if fmt == "JPEG" else "foto.png", out.getvalue())


# --- sanitising --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dirty", "gone"),
    [
        ("<p>Hai</p><script>alert(1)</script>", ["<script", "alert(1)"]),
        ('<p><img src="x" onerror="alert(1)">Hai</p>', ["onerror", "<img"]),
        ('<a href="javascript:alert(1)">klik</a>', ["javascript:"]),
        ('<a href="JaVaScRiPt:alert(1)">klik</a>', ["alert(1)"]),
        ('<p onclick="x()" style="color:red">Hai</p>', ["onclick", "style="]),
        ("<iframe src='https://evil.example'></iframe><p>Hai</p>", ["<iframe"]),
        ("<svg><script>alert(1)</script></svg>", ["<svg", "<script"]),
    ],
)
def test_html_is_sanitised_to_the_allow_list(dirty, gone):
    clean = html_sanitise(dirty)
    for bad in gone:
        assert bad.lower() not in clean.lower()


def test_safe_markup_and_links_are_kept():
    clean = html_sanitise('<h2>Judul</h2><p>Baca <a href="https://banyuwangikab.go.id/">situs</a></p>')
    assert "<h2>Judul</h2>" in clean
    assert 'href="https://banyuwangikab.go.id/"' in clean
    assert 'rel="noopener noreferrer"' in clean


def test_a_published_article_shows_only_sanitised_html(editor, editor_client, banyuwangi):
    body = '<p>Aman</p><script>alert("x")</script><a href="javascript:alert(2)">tautan</a><img src=x onerror=alert(3)>'
    article = services.article_create(actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi, body=body))
    services.article_publish(actor=Actor(user=editor), article=article)
    page = Client().get(f"/banyuwangi/berita/{article.slug}/").content.decode()
    assert "<p>Aman</p>" in page
    assert 'alert("x")' not in page and "javascript:alert" not in page and "onerror" not in page


# --- the workflow ------------------------------------------------------------------------------------------


def test_an_editor_writes_submits_and_publishes_through_the_office(editor_client, banyuwangi):
    category = banyuwangi.news_categories.get(slug="umum")
    answer = editor_client.post(
        "/banyuwangi/kantor/berita/baru/",
        {"title": "Pasar Murah di Alun-alun", "category": category.pk, "summary": "Ringkas.", "body": "<p>Isi.</p>",
         "tags": "pasar, harga", "comments_open": "on"},
    )  # fmt: skip
    assert answer.status_code == 302
    article = Article.objects.get(region=banyuwangi, slug="pasar-murah-di-alun-alun")
    assert article.status == "draft"
    assert Client().get(f"/banyuwangi/berita/{article.slug}/").status_code == 404
    edit = f"/banyuwangi/kantor/berita/{article.code}/"
    assert editor_client.post(edit, {"what": "submit"}).status_code == 302
    assert editor_client.post(edit, {"what": "publish"}).status_code == 302
    article.refresh_from_db()
    assert article.status == "published" and article.editor is not None
    assert Client().get(f"/banyuwangi/berita/{article.slug}/").status_code == 200
    actions = set(
        AuditEntry.objects.filter(object_type="news.article", object_id=str(article.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == {"news.article_create", "news.article_submit", "news.article_publish"}
    editor_client.post(edit, {"what": "unpublish"})
    assert Client().get(f"/banyuwangi/berita/{article.slug}/").status_code == 404


def test_a_taken_slug_is_refused_beside_the_field_and_nothing_typed_is_lost(editor_client, banyuwangi):
    category = banyuwangi.news_categories.get(slug="umum")
    answer = editor_client.post(
        "/banyuwangi/kantor/berita/baru/",
        {"title": "Judul yang saya ketik", "slug": "urus-adminduk-cukup-di-kantor-desa", "category": category.pk,
         "summary": "Ringkasan saya", "body": "<p>Teks panjang saya</p>"},
    )  # fmt: skip
    page = answer.content.decode()
    assert answer.status_code == 422
    assert 'id="err-slug"' in page and "urus-adminduk-cukup-di-kantor-desa" in page.split('id="err-slug"')[1][:300]
    assert "Judul yang saya ketik" in page and "Teks panjang saya" in page and "Ringkasan saya" in page


def test_the_same_slug_is_free_in_another_region(editor, seruyan):
    sry_editor = User.objects.get(login="redaksi@seruyan.demo")
    article = services.article_create(
        actor=Actor(user=sry_editor), region=seruyan,
        data=_data(seruyan, slug="urus-adminduk-cukup-di-kantor-desa"),
    )  # fmt: skip
    assert article.slug == "urus-adminduk-cukup-di-kantor-desa"


def test_reserved_and_taken_slugs_raise_clear_errors(editor, banyuwangi):
    with pytest.raises(NewsError) as taken:
        services.article_create(
            actor=Actor(user=editor),
            region=banyuwangi,
            data=_data(banyuwangi, slug="urus-adminduk-cukup-di-kantor-desa"),
        )
    assert taken.value.code == "slug_taken" and taken.value.field == "slug"
    with pytest.raises(NewsError) as reserved:
        services.article_create(actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi, slug="feed"))
    assert reserved.value.code == "slug_reserved"


def test_scheduled_articles_go_public_when_the_worker_runs(editor, banyuwangi):
    article = services.article_create(
        actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi, title="Nanti sore")
    )
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.article_publish(actor=Actor(user=editor), article=article, at=start + dt.timedelta(hours=2))
        assert articles_publish_due() == 0
        assert Client().get(f"/banyuwangi/berita/{article.slug}/").status_code == 404
    with time_machine.travel(start + dt.timedelta(hours=2, minutes=1), tick=False):
        assert articles_publish_due() >= 1
        assert articles_publish_due() == 0  # claimed once
        assert Client().get(f"/banyuwangi/berita/{article.slug}/").status_code == 200
    article.refresh_from_db()
    assert article.status == "published"
    entry = AuditEntry.objects.filter(object_id=str(article.pk), action="news.article_publish").get()
    assert entry.actor is None and entry.via == "system"


def test_a_schedule_in_the_past_is_refused(editor, banyuwangi):
    article = services.article_create(actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi))
    with pytest.raises(NewsError) as refused:
        services.article_publish(actor=Actor(user=editor), article=article, at=timezone.now() - dt.timedelta(hours=1))
    assert refused.value.code == "past_schedule"


def test_the_job_is_registered_with_the_worker():
    assert news_publish_due.enqueue in jobs.minute_jobs


# --- the lead image ----------------------------------------------------------------------------------------


def test_the_lead_image_is_resized_and_stripped_of_exif(editor, banyuwangi):
    article = services.article_create(
        actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi, image_alt="Sebuah foto uji"), image=_jpeg()
    )
    assert article.image_widths == [320, 640, 1200]
    for width in article.image_widths:
        with default_storage.open(services.image_path(banyuwangi, article.image_key, width)) as stored:
            data = stored.read()
        assert b"KameraRahasia" not in data
        with Image.open(io.BytesIO(data)) as image:
            assert image.width == width
            assert not image.getexif()
    services.article_publish(actor=Actor(user=editor), article=article)
    answer = Client().get(f"/banyuwangi/berita/gambar/{article.image_key}-640.jpg")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    assert Client().get(f"/banyuwangi/berita/gambar/{article.image_key}-999.jpg").status_code == 404


def test_an_uploaded_lead_image_loses_its_gps_position(editor_client, banyuwangi):
    """A phone's photo says where it was taken (EXIF GPS, XMP): none of it reaches the stored renditions."""
    photo = SimpleUploadedFile("foto.jpg", photo_with_gps(), content_type="image/jpeg")
    data = _data(banyuwangi, image_alt="Pantai")
    form = {**data, "category": data["category"].pk, "what": "save", "image": photo}
    assert editor_client.post("/banyuwangi/kantor/berita/baru/", form).status_code == 302
    article = Article.objects.get(region=banyuwangi, title=form["title"])
    assert article.image_widths == [320, 640, 1000]  # stood upright (it was stored on its side): 1000 wide
    for width in article.image_widths:
        with default_storage.open(services.image_path(banyuwangi, article.image_key, width)) as stored:
            assert_no_metadata(stored.read())


def test_an_image_needs_alt_text(editor, banyuwangi):
    with pytest.raises(NewsError) as refused:
        services.article_create(actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi), image=_jpeg())
    assert refused.value.field == "image_alt"


def test_a_file_that_is_not_an_image_is_refused(editor, banyuwangi):
    fake = SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 50)
    with pytest.raises(NewsError) as refused:
        services.article_create(
            actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi, image_alt="x"), image=fake
        )
    assert refused.value.code == "bad_image"
    exe = SimpleUploadedFile("foto.jpg", b"MZ" + b"\x00" * 300)
    with pytest.raises(NewsError):
        services.article_create(
            actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi, image_alt="x"), image=exe
        )


def test_a_decompression_bomb_is_refused_before_it_is_decoded(editor, banyuwangi):
    # a PNG that claims 10,000 × 10,000 pixels in a few hundred bytes
    bomb = Image.new("1", (10_000, 10_000))
    out = io.BytesIO()
    bomb.save(out, format="PNG")
    assert len(out.getvalue()) < 100_000
    with pytest.raises(NewsError) as refused:
        services.article_create(
            actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi, image_alt="x"),
            image=SimpleUploadedFile("bom.png", out.getvalue()),
        )  # fmt: skip
    assert refused.value.code == "bad_image"


def test_an_unpublished_articles_image_is_hidden_from_the_public(editor, editor_client, banyuwangi):
    article = services.article_create(
        actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi, image_alt="Foto"), image=_jpeg((400, 300))
    )
    assert article.image_widths == [320, 400]  # and its own width: never shown smaller than it is
    url = f"/banyuwangi/berita/gambar/{article.image_key}-320.jpg"
    assert Client().get(url).status_code == 404
    assert editor_client.get(url).status_code == 200


def test_a_published_image_is_cached_a_day_not_a_year_so_a_takedown_does_not_linger(editor, banyuwangi):
    article = services.article_create(
        actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi, image_alt="Foto"), image=_jpeg((400, 300))
    )
    services.article_publish(actor=Actor(user=editor), article=article)
    url = f"/banyuwangi/berita/gambar/{article.image_key}-320.jpg"
    answer = Client().get(url)
    assert answer.status_code == 200
    cache = answer["Cache-Control"]
    assert "immutable" not in cache and "public" in cache
    assert int(re.search(r"max-age=(\d+)", cache).group(1)) <= 24 * 3600
    again = Client().get(url, headers={"If-None-Match": answer["ETag"]})  # a cache revalidating: cheap
    assert again.status_code == 304 and again["ETag"] == answer["ETag"]
    services.article_unpublish(actor=Actor(user=editor), article=article)
    gone = Client().get(url, headers={"If-None-Match": answer["ETag"]})  # nor a 304 once taken down
    assert gone.status_code == 404


# --- reactions ---------------------------------------------------------------------------------------------


def _count(article, kind):
    row = ReactionCount.objects.filter(article=article, kind=kind).first()
    return row.count if row else 0


def test_one_reaction_per_visitor_without_an_account(gandrung):
    before = _count(gandrung, "sedih")
    visitor = Client()
    assert visitor.post(GANDRUNG + "reaksi/", {"reaction": "sedih"}).status_code == 302
    assert _count(gandrung, "sedih") == before + 1
    visitor.post(GANDRUNG + "reaksi/", {"reaction": "sedih"})
    visitor.post(GANDRUNG + "reaksi/", {"reaction": "marah"})
    assert _count(gandrung, "sedih") == before + 1 and _count(gandrung, "marah") == 0
    page = visitor.get(GANDRUNG).content.decode()
    assert "disabled" in page
    Client().post(GANDRUNG + "reaksi/", {"reaction": "sedih"})  # another visitor
    assert _count(gandrung, "sedih") == before + 2


def test_a_forged_or_borrowed_reaction_cookie_is_ignored(gandrung, banyuwangi):
    visitor = Client()
    visitor.cookies["gerai_reacted"] = "sedih"  # not signed
    before = _count(gandrung, "sedih")
    visitor.post(GANDRUNG + "reaksi/", {"reaction": "sedih"})
    assert _count(gandrung, "sedih") == before + 1


def test_a_concurrent_first_reaction_is_counted_not_a_500(gandrung, monkeypatch):
    """Two visitors give an article its first reaction of a kind at once: the other one's counter row is
    committed after this transaction looked (its snapshot does not show the row: REPEATABLE READ, or simply the
    moment between a read and a write). Simulated by hiding the row from reads while it exists for the unique
    constraint. A read-then-insert (`get_or_create`) hits news_reaction_unique and, its re-read finding nothing,
    raises IntegrityError (a 500); the counter must instead take this visitor's reaction too."""
    ReactionCount.objects.filter(article=gandrung, kind="terkejut").delete()
    ReactionCount.objects.create(article=gandrung, kind="terkejut", count=1)  # the other visitor's
    real_get = QuerySet.get

    def snapshot_get(self, *args, **kwargs):
        if self.model is ReactionCount:
            raise ReactionCount.DoesNotExist
        return real_get(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "get", snapshot_get)
    services.reaction_add(actor=Actor(user=None), article=gandrung, kind="terkejut")
    monkeypatch.undo()
    assert _count(gandrung, "terkejut") == 2
    assert ReactionCount.objects.filter(article=gandrung, kind="terkejut").count() == 1


def test_a_reaction_leaves_no_audit_entry(gandrung):
    """By design: an entry would keep the visitor's address beside their reaction (docs/news.md)."""
    before = AuditEntry.objects.count()
    Client(REMOTE_ADDR="10.3.3.3").post(GANDRUNG + "reaksi/", {"reaction": "terinspirasi"})
    assert AuditEntry.objects.count() == before
    assert not AuditEntry.objects.filter(action__startswith="news.reaction").exists()


def test_an_unknown_reaction_is_refused(gandrung):
    Client().post(GANDRUNG + "reaksi/", {"reaction": "<script>"})
    assert not ReactionCount.objects.filter(article=gandrung, kind="<script>").exists()


# --- comments ----------------------------------------------------------------------------------------------


def _comment(client, **over):
    return client.post(
        GANDRUNG, {"name": "Rina", "email": "rina.rahasia@contoh.test", "text": "Semoga lancar.", "website": "", **over}
    )


def test_a_comment_waits_for_the_moderator_then_appears(editor_client, gandrung):
    assert _comment(Client(), text="Komentar pertama saya").status_code == 302
    comment = Comment.objects.get(text="Komentar pertama saya")
    assert comment.status == "pending"
    assert "Komentar pertama saya" not in Client().get(GANDRUNG).content.decode()
    queue = editor_client.get("/banyuwangi/kantor/berita/komentar/").content.decode()
    assert "Komentar pertama saya" in queue
    editor_client.post("/banyuwangi/kantor/berita/komentar/", {"comment": comment.code, "what": "approve"})
    assert "Komentar pertama saya" in Client().get(GANDRUNG).content.decode()
    assert AuditEntry.objects.filter(action="news.comment_moderate", object_id=str(comment.pk)).exists()


def test_an_unconfirmed_address_approves_nothing_and_silences_nobody(editor, gandrung):
    """The address is never confirmed, so typing someone else's address must neither borrow their approved
    history nor, after the impostor is marked spam, send their later comments to spam."""
    first = services.comment_post(
        actor=Actor(user=None), article=gandrung, name="Ani", email="ani@contoh.test", text="Bagus"
    )
    services.comment_moderate(actor=Actor(user=editor), comment=first, status="approved")
    impostor = services.comment_post(
        actor=Actor(user=None), article=gandrung, name="Ani", email=" ANI@contoh.test ", text="Tiru Ani"
    )
    assert impostor.status == "pending"
    services.comment_moderate(actor=Actor(user=editor), comment=impostor, status="spam")
    later = services.comment_post(
        actor=Actor(user=None), article=gandrung, name="Ani", email="ani@contoh.test", text="Ani yang asli lagi"
    )
    assert later.status == "pending"
    link = services.comment_post(
        actor=Actor(user=None), article=gandrung, name="Ani", email="ani@contoh.test", text="Lihat https://spam.test/"
    )
    assert link.status == "pending" and link.has_link


def test_the_answer_to_a_comment_does_not_tell_whether_the_address_commented_before(editor, gandrung):
    known = services.comment_post(
        actor=Actor(user=None), article=gandrung, name="Budi", email="budi@contoh.test", text="Pertama"
    )
    services.comment_moderate(actor=Actor(user=editor), comment=known, status="approved")
    answers = []
    for n, email in enumerate(("budi@contoh.test", "orang.baru@contoh.test")):
        client = Client(REMOTE_ADDR=f"10.7.7.{n + 1}")
        answer = _comment(client, email=email, text=f"Coba alamat {n}")
        assert answer.status_code == 302
        answers.append([str(m) for m in client.get(answer["Location"]).context["messages"]])
    assert "menunggu moderator" in answers[0][0]
    assert answers[0] == answers[1]


def test_the_honeypot_keeps_nothing(gandrung):
    before = Comment.objects.count()
    answer = _comment(Client(), website="http://bot.example", text="Beli obat murah")
    assert answer.status_code == 302
    assert Comment.objects.count() == before


def test_a_comment_flood_from_one_address_is_refused_and_the_text_kept(gandrung):
    client = Client()
    for n in range(5):
        assert _comment(client, text=f"Komentar nomor {n}").status_code == 302
    answer = _comment(client, text="Komentar keenam yang panjang")
    assert answer.status_code == 429
    page = answer.content.decode()
    assert "Komentar keenam yang panjang" in page
    assert answer["Cache-Control"] == "private, no-store"
    assert not Comment.objects.filter(text="Komentar keenam yang panjang").exists()
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert _comment(other, text="Dari alamat lain").status_code == 302


def test_a_bad_comment_is_refused_beside_its_field(gandrung):
    answer = _comment(Client(), email="bukan-email", text="Tetap saya simpan")
    assert answer.status_code == 422
    page = answer.content.decode()
    assert 'id="err-email"' in page and "Tetap saya simpan" in page


def test_the_commenters_email_is_stored_only_as_a_keyed_hash(gandrung):
    _comment(Client(), email="hash.saja@contoh.test", text="Cek hash")
    comment = Comment.objects.get(text="Cek hash")
    assert "hash.saja" not in comment.email_hash and len(comment.email_hash) == 64
    assert comment.email_hash == services.email_hash("Hash.Saja@contoh.test")
    entry = AuditEntry.objects.get(action="news.comment_post", object_id=str(comment.pk))
    assert "hash.saja" not in str(entry.changes)


def _public_pages(client, region) -> list[str]:
    pages = [f"/{region.slug}/", f"/{region.slug}/berita/", f"/{region.slug}/berita/feed/",
             f"/{region.slug}/berita/sitemap.xml", "/sitemap.xml"]  # fmt: skip
    pages += [f"/{region.slug}/berita/?kategori={c.slug}" for c in region.news_categories.all()]
    published = Article.objects.filter(region=region, status="published")
    pages += [f"/{region.slug}/berita/{a.slug}/" for a in published]
    pages += [f"/{region.slug}/berita/feed/?lang=en", f"/api/v1/regions/{region.slug}/news"]
    pages += [f"/api/v1/regions/{region.slug}/news/{a.slug}" for a in published]
    return pages


def test_the_comment_email_never_appears_in_any_response(editor, editor_client, banyuwangi, gandrung):
    emails = ["tersembunyi.sekali@contoh.test", "tahan.moderasi@contoh.test"]
    shown = Client()
    _comment(shown, email=emails[0], text="Komentar yang disetujui")
    _comment(Client(REMOTE_ADDR="10.1.1.2"), email=emails[1], text="Komentar yang ditahan www.tautan.test")
    approved = Comment.objects.get(text="Komentar yang disetujui")
    services.comment_moderate(actor=Actor(user=editor), comment=approved, status="approved")
    english = Client()
    english.cookies["gerai_lang"] = "en"
    office = [
        "/banyuwangi/kantor/berita/",
        *(f"/banyuwangi/kantor/berita/komentar/?status={s}" for s in ("pending", "approved", "rejected", "spam")),
        *(f"/banyuwangi/kantor/berita/{a.code}/" for a in Article.objects.filter(region=banyuwangi)),
    ]
    checked = 0
    for client, pages in (
        (shown, _public_pages(shown, banyuwangi)),
        (english, _public_pages(english, banyuwangi)),
        (editor_client, office),
    ):
        for page in pages:
            answer = client.get(page)
            assert answer.status_code == 200, page
            body = answer.content
            if answer.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            text = body.decode().lower()
            for email in emails:
                assert email not in text and email.split("@")[0] not in text, page
            checked += 1
    assert checked > 20
    assert "Komentar yang disetujui" in shown.get(GANDRUNG).content.decode()


# --- feed, sitemap, meta -----------------------------------------------------------------------------------


def test_the_atom_feed_parses_and_lists_only_published_articles(banyuwangi):
    answer = Client().get("/banyuwangi/berita/feed/")
    assert answer["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(answer.content)  # noqa: S314 - our own response
    assert root.tag == f"{ATOM}feed"
    for needed in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{needed}") is not None
    entries = root.findall(f"{ATOM}entry")
    published = Article.objects.filter(region=banyuwangi, status="published").count()
    assert len(entries) == published >= 4
    for entry in entries:
        for needed in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{needed}") is not None
        assert entry.find(f"{ATOM}content").get("type") == "html"
        assert "<script" not in entry.find(f"{ATOM}content").text
    titles = {e.find(f"{ATOM}title").text for e in entries}
    assert "Festival Kopi Desa Direncanakan di Lereng Ijen" not in titles  # waiting for review
    assert "Jadwal Pelayanan Selama Libur Akhir Tahun" not in titles  # scheduled


def test_the_feeds_language_comes_from_its_address_never_from_the_cookie(banyuwangi):
    """The feed is cached publicly by its address, so a reader's language cookie must not change it."""
    english_cookie = Client()
    english_cookie.cookies["gerai_lang"] = "en"
    plain = english_cookie.get("/banyuwangi/berita/feed/")
    assert "public" in plain["Cache-Control"]
    root = ET.fromstring(plain.content)  # noqa: S314 - our own response
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "id"
    assert root.find(f"{ATOM}title").text.startswith("Berita")
    assert plain.content == Client().get("/banyuwangi/berita/feed/").content
    english = ET.fromstring(Client().get("/banyuwangi/berita/feed/?lang=en").content)  # noqa: S314
    assert english.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert english.find(f"{ATOM}title").text.startswith("News of")


def test_the_sitemaps_list_the_regions_articles():
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ET.fromstring(Client().get("/banyuwangi/berita/sitemap.xml").content)  # noqa: S314
    locs = [u.find(f"{ns}loc").text for u in root.findall(f"{ns}url")]
    assert any(loc.endswith(GANDRUNG) for loc in locs)
    assert not any("festival-kopi" in loc for loc in locs)
    index = ET.fromstring(Client().get("/sitemap.xml").content)  # noqa: S314
    maps = [s.find(f"{ns}loc").text for s in index.findall(f"{ns}sitemap")]
    assert any(m.endswith("/banyuwangi/berita/sitemap.xml") for m in maps)
    assert any(m.endswith("/seruyan/berita/sitemap.xml") for m in maps)


def test_an_article_has_open_graph_and_twitter_tags(gandrung):
    page = Client().get(GANDRUNG).content.decode()
    for tag in ('property="og:title"', 'property="og:type" content="article"', 'property="og:image"',
                'property="og:url"', 'property="og:description"', 'name="twitter:card" content="summary_large_image"',
                'property="og:image:alt"', 'property="article:published_time"'):  # fmt: skip
        assert tag in page, tag
    image = re.search(r'property="og:image" content="([^"]+)"', page).group(1)
    assert image.startswith("http") and image.endswith("-1200.jpg")


def test_related_articles_share_tags_or_category(gandrung):
    page = Client().get(GANDRUNG).content.decode()
    related = page.split('id="terkait-title"')[1].split("</section>")[0]
    assert "Aksi Bersih Pantai Cacalan" in related  # shares the tag pariwisata


# --- language ----------------------------------------------------------------------------------------------


def test_english_readers_get_the_english_version_or_indonesian_with_a_note(gandrung):
    english = Client()
    english.cookies["gerai_lang"] = "en"
    page = english.get(GANDRUNG).content.decode()
    assert "Thousands of Gandrung Dancers Get Ready for Boom Beach" in page
    assert "only available in Indonesian" not in page
    other = english.get("/banyuwangi/berita/urus-adminduk-cukup-di-kantor-desa/").content.decode()
    assert "Urus Adminduk Cukup di Kantor Desa" in other
    assert "only available in Indonesian" in other
    assert '<h1 lang="id">Urus Adminduk Cukup di Kantor Desa</h1>' in other  # the text, not the page's words
    indonesian = Client().get(GANDRUNG).content.decode()
    assert "Ribuan Penari Gandrung" in indonesian and "Thousands of Gandrung" not in indonesian


def test_an_english_version_needs_title_and_text(editor, banyuwangi):
    with pytest.raises(NewsError) as refused:
        services.article_create(
            actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi, body_en="<p>Text</p>")
        )
    assert refused.value.code == "english_incomplete"


# --- the region home page ----------------------------------------------------------------------------------


def test_the_region_home_shows_the_latest_news_lightly():
    answer = Client(HTTP_ACCEPT_ENCODING="gzip").get("/banyuwangi/")
    body = gzip.decompress(answer.content) if answer.get("Content-Encoding") == "gzip" else answer.content
    page = body.decode()
    block = page.split('id="berita-terbaru"')[1].split("</section>")[0]
    assert "Ribuan Penari Gandrung" in block
    images = re.findall(r"<img [^>]+>", block)
    assert len(images) == 2  # the two latest with a photo
    for img in images:
        assert 'loading="lazy"' in img and 'width="' in img and 'height="' in img and 'alt="' in img
        assert "-320.jpg" in img
    assert len(answer.content) < 20_000  # the HTML of the first visit, compressed


# --- who may see what --------------------------------------------------------------------------------------


OFFICE_PAGES = ["/banyuwangi/kantor/berita/", "/banyuwangi/kantor/berita/baru/", "/banyuwangi/kantor/berita/komentar/"]


@pytest.mark.parametrize(
    "login", ["redaksi@seruyan.demo", "admin@seruyan.demo", "warga@banyuwangi.demo", "capil@banyuwangi.demo"]
)
def test_outsiders_get_404_on_the_office_pages(login, gandrung):
    client = Client()
    client.force_login(User.objects.get(login=login))
    for page in [*OFFICE_PAGES, f"/banyuwangi/kantor/berita/{gandrung.code}/"]:
        assert client.get(page).status_code == 404, page
    answer = client.post("/banyuwangi/kantor/berita/komentar/", {"comment": "x", "what": "approve"})
    assert answer.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in():
    for page in OFFICE_PAGES:
        answer = Client().get(page)
        assert answer.status_code == 302 and "/akun/masuk/" in answer["Location"]


def test_region_admins_open_the_office_pages():
    client = Client()
    client.force_login(User.objects.get(login="admin@banyuwangi.demo"))
    for page in OFFICE_PAGES:
        assert client.get(page).status_code == 200, page


def test_another_regions_article_and_comment_are_404(editor_client, seruyan):
    sry = Article.objects.filter(region=seruyan).first()
    assert Client().get(f"/banyuwangi/berita/{sry.slug}/").status_code == 404
    assert editor_client.get(f"/banyuwangi/kantor/berita/{sry.code}/").status_code == 404
    foreign = services.comment_post(actor=Actor(user=None), article=sry, name="S", email="s@contoh.test", text="Halo")
    editor_client.post("/banyuwangi/kantor/berita/komentar/", {"comment": foreign.code, "what": "approve"})
    foreign.refresh_from_db()
    assert foreign.status == "pending"


def test_services_refuse_an_outsider(gandrung):
    outsider = User.objects.get(login="redaksi@seruyan.demo")
    with pytest.raises(NewsError) as refused:
        services.article_unpublish(actor=Actor(user=outsider), article=gandrung)
    assert refused.value.code == "forbidden"


def test_a_region_without_the_module_has_no_news(banyuwangi):
    banyuwangi.modules = [m for m in banyuwangi.modules if m != "berita"]
    banyuwangi.save()
    assert Client().get("/banyuwangi/berita/").status_code == 404
    assert Client().get(GANDRUNG).status_code == 404
    assert 'id="berita-terbaru"' not in Client().get("/banyuwangi/").content.decode()


def test_the_region_homes_first_visit_stays_within_150_kb_compressed():
    """Everything a first visit may fetch: the compressed page, its stylesheets and scripts (compressed as a
    server or CDN would send them), the icon, and every image of the news block even though they load lazily."""
    answer = Client(HTTP_ACCEPT_ENCODING="gzip").get("/banyuwangi/")
    assert answer.get("Content-Encoding") == "gzip"
    total = len(answer.content)
    page = gzip.decompress(answer.content).decode()
    for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', page):
        path = finders.find(url.removeprefix("/static/"))
        assert path, url
        with open(path, "rb") as asset:
            total += len(gzip.compress(asset.read()))
    for url in re.findall(r'(?:href)="(/banyuwangi/tema\.css)"', page):
        total += len(Client().get(url).content)
    images = re.findall(r'<img src="([^"]+)"', page)
    assert images
    for url in images:
        total += len(b"".join(Client().get(url).streaming_content))
    assert total <= 150 * 1024, total


def test_the_news_list_reads_the_database_a_fixed_number_of_times(django_assert_max_num_queries):
    Client().get("/banyuwangi/berita/")  # warm the caches (region, links)
    with django_assert_max_num_queries(8):
        assert Client().get("/banyuwangi/berita/").status_code == 200
    with django_assert_max_num_queries(14):
        assert Client().get(GANDRUNG).status_code == 200


def _office_post(client, article, **over):
    data = {"what": "save", "version": article.version, "title": article.title, "slug": article.slug,
            "category": article.category_id, "summary": article.summary, "body": article.body, "tags": "uji",
            "image_alt": article.image_alt, "comments_open": "on", **over}  # fmt: skip
    return client.post(f"/banyuwangi/kantor/berita/{article.code}/", data)


def test_two_editors_saving_the_same_version_do_not_overwrite_each_other(editor, editor_client, banyuwangi):
    article = services.article_create(actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi))
    assert _office_post(editor_client, article, title="Versi pertama").status_code == 302
    late = _office_post(editor_client, article, title="Versi kedua yang terlambat")  # the old version number
    assert late.status_code == 422
    assert "Versi kedua yang terlambat" in late.content.decode()
    article.refresh_from_db()
    assert article.title == "Versi pertama"


def test_a_bad_image_in_the_office_form_is_refused_beside_the_field(editor, editor_client, banyuwangi):
    article = services.article_create(actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi))
    answer = _office_post(
        editor_client, article, title="Judul baru saya", image=SimpleUploadedFile("foto.jpg", b"bukan gambar" * 40),
        image_alt="Foto",
    )  # fmt: skip
    page = answer.content.decode()
    assert answer.status_code == 422
    assert 'id="err-image"' in page and "Judul baru saya" in page


def test_scheduling_from_the_office_reads_the_regions_time_zone(editor, editor_client, banyuwangi):
    article = services.article_create(actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi))
    answer = editor_client.post(
        f"/banyuwangi/kantor/berita/{article.code}/", {"what": "schedule", "publish_at": "2031-01-02T08:00"}
    )
    assert answer.status_code == 302
    article.refresh_from_db()
    assert article.status == "scheduled"
    assert article.publish_at == dt.datetime(2031, 1, 2, 1, 0, tzinfo=dt.UTC)  # 08.00 WIB
    past = editor_client.post(
        f"/banyuwangi/kantor/berita/{article.code}/", {"what": "schedule", "publish_at": "2020-01-02T08:00"}
    )
    assert past.status_code == 422 and 'id="err-publish_at"' in past.content.decode()


def test_an_editor_adds_a_category_and_a_duplicate_is_refused(editor_client, banyuwangi):
    assert editor_client.post("/banyuwangi/kantor/berita/", {"name": "Olahraga", "name_en": "Sport"}).status_code == 302
    assert banyuwangi.news_categories.filter(slug="olahraga", name_en="Sport").exists()
    again = editor_client.post("/banyuwangi/kantor/berita/", {"name": "Olahraga"})
    assert again.status_code == 422 and 'id="err-name"' in again.content.decode()


def test_editors_preview_a_draft_that_the_public_cannot_see(editor, editor_client, banyuwangi):
    article = services.article_create(
        actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi, title="Draf rahasia redaksi")
    )
    preview = editor_client.get(f"/banyuwangi/kantor/berita/{article.code}/pratinjau/")
    assert preview.status_code == 200 and "Draf rahasia redaksi" in preview.content.decode()
    assert 'id="komentar"' not in preview.content.decode()
    assert Client().get(f"/banyuwangi/berita/{article.slug}/").status_code == 404
    outsider = Client()
    outsider.force_login(User.objects.get(login="redaksi@seruyan.demo"))
    assert outsider.get(f"/banyuwangi/kantor/berita/{article.code}/pratinjau/").status_code == 404


def test_a_replaced_lead_image_is_deleted_once_the_change_is_committed(
    editor, banyuwangi, django_capture_on_commit_callbacks
):
    article = services.article_create(
        actor=Actor(user=editor), region=banyuwangi, data=_data(banyuwangi, image_alt="Foto"), image=_jpeg((700, 400))
    )
    old = services.image_path(banyuwangi, article.image_key, 640)
    assert default_storage.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(
            actor=Actor(user=editor), article=article, data=_data(banyuwangi, image_alt="Foto baru"), image=_jpeg()
        )
    assert not default_storage.exists(old)
    assert default_storage.exists(services.image_path(banyuwangi, article.image_key, 1200))


def test_the_api_lists_published_news_only(banyuwangi):
    answer = Client().get("/api/v1/regions/banyuwangi/news")
    assert answer.status_code == 200
    slugs = [a["slug"] for a in answer.json()]
    assert "ribuan-penari-gandrung-siap-tampil-di-pantai-boom" in slugs
    assert "festival-kopi-desa-direncanakan" not in slugs and "jadwal-pelayanan-libur-akhir-tahun" not in slugs
    one = Client().get("/api/v1/regions/banyuwangi/news/ribuan-penari-gandrung-siap-tampil-di-pantai-boom").json()
    assert one["title_en"].startswith("Thousands") and one["reactions"]["senang"] >= 12
    assert set(one["image"]["renditions"]) == {"320", "640", "1200"}
    assert Client().get("/api/v1/regions/banyuwangi/news/festival-kopi-desa-direncanakan").status_code == 404
    only = Client().get("/api/v1/regions/banyuwangi/news?category=viral").json()
    assert [a["slug"] for a in only] == ["aksi-bersih-pantai-cacalan-ramai-dibagikan"]


def test_feed_readers_ask_for_the_english_feed_by_parameter():
    root = ET.fromstring(Client().get("/banyuwangi/berita/feed/?lang=en").content)  # noqa: S314
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert "Thousands of Gandrung Dancers Get Ready for Boom Beach" in titles
    assert "Urus Adminduk Cukup di Kantor Desa" in titles  # no English version: Indonesian
    assert root.find(f"{ATOM}title").text.startswith("News of")
    indonesian = ET.fromstring(Client().get("/banyuwangi/berita/feed/").content)  # noqa: S314
    assert indonesian.find(f"{ATOM}title").text.startswith("Berita")
