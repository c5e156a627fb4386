"""Public tracking asked again and again for the same code (a citizen refreshing, a link shared in a chat)
is answered from the shared cache, until that application changes (issue #20).

What is kept is the finished answer: the API's JSON per language, and the whole page per host and language
for anonymous visitors (their own CSP nonce put back, as for the other public pages). It carries the
versions of two scopes (gerai.core.pagecache.Scoped): the application's, bumped by every audited write to it
(each transition, step, document, note), and its region's names, bumped by a change to a service or the
region (the page shows the service's name and the region's dates). A kept answer is the same for everyone
who holds the code, and holds nothing the uncached one does not (tracking never shows personal data).

Kept only for a code that found an application, written as it is printed (the page echoes what was typed):
a wrong or unknown code leaves nothing in the cache. The throttle counts every request before the cache is
asked."""

import hashlib
import threading
from collections import OrderedDict

from gerai.applications.models import Application
from gerai.core import pagecache
from gerai.lib.codes import normalize_tracking_code

#: actions that give an application its tracking code: nothing can have been kept under a code this new
_NEW_CODE = frozenset({"application.file", "application.submit"})


def _application_scope(region_id, code: str) -> str:
    return f"track:{region_id}:{code}"


def _names_scope(region_id) -> str:
    return f"track-names:{region_id}"


def kept(region_id, code: str, kind: str, variant: tuple = ()) -> pagecache.Scoped:
    """The slot of one tracking answer (`kind`: "api" or "page") of this region's application `code`."""
    digest = hashlib.blake2b(repr(variant).encode(), digest_size=12).hexdigest()
    return pagecache.Scoped(
        (_application_scope(region_id, code), _names_scope(region_id)),
        f"gerai:track:{region_id}:{code}:{kind}:{digest}",
    )


#: codes this process found once without a version: only a second request makes the version (a round trip),
#: so that codes asked once (most of them) cost one round trip, not two
_FOUND_ONCE: OrderedDict[str, None] = OrderedDict()
_FOUND_ONCE_SIZE = 4096
_found_once_lock = threading.Lock()


def keep(slot: pagecache.Scoped, value) -> None:
    """Keep a found answer in `slot` (after slot.get()); the first time this process finds a code without a
    version it only remembers it."""
    if slot.versions is None:
        with _found_once_lock:
            if slot.key not in _FOUND_ONCE:
                _FOUND_ONCE[slot.key] = None
                if len(_FOUND_ONCE) > _FOUND_ONCE_SIZE:
                    _FOUND_ONCE.popitem(last=False)
                return
            del _FOUND_ONCE[slot.key]
    slot.keep(value)


def canonical(raw: str) -> str | None:
    """The code when it is written as printed (what a link or QR code carries), else None: other spellings
    are answered but not kept, so that nobody can fill the cache with variants of one code."""
    return raw if raw and normalize_tracking_code(raw) == raw else None


def on_audited_write(*, action: str, obj=None, region=None, **_kwargs) -> None:
    """Every audited write to an application makes its kept tracking stale once it commits; a change to a
    service or to the region makes the region's stale (their names and dates are on the answer)."""
    if action.startswith("application."):
        if isinstance(obj, Application) and obj.tracking_code and action not in _NEW_CODE:
            pagecache.scopes_changed(_application_scope(obj.region_id, obj.tracking_code))
    elif action.startswith(("service.", "region.")) and region is not None:
        pagecache.scopes_changed(_names_scope(region.pk))
