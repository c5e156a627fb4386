"""Issue #20: reads from a streaming replica, with read-your-writes (gerai/core/replica.py)."""

from types import SimpleNamespace

from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from gerai.core import pagecache
from gerai.core.replica import PIN_COOKIE, REPLICA, ReplicaMiddleware, ReplicaRouter
from gerai.regions.models import Region

router = ReplicaRouter()


def _where_reads_go(request) -> str:
    seen = {}

    def view(_request):
        seen["outside"] = router.db_for_read(Region)
        connection = connections["default"]
        connection.in_atomic_block = True  # as in transaction.atomic(), without touching the database
        try:
            seen["inside"] = router.db_for_read(Region)
        finally:
            connection.in_atomic_block = False
        return HttpResponse("ok")

    response = ReplicaMiddleware(view)(request)
    assert seen["inside"] == "default"  # check-then-write and row locks never read a lagging copy
    request.response = response
    return seen["outside"]


def test_safe_requests_read_from_the_replica_and_a_writer_reads_its_writes(settings):
    settings.GERAI_REPLICA_PIN_SECONDS = 15
    factory = RequestFactory()
    get = factory.get("/banyuwangi/transparansi/")
    assert _where_reads_go(get) == REPLICA
    assert PIN_COOKIE not in get.response.cookies
    post = factory.post("/banyuwangi/pengaduan/baru/")
    assert _where_reads_go(post) == "default"
    cookie = post.response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 15 and cookie["httponly"]
    after = factory.get("/banyuwangi/pengaduan/")
    after.COOKIES[PIN_COOKIE] = "1"  # the redirect after the POST, and the next 15 seconds
    assert _where_reads_go(after) == "default"


def test_outside_a_request_everything_reads_and_writes_the_primary():
    assert router.db_for_read(Region) == "default"  # the worker, management commands
    assert router.db_for_write(Region) == "default"
    assert router.allow_migrate(REPLICA, "regions") is False and router.allow_migrate("default", "regions")


def test_a_public_page_built_to_be_kept_reads_the_primary(settings):
    """A write commits on the primary and bumps the region's version; the first visitor after it rebuilds the page.
    Read from a replica that has not replayed the write yet, the old page would be kept under the new version
    (seen while building the multi-instance test, tests/test_scale_out.py): the build reads the primary, a
    page that is not kept (a signed-in visitor's) still reads the replica."""
    settings.GERAI_PUBLIC_CACHE_SECONDS = 300
    seen = []

    @pagecache.public_page("replica-test", topics=["figures"])
    def page(request):
        seen.append(router.db_for_read(Region))
        return HttpResponse("ok")

    def visit(**cookies):
        request = RequestFactory().get("/uji/")
        request.COOKIES.update(cookies)
        request.region, request.LANGUAGE_CODE, request._csp_nonce = SimpleNamespace(pk=10**9), "id", "n"
        return ReplicaMiddleware(page)(request)

    visit()  # a miss: built and kept
    visit()  # a hit: no read at all
    pagecache._bump(10**9)
    visit()  # rebuilt after the change
    visit(**{settings.SESSION_COOKIE_NAME: "signed-in"})  # never kept: the replica serves it
    assert seen == ["default", "default", REPLICA]
