"""What the public pages show, kept in the shared cache and made stale by a change of what they show.

Each region has a version per topic in the shared cache (Redis, or the database cache), and the platform one
more set for the pages that read every region (gerai.core.pagetopics lists the topics: catalog, complaints,
news, …, figures, region). A page declares the topics it shows; it is kept with the versions of those topics
and of REGION (the region's name, branding and modules, which every page shows). An audited write
(gerai.core.events.emit, through `subscribe_all`) bumps the topics its action changes (`pagetopics.ACTIONS`:
an application's steps bump nothing, an article's publication bumps news, an action not in the table bumps
REGION, so everything), in its region and on the platform, when its transaction commits, so no web process
serves what it kept before. The fold of the rollups bumps FIGURES. The time limit
(GERAI_PUBLIC_CACHE_SECONDS) bounds what depends on the clock alone (what is past due, this week's agenda).
What is built to be kept reads from the primary, never from a read replica (gerai/core/replica.py): a replica
that has not replayed the write yet would have its old figures kept under the new version until the next change.

* `cached(region_id, name, variant, build, topics=…)`: a value (the open data catalogue's titles and columns).
* `@public_page("name", topics=…)`: a whole public page for anonymous visitors, under the region decorator.
  The page's CSP nonce and CSRF token are taken out when it is kept and the visitor's own put back when it is
  served; signed-in visitors, visitors with pending messages and anything but a 200 are never kept.

A hit costs one round trip to the cache (the versions and the value are read together). After a change the
first visitor builds the page again while the others are served the last one (never for longer than the
build takes), so a busy region's writes never send every visitor to build at once."""

import contextlib
import hashlib
import re
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token

from gerai.core import pagetopics
from gerai.core.pagetopics import REGION, TOPICS
from gerai.core.replica import reading_primary

PLATFORM = "all"
BUILD_SECONDS = 30  # the longest a page's build may take before another process builds it too


def _version_key(scope: Any, topic: str) -> str:
    return f"gerai:version:{scope}:{topic}"


def _topics(topics: Iterable[str]) -> tuple[str, ...]:
    """REGION first (every page shows its region), then the page's own topics, each once, in a fixed order."""
    wanted = set(topics)
    unknown = wanted - TOPICS
    if unknown:
        raise ValueError(f"unknown page topics {sorted(unknown)}: see gerai.core.pagetopics")
    return (REGION, *sorted(wanted - {REGION}))


def changed(region: Any, *topics: str) -> None:
    """What the region's public pages show of `topics` may have changed: stale for every process once this
    commits (and the platform's pages of those topics too)."""
    if not settings.GERAI_PUBLIC_CACHE_SECONDS or not topics:
        return  # nothing is kept, or nothing public changed
    region_id = getattr(region, "pk", region)
    bumped = (REGION,) if REGION in topics else _topics(topics)[1:]  # REGION alone makes everything stale
    # robust: a cache that is down or not yet created is logged, never the failure of the write that committed
    transaction.on_commit(lambda: _bump(region_id, bumped), robust=True)


def region_changed(region: Any) -> None:
    """Anything of the region may have changed (its name, branding, modules): every page of it is stale."""
    changed(region, REGION)


def _bump(region_id: Any, topics: Iterable[str] = (REGION,)) -> None:
    # never set, or evicted: a new version, which no kept value can carry
    keys = [_version_key(scope, topic) for scope in (region_id, PLATFORM) if scope is not None for topic in topics]
    _bump_versions(keys, time.time_ns())


def _bump_versions(keys: list[str], fresh: int | None) -> None:
    """Add one to each version; one that does not exist is set to `fresh`, or left absent when it is None.
    Redis does it all in one round trip (gerai.core.rediscache)."""
    bump = getattr(cache, "bump_versions", None)
    if bump is not None:
        bump(keys, fresh)
        return
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:
            if fresh is not None:
                cache.set(key, fresh, None)


def on_audited_write(*, action: str = "", region=None, **_kwargs) -> None:
    changed(region, *pagetopics.topics_of(action))


def _lookup(scope: Any, name: str, variant: tuple, topics: tuple[str, ...]) -> tuple[bool, Any, tuple[str, Any]]:
    """(found, value, slot): found when the kept value is of the current versions of its topics. When it is of
    older ones and another process is already building the new one, the older value is served meanwhile
    (found, for the second or so the build takes), so a change never sends every visitor to build at once."""
    digest = hashlib.blake2b(repr(variant).encode(), digest_size=12).hexdigest()
    key = f"gerai:page:{scope}:{name}:{digest}"
    version_keys = [_version_key(scope, topic) for topic in topics]
    found = cache.get_many([*version_keys, key])
    missing = [k for k in version_keys if k not in found]
    if missing:
        for k in missing:
            cache.add(k, time.time_ns(), None)
        found |= cache.get_many(missing)
    versions = tuple(found.get(k) for k in version_keys)
    hit = found.get(key)
    if hit is not None and hit[0] == versions:
        return True, hit[1], (key, versions)
    if hit is not None and not cache.add(_building_key(key, versions), 1, BUILD_SECONDS):
        return True, hit[1], (key, versions)  # somebody else builds these versions: the last one meanwhile
    return False, None, (key, versions)


def _building_key(key: str, versions: tuple) -> str:
    return f"{key}:building:{'.'.join(map(str, versions))}"


def _keep(slot: tuple[str, Any], value: Any) -> None:
    key, versions = slot
    cache.set(key, (versions, value), settings.GERAI_PUBLIC_CACHE_SECONDS)
    _release(slot)


def _release(slot: tuple[str, Any]) -> None:
    key, versions = slot
    cache.delete(_building_key(key, versions))


def cached[T](region_id: Any, name: str, variant: tuple, build: Callable[[], T], *, topics: Iterable[str]) -> T:
    """`build()`'s value for this region (or PLATFORM), page and variant (language, query), from the shared
    cache when none of `topics` (nor the region itself) changed since it was built. What `build` raises is
    never kept."""
    if not settings.GERAI_PUBLIC_CACHE_SECONDS:
        return build()
    found, value, slot = _lookup(region_id, name, variant, _topics(topics))
    if found:
        return value
    try:
        with reading_primary():  # kept under the current versions: built from what made them current
            value = build()
    except BaseException:
        _release(slot)
        raise
    _keep(slot, value)
    return value


_NONCE = re.compile(rb'nonce="[^"]*"')
_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
_NONCE_MARK = b'nonce="\x00nonce\x00"'
_CSRF_MARK = b'name="csrfmiddlewaretoken" value="\x00csrf\x00"'


def cacheable(request) -> bool:
    return (
        bool(settings.GERAI_PUBLIC_CACHE_SECONDS)
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES  # signed in, or messages in the session
        and "messages" not in request.COOKIES
    )


def serve_kept(request, kept) -> HttpResponse:
    """A kept page with this visitor's own CSP nonce and CSRF token put back."""
    headers, body, csp = kept
    body = body.replace(_NONCE_MARK, f'nonce="{request._csp_nonce}"'.encode())
    if _CSRF_MARK in body:
        body = body.replace(_CSRF_MARK, f'name="csrfmiddlewaretoken" value="{get_token(request)}"'.encode())
    response = HttpResponse(body, headers=headers)
    if csp is not None:
        response._csp_config = csp  # type: ignore[attr-defined]
    return response


def page_to_keep(response) -> tuple | None:
    """What is kept of a page (its nonce and CSRF token marked), or None when it must not be kept."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    body = _CSRF.sub(_CSRF_MARK, _NONCE.sub(_NONCE_MARK, response.content))
    return dict(response.headers), body, getattr(response, "_csp_config", None)


def public_page(name: str, *, topics: Iterable[str], platform: bool = False):
    """Keep this public page for anonymous visitors until one of the `topics` it shows (gerai.core.pagetopics)
    changes in its region (with `platform`, in any region), or the region itself does. Put it under the
    decorator that sets `request.region`."""
    shown = _topics(topics)

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not cacheable(request):
                return view(request, *args, **kwargs)
            scope = PLATFORM if platform else request.region.pk
            variant = (request.get_host(), request.get_full_path(), request.LANGUAGE_CODE)
            found, kept, slot = _lookup(scope, name, variant, shown)
            if found:
                return serve_kept(request, kept)
            try:
                with reading_primary():  # kept under the current versions: built from what made them current
                    response = view(request, *args, **kwargs)
            except BaseException:  # a 404 raised: nothing kept, and nobody waits for this build
                _release(slot)
                raise
            keepable = page_to_keep(response)
            if keepable is not None:
                _keep(slot, keepable)
            else:
                _release(slot)
            return response

        wrapper.page_topics = shown  # type: ignore[attr-defined]  # what it shows (bench/region_costs.py)
        return wrapper

    return decorate


# --- answers kept per object: exact invalidation by the object's own version ------------------------------
#
# The public tracking of one application (a citizen refreshing, a link shared around) is asked again and again
# while the region around it changes all the time, so it cannot follow the region's version. It follows the
# versions of its own scopes instead (the application; the region's names), bumped when a write to them commits.
#
# A scope's version is made only by a reader that found the object (never for a code that names nothing), and
# what that reader read is not kept: a write that committed while it read may have found no version to bump. A
# write bumps only a version that exists (one made later is newer than anything kept), so a kept answer is
# served only if no write to its scopes committed since the versions it carries were read.

SCOPE_SECONDS = 24 * 3600  # a scope's version; when it expires, what was kept under it is stale, never wrong


def _scope_key(scope: str) -> str:
    return f"gerai:scope-version:{scope}"


def scopes_changed(*scopes: str) -> None:
    """What is kept under these scopes is stale for every process once the current transaction commits."""
    if settings.GERAI_PUBLIC_CACHE_SECONDS:
        transaction.on_commit(lambda: _bump_scopes(scopes), robust=True)


def _bump_scopes(scopes: tuple[str, ...]) -> None:
    # a scope without a version is left without: nothing kept under it can be served (see above)
    _bump_versions([_scope_key(scope) for scope in scopes], None)


class Scoped:
    """One answer kept under its scopes' versions: `Scoped(scopes, key).get()` is (found, value) in one round
    trip; after a miss, `keep(value)` when the object was found, or nothing (`keep` makes no entry for an
    answer that the versions read before it cannot vouch for)."""

    __slots__ = ("key", "missing", "scope_keys", "versions")

    def __init__(self, scopes: tuple[str, ...], key: str):
        self.scope_keys = [_scope_key(scope) for scope in scopes]
        self.key = key
        self.versions: tuple | None = None
        self.missing: list[str] = []

    def get(self) -> tuple[bool, Any]:
        if not settings.GERAI_PUBLIC_CACHE_SECONDS:
            return False, None
        found = cache.get_many([*self.scope_keys, self.key])
        versions = tuple(found.get(key) for key in self.scope_keys)
        hit = found.get(self.key)
        self.missing = [key for key, version in zip(self.scope_keys, versions, strict=True) if version is None]
        if not self.missing:
            self.versions = versions
            if hit is not None and hit[0] == versions:
                return True, hit[1]
        return False, None

    def reading(self):
        """Where to read what may be kept: the primary when it will be kept (a replica that has not replayed
        the write that made the version current would have the old answer kept under the new version)."""
        return reading_primary() if self.versions is not None else contextlib.nullcontext()

    def keep(self, value: Any) -> None:
        if not settings.GERAI_PUBLIC_CACHE_SECONDS:
            return
        if self.versions is None:  # a scope had no version: make it, keep nothing read before it existed
            for key in self.missing:
                cache.add(key, time.time_ns(), SCOPE_SECONDS)
            return
        cache.set(self.key, (self.versions, value), settings.GERAI_PUBLIC_CACHE_SECONDS)
