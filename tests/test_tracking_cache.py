"""Issue #20: public tracking asked again and again for one code is answered from the shared cache, and made
stale by any change of that application; the throttle still counts every request, another region never
answers, unknown codes leave nothing behind, and a signed-in officer sees what everyone sees."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gerai.applications import services, tracking
from gerai.applications.models import Status
from gerai.core.actors import Actor
from gerai.core.throttle import throttle_reset_local

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.GERAI_PUBLIC_CACHE_SECONDS = 300
    cache.clear()
    throttle_reset_local()
    tracking._FOUND_ONCE.clear()
    yield
    cache.clear()
    throttle_reset_local()


def _api(client, code, region="banyuwangi"):
    return client.get(f"/api/v1/regions/{region}/track/{code}")


def _page(client, code, region="banyuwangi"):
    return client.get(f"/{region}/lacak/", {"kode": code})


def _main(page: str) -> str:
    return page[page.index('<main id="main"') : page.index("</main>")]


def _queries(call):
    with CaptureQueriesContext(connection) as queries:
        response = call()
    return response, len(queries)


def test_a_repeated_lookup_is_kept_and_a_change_shows_at_once(
    kept, submitted, people, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted()
    code, client = application.tracking_code, client_for(None)
    first_api, first_page = _api(client, code), _page(client, code)  # found: remembered in the process
    assert first_api.json()["status"] == Status.SUBMITTED and first_page.status_code == 200
    _api(client, code), _page(client, code)  # asked again: the versions are made
    _api(client, code), _page(client, code)  # these are kept
    again_api, api_queries = _queries(lambda: _api(client, code))
    again_page, page_queries = _queries(lambda: _page(client, code))
    assert again_api.content == first_api.content and api_queries <= 1  # the region (memoised in production)
    assert again_page.status_code == 200 and page_queries <= 1 and b'data-status="submitted"' in again_page.content
    assert again_page.content.replace(b" ", b"") != b""  # a whole page, with this visitor's own nonce
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_correction(
            actor=Actor(user=people["desa_officer"]), application=application, reason="Foto KK buram."
        )
    assert _api(client, code).json()["status"] == Status.NEEDS_CORRECTION  # the next lookup: the new status
    page = _page(client, code).content.decode()
    assert 'data-status="needs_correction"' in page and "Foto KK buram" not in page  # never the reason


def test_a_step_done_is_shown_on_the_next_lookup(
    kept, submitted, people, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted()
    code, client = application.tracking_code, client_for(None)
    for _ in range(4):
        before = _api(client, code).json()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_complete_step(actor=Actor(user=people["desa_officer"]), application=application)
    after = _api(client, code).json()
    assert len(after["history"]) == len(before["history"]) + 1 and after["current_step"] != before["current_step"]


def test_another_regions_code_never_answers(kept, submitted, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted()
    code, client = application.tracking_code, client_for(None)
    for _ in range(4):
        assert _api(client, code).status_code == 200 and _page(client, code).status_code == 200
    assert _api(client, code, "seruyan").status_code == 404
    page = _page(client, code, "seruyan")
    assert b"data-status" not in page.content and code.encode() in page.content  # the form, with what was typed


def test_unknown_codes_leave_nothing_in_the_cache(kept, client_for, banyuwangi):
    client = client_for(None)
    for i in range(5):
        assert _api(client, f"BWI-AAAA-{i:04d}").status_code == 404
        assert b"data-status" not in _page(client, f"BWI-BBBB-{i:04d}").content
    assert not [key for key in cache._cache if b"track" in str(key).encode()]  # locmem: its keys


def test_the_throttle_counts_kept_answers(kept, settings, submitted, client_for, django_capture_on_commit_callbacks):
    settings.GERAI_THROTTLES = settings.GERAI_THROTTLES | {"tracking": (6, 60)}
    with django_capture_on_commit_callbacks(execute=True):
        code = submitted().tracking_code
    client = client_for(None)
    assert [_api(client, code).status_code for _ in range(7)] == [200] * 6 + [429]  # the 4th to 6th were kept
    throttle_reset_local()
    assert [_page(client, code).status_code for _ in range(7)] == [200] * 6 + [429]


def test_a_signed_in_officer_sees_the_same(kept, submitted, people, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted()
    code, anonymous, officer = application.tracking_code, client_for(None), client_for("desa_officer")
    for _ in range(4):
        assert _api(anonymous, code).status_code == 200 and _page(anonymous, code).status_code == 200
    assert _api(officer, code).content == _api(anonymous, code).content
    with django_capture_on_commit_callbacks(execute=True):
        services.application_complete_step(actor=Actor(user=people["desa_officer"]), application=application)
    seen = [_page(client, code).content.decode() for client in (anonymous, officer)]
    assert _api(officer, code).content == _api(anonymous, code).content
    assert all(f'data-status="{Status.IN_PROCESS}"' in page for page in seen)
    assert _main(seen[0]) == _main(seen[1])  # the same tracking, in each one's own layout (signed in or not)
    signed_in = f'action="{reverse("accounts:logout")}"'
    assert signed_in in seen[1] and signed_in not in seen[0]


def test_a_renamed_service_shows_on_the_next_lookup(
    kept, submitted, people, client_for, django_capture_on_commit_callbacks
):
    from gerai.catalog.services import service_update

    with django_capture_on_commit_callbacks(execute=True):
        application = submitted()
    code, client = application.tracking_code, client_for(None)
    for _ in range(4):
        _api(client, code), _page(client, code)
    with django_capture_on_commit_callbacks(execute=True):
        service_update(actor=Actor(user=people["bwi_admin"]), service=application.service, data={"name": "Akta Baru"})
    assert _api(client, code).json()["service"] == "Akta Baru"
    assert "Akta Baru" in _page(client, code).content.decode()
