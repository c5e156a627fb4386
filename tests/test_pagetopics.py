"""Issue #20: a public page is kept until a topic it shows changes (gerai.core.pagetopics): every audited action
used in gerai/ is classified in its one table, and a write of each topic shows on the next request of the
pages that show it, while writes that change no public page (an application's steps) keep them."""

import ast
import datetime as dt
import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache

import gerai
from gerai.core import pagecache, pagetopics
from gerai.core.actors import Actor
from gerai.core.pagetopics import CATALOG, FIGURES, INNOVATION, NEWS, REGION

pytestmark = pytest.mark.django_db
GERAI = Path(gerai.__file__).parent
WIB = dt.timezone(dt.timedelta(hours=7))


# --- every action is classified ------------------------------------------------------------------------------


def _act_values() -> list[str]:
    from gerai.governance.policy import Act

    return [act.value for act in Act]


def _service_parts() -> list[str]:
    from gerai.catalog.forms import PART_FORMSETS

    return list(PART_FORMSETS)


#: the parts of an action's name the AST cannot follow (a value from outside its module), and where they come from
DYNAMIC: dict[tuple[str, str], Callable[[], list[str]]] = {
    ("governance/services.py", "act.value"): _act_values,
    ("catalog/services.py", "part"): _service_parts,  # the admin's part URL, checked against PART_FORMSETS
    ("complaints/services.py", "how"): lambda: ["not_authority", "archive"],  # report_decline's `status` table
}


class _Module:
    def __init__(self, path: Path):
        self.name = str(path.relative_to(GERAI))
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.parent = {child: node for node in ast.walk(self.tree) for child in ast.iter_child_nodes(node)}

    def function_of(self, node) -> ast.FunctionDef | None:
        while node in self.parent:
            node = self.parent[node]
            if isinstance(node, ast.FunctionDef):
                return node
        return None

    def values(self, node, where) -> set[str]:
        """Every string `node` (an expression inside the function `where`) can be."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self.values(node.body, where) | self.values(node.orelse, where)
        if isinstance(node, ast.JoinedStr):
            parts = [self.values(p.value if isinstance(p, ast.FormattedValue) else p, where) for p in node.values]
            return {"".join(combo) for combo in itertools.product(*parts)}
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return {a + b for a in self.values(node.left, where) for b in self.values(node.right, where)}
        if isinstance(node, ast.Name) and where is not None:
            params = [a.arg for a in (*where.args.posonlyargs, *where.args.args, *where.args.kwonlyargs)]
            if node.id in params:
                found = self.arguments(where, node.id)
                if found:
                    return found
        key = (self.name, ast.unparse(node))
        if key in DYNAMIC:
            return set(DYNAMIC[key]())
        raise AssertionError(f"gerai/{self.name}:{node.lineno}: which actions can {key[1]!r} make? Add it to DYNAMIC")

    def arguments(self, function: ast.FunctionDef, param: str) -> set[str]:
        """What the calls of `function` in this module pass as `param`."""
        positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        found: set[str] = set()
        for call in ast.walk(self.tree):
            if not isinstance(call, ast.Call) or getattr(call.func, "id", None) != function.name:
                continue
            given = next((k.value for k in call.keywords if k.arg == param), None)
            if given is None and param in positional and positional.index(param) < len(call.args):
                given = call.args[positional.index(param)]
            if given is not None:
                found |= self.values(given, self.function_of(call))
        return found


def actions_used() -> set[str]:
    """Every action name gerai/ can pass to audit_record, followed through helpers like complaints' _audit."""
    actions: set[str] = set()
    for path in GERAI.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        module = _Module(path)
        for call in ast.walk(module.tree):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "audit_record":
                action = next((k.value for k in call.keywords if k.arg == "action"), None)
                if action is not None:
                    actions |= module.values(action, module.function_of(call))
    return actions


def test_every_audited_action_is_classified_and_every_entry_is_used():
    used = actions_used()
    assert len(used) > 100 and {"application.submit", "report.file", "news.article_publish"} <= used
    unclassified = sorted(used - set(pagetopics.ACTIONS))
    assert not unclassified, (
        f"decide which public pages these change and add them to gerai/core/pagetopics.py: {unclassified}"
    )
    assert not sorted(set(pagetopics.ACTIONS) - used), "actions nothing records any more"
    assert pagetopics.topics_of("no.such_action") == (REGION,)  # unclassified: everything of its region


def test_page_topics_are_declared_and_known():
    with pytest.raises(ValueError):
        pagecache.public_page("x", topics=("weather",))
    with pytest.raises(TypeError):
        pagecache.public_page("x")  # type: ignore[call-arg]


# --- versions per (region, topic) ----------------------------------------------------------------------------


@pytest.fixture
def cached_pages(settings):
    settings.GERAI_PUBLIC_CACHE_SECONDS = 300
    settings.GERAI_MIN_PUBLIC_CELL = 1
    cache.clear()
    yield
    cache.clear()


def _counter():
    built: list[int] = []

    def build():
        built.append(1)
        return len(built)

    return build


def test_a_write_makes_stale_only_its_topics_and_a_region_change_everything(
    cached_pages, banyuwangi, seruyan, django_capture_on_commit_callbacks
):
    news, catalog, home, everywhere = _counter(), _counter(), _counter(), _counter()

    def read():
        return (
            pagecache.cached(banyuwangi.pk, "news", (), news, topics=(NEWS,)),
            pagecache.cached(banyuwangi.pk, "catalog", (), catalog, topics=(CATALOG,)),
            pagecache.cached(banyuwangi.pk, "home", (), home, topics=(CATALOG, NEWS)),
            pagecache.cached(pagecache.PLATFORM, "all", (), everywhere, topics=(INNOVATION,)),
        )

    assert read() == (1, 1, 1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.on_audited_write(action="application.submit", region=banyuwangi)
        pagecache.on_audited_write(action="survey.answer", region=banyuwangi)
    assert read() == (1, 1, 1, 1)  # nothing public changed
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.on_audited_write(action="news.article_publish", region=banyuwangi)
    assert read() == (2, 1, 2, 1)  # the news and the home page that lists them
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.on_audited_write(action="service.update", region=seruyan)
        pagecache.on_audited_write(action="innovation.create", region=seruyan)
    assert read() == (2, 1, 2, 2)  # another region's: only the platform's pages of its topic
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.changed(banyuwangi, FIGURES)
    assert read() == (2, 1, 2, 2)
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.on_audited_write(action="something.new", region=banyuwangi)  # unclassified: everything
    assert read() == (3, 2, 3, 3)
    cache.delete(pagecache._version_key(banyuwangi.pk, NEWS))  # evicted: a new version, never an old one again
    assert read() == (4, 2, 4, 3)


def test_a_build_that_fails_is_not_kept_and_frees_the_next_build(cached_pages, banyuwangi):
    def fail():
        raise RuntimeError

    with pytest.raises(RuntimeError):
        pagecache.cached(banyuwangi.pk, "z", (), fail, topics=(NEWS,))
    assert pagecache.cached(banyuwangi.pk, "z", (), lambda: "ok", topics=(NEWS,)) == "ok"


# --- a write of each topic shows on the next request ---------------------------------------------------------


def _anonymous(client_for, path: str) -> str:
    """The page an anonymous visitor gets, without its own nonce and CSRF token."""
    response = client_for(None).get(path)
    assert response.status_code == 200
    page = re.sub(r'nonce="[^"]*"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def test_publishing_news_shows_on_the_news_list_and_the_region_home(
    cached_pages, client_for, django_capture_on_commit_callbacks
):
    from gerai.news.models import Article
    from gerai.news.services import article_publish, article_unpublish

    article = Article.objects.filter(region__slug="banyuwangi", status="published").order_by("-publish_at").first()
    assert article is not None
    pages = ["/banyuwangi/berita/", "/banyuwangi/"]
    assert all(article.title in _anonymous(client_for, p) for p in pages)
    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(actor=Actor.system(), article=article)
    assert not any(article.title in _anonymous(client_for, p) for p in pages)
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(actor=Actor.system(), article=article)
    assert all(article.title in _anonymous(client_for, p) for p in pages)


def test_a_service_edit_shows_on_the_catalog_and_a_submission_keeps_it(
    cached_pages, client_for, people, submitted, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from gerai.catalog.models import Service
    from gerai.catalog.services import service_update

    service = Service.objects.get(region__slug="banyuwangi", slug="akta-kelahiran")
    before = _anonymous(client_for, "/banyuwangi/layanan/")
    with django_capture_on_commit_callbacks(execute=True):
        submitted()  # an application's steps change no public page
    with django_assert_max_num_queries(1):  # the region row at most: the page is the kept one
        assert _anonymous(client_for, "/banyuwangi/layanan/") == before
    with django_capture_on_commit_callbacks(execute=True):
        service_update(actor=Actor(user=people["bwi_admin"]), service=service, data={"summary": "Ringkasan baru"})
    assert "Ringkasan baru" in _anonymous(client_for, "/banyuwangi/layanan/")


@pytest.fixture
def coordinator(db):
    from gerai.accounts.models import User

    return Actor(user=User.objects.get(login="pengaduan@banyuwangi.demo"))


def _file_report(banyuwangi, description: str):
    from gerai.complaints.models import Category
    from gerai.complaints.services import report_file

    return report_file(
        actor=Actor.system(),
        region=banyuwangi,
        category=Category.objects.get(region=banyuwangi, code="sampah"),
        description=description,
        address="Pasar Banyuwangi",
        anonymous=True,
    )


def test_a_complaint_shows_on_the_list_when_it_becomes_public(
    cached_pages, client_for, banyuwangi, coordinator, django_capture_on_commit_callbacks
):
    before = _anonymous(client_for, "/banyuwangi/pengaduan/")
    with django_capture_on_commit_callbacks(execute=True):
        report = _file_report(banyuwangi, "Tumpukan sampah di pasar belum diangkut tiga hari")
    assert _anonymous(client_for, "/banyuwangi/pengaduan/") == before  # filed, not yet public: kept
    with django_capture_on_commit_callbacks(execute=True):
        from gerai.complaints.services import report_verify

        report_verify(actor=coordinator, report=report)
    assert report.tracking_code in _anonymous(client_for, "/banyuwangi/pengaduan/")


def test_a_rollup_fold_shows_on_transparency_and_keeps_the_catalog(
    cached_pages, client_for, submitted, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from gerai.dashboards.rollups import rollups_fold

    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=WIB), tick=False):
        catalog = _anonymous(client_for, "/banyuwangi/layanan/")
        first = _anonymous(client_for, "/banyuwangi/transparansi/?tahun=2026")
        with django_capture_on_commit_callbacks(execute=True):
            submitted()
        assert _anonymous(client_for, "/banyuwangi/transparansi/?tahun=2026") == first  # not folded yet
        with django_capture_on_commit_callbacks(execute=True):
            assert rollups_fold()
        assert _anonymous(client_for, "/banyuwangi/transparansi/?tahun=2026") != first
        with django_assert_max_num_queries(1):
            assert _anonymous(client_for, "/banyuwangi/layanan/") == catalog  # a fold bumps only the figures


# --- Open311 GETs are kept like public pages ------------------------------------------------------------------


def test_open311_gets_are_kept_by_format_and_parameters_until_the_complaints_change(
    cached_pages, client, banyuwangi, coordinator, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from gerai.complaints.services import report_verify

    base = "/open311/v2/requests"
    q = {"jurisdiction_id": "banyuwangi"}
    first = client.get(f"{base}.json", q)
    assert first.status_code == 200 and first["Access-Control-Allow-Origin"] == "*"
    with django_assert_max_num_queries(1):  # the region at most: the answer is the kept one
        again = client.get(f"{base}.json", q | {"unused": "x", "status": ""})
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    xml = client.get(f"{base}.xml", q)
    assert xml["Content-Type"].startswith("text/xml") and xml.content != first.content
    assert client.get(f"{base}.json", q | {"page_size": "1"}).json() == first.json()[:1]
    assert client.get(f"{base}.json", q | {"status": "bogus"}).status_code == 400  # an error is never kept
    with django_capture_on_commit_callbacks(execute=True):
        report = _file_report(banyuwangi, "Sampah menumpuk di saluran air depan sekolah")
    one = client.get(f"{base}/{report.tracking_code}.json", q)
    assert one.json()[0]["status"] == "open"
    with django_capture_on_commit_callbacks(execute=True):
        report_verify(actor=coordinator, report=report)
    ids = [r["service_request_id"] for r in client.get(f"{base}.json", q).json()]
    assert report.tracking_code in ids


def test_an_adoption_published_elsewhere_shows_on_the_source_services_page(
    cached_pages, personas, client_for, django_capture_on_commit_callbacks
):
    from gerai.catalog.services import service_copy, service_publish

    source, region_a, region_b = personas.service, personas.service.region, personas.b.region
    path = f"/{region_a.slug}/layanan/{source.slug}/"
    assert region_b.name not in _anonymous(client_for, path)
    with django_capture_on_commit_callbacks(execute=True):
        copy = service_copy(actor=Actor(user=personas.outsider_admin), source=source, region=region_b, slug="sk")
    with django_capture_on_commit_callbacks(execute=True):
        service_publish(actor=Actor(user=personas.outsider_admin), service=copy)  # in the other region
    assert region_b.name in _anonymous(client_for, path)
