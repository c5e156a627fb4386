"""Check an upload by its bytes, not its name."""

from dataclasses import dataclass

import filetype

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
