import pytest
from django.utils import translation

from gerai.lib.files import REJECTED_MESSAGES, FileRejected, rejection_message, sniff

PDF_HEAD = b"%PDF-1.4\n" + b"0" * 100
EXE_HEAD = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100


@pytest.mark.parametrize(
    ("name", "head", "size", "code"),
    [
        ("a.pdf", PDF_HEAD, 0, "empty"),
        ("a.pdf", PDF_HEAD, 3 * 2**20, "too_large"),
        ("a.exe", EXE_HEAD, 100, "type_not_allowed"),
        ("a.pdf", EXE_HEAD, 100, "content_mismatch"),
    ],
)
def test_every_refusal_has_its_message(name, head, size, code):
    with pytest.raises(FileRejected) as rejected:
        sniff(head, name=name, allowed=["pdf", "jpg"], size=size, max_size=2 * 2**20)
    assert rejected.value.code == code and code in REJECTED_MESSAGES
    with translation.override("en"):
        message = rejection_message(rejected.value, name="KTP", allowed=["pdf", "jpg"], max_size=2 * 2**20)
    assert message.startswith("KTP: the file")
    if code == "too_large":
        assert message == "KTP: the file is larger than 2 MB."
    if code == "type_not_allowed":
        assert message == "KTP: the file must be one of: PDF, JPG."


def test_a_limit_below_a_whole_megabyte_is_given_in_kilobytes():
    with translation.override("en"):
        message = rejection_message(FileRejected("too_large"), name="Foto", allowed=["jpg"], max_size=1536 * 1024)
    assert message == "Foto: the file is larger than 1536 KB."
