"""Check an upload by its bytes, not its name."""

from dataclasses import dataclass

import filetype
from django.utils.translation import gettext_lazy

#: kind -> (MIME type, accepted name endings)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", (".pdf",)),
    "jpg": ("image/jpeg", (".jpg", ".jpeg")),
    "png": ("image/png", (".png",)),
}


@dataclass(frozen=True)
class Sniffed:
    kind: str
    mime: str


class FileRejected(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


#: What to tell the person whose upload was refused, by FileRejected.code; `name` is the file's (or the
#: document's) name, `types` the accepted kinds, `limit` the largest size.
REJECTED_MESSAGES = {
    "empty": gettext_lazy("%(name)s: the file is empty."),
    "too_large": gettext_lazy("%(name)s: the file is larger than %(limit)s."),
    "type_not_allowed": gettext_lazy("%(name)s: the file must be one of: %(types)s."),
    "content_mismatch": gettext_lazy(
        "%(name)s: the file's content is not what its name says. Upload a real %(types)s file."
    ),
}


def rejection_message(rejected: FileRejected, *, name: str, allowed: list[str], max_size: int) -> str:
    """The refusal in plain words, in the active language: 'KTP: the file is larger than 2 MB.'"""
    megabytes, kilobytes = divmod(max_size, 2**20)
    limit = f"{megabytes} MB" if megabytes and not kilobytes else f"{max_size // 1024} KB"
    types = ", ".join(kind.upper() for kind in allowed)
    return REJECTED_MESSAGES[rejected.code] % {"name": name, "types": types, "limit": limit}


def sniff(head: bytes, *, name: str, allowed: list[str], size: int, max_size: int) -> Sniffed:
    """Return the file's real kind, or raise FileRejected with code
    'empty', 'too_large', 'type_not_allowed' or 'content_mismatch'."""
    if size == 0:
        raise FileRejected("empty")
    if size > max_size:
        raise FileRejected("too_large")
    guessed = filetype.guess(head)
    real_kind = next((k for k, (mime, _) in KINDS.items() if guessed and guessed.mime == mime), None)
    lowered = name.lower()
    named_kind = next((k for k, (_, ends) in KINDS.items() if lowered.endswith(ends)), None)
    if named_kind is None or named_kind not in allowed:
        raise FileRejected("type_not_allowed")
    if real_kind != named_kind:
        raise FileRejected("content_mismatch")
    return Sniffed(real_kind, KINDS[real_kind][0])
