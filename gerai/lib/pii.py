"""Personal data encrypted at rest, with keys outside the database.

Envelope encryption: each value gets its own data key (AES-256-GCM); the data key is wrapped by a key
encryption key (KEK) named by a key id. GERAI_PII_KEYS lists the KEKs, `kid:base64(32 bytes)` separated
by commas, the first one current (or `@/path/to/file` holding that list); `manage.py pii_rotate`
re-encrypts every value under the current KEK, so rotation is a command, not a migration. Look-ups use a
blind index: HMAC-SHA256 of the normalised value under GERAI_PII_INDEX_KEY, so uniqueness and search
work while the database holds no NIK.

Stored form: "pii1:<kid>:<base64 wrapped key>:<base64 nonce+ciphertext>". A value not in that form is
read as it is (rows written before encryption, until the migration or pii_rotate encrypts them)."""

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "pii1:"


@cache
def _keyring(spec: str) -> tuple[str, dict[str, bytes]]:
    if spec.startswith("@"):
        with open(spec[1:]) as handle:
            spec = handle.read()
    keys: dict[str, bytes] = {}
    current = ""
    for item in (part.strip() for part in spec.replace("\n", ",").split(",")):
        if not item:
            continue
        kid, _, encoded = item.partition(":")
        key = base64.b64decode(encoded)
        if len(key) != 32 or not kid.isalnum():
            raise ImproperlyConfigured("GERAI_PII_KEYS: each key is kid:base64 of 32 bytes, kid letters and digits")
        keys[kid] = key
        current = current or kid
    if not keys:
        raise ImproperlyConfigured("GERAI_PII_KEYS names no key")
    return current, keys


def keyring() -> tuple[str, dict[str, bytes]]:
    """(current key id, every key by id)."""
    return _keyring(settings.GERAI_PII_KEYS)


def current_kid() -> str:
    return keyring()[0]


def encrypt(plain: str) -> str:
    kid, keys = keyring()
    data_key = AESGCM.generate_key(bit_length=256)
    wrap_nonce, nonce = os.urandom(12), os.urandom(12)
    wrapped = wrap_nonce + AESGCM(keys[kid]).encrypt(wrap_nonce, data_key, kid.encode())
    sealed = nonce + AESGCM(data_key).encrypt(nonce, plain.encode(), None)
    return f"{PREFIX}{kid}:{base64.b64encode(wrapped).decode()}:{base64.b64encode(sealed).decode()}"


def kid_of(stored: str) -> str | None:
    return stored[len(PREFIX) :].split(":", 1)[0] if stored.startswith(PREFIX) else None


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before encryption
    kid, wrapped_b64, sealed_b64 = stored[len(PREFIX) :].split(":")
    keys = keyring()[1]
    if kid not in keys:
        raise ImproperlyConfigured(f"personal data sealed with key {kid!r}, which GERAI_PII_KEYS no longer lists")
    wrapped, sealed = base64.b64decode(wrapped_b64), base64.b64decode(sealed_b64)
    data_key = AESGCM(keys[kid]).decrypt(wrapped[:12], wrapped[12:], kid.encode())
    return AESGCM(data_key).decrypt(sealed[:12], sealed[12:], None).decode()


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed, deterministic digest for equality look-ups (one purpose per kind of value, so a NIK's
    index and a phone number's never compare)."""
    key = hmac.new(settings.GERAI_PII_INDEX_KEY.encode(), f"gerai-pii:{purpose}".encode(), hashlib.sha256).digest()
    return hmac.new(key, value.strip().encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted (lib/pii.py). Python sees the plain value; the database never does.
    Only isnull look-ups work: search through a blind-index column beside it."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or str(value).startswith(PREFIX):
            return value
        return encrypt(str(value))

    def get_lookup(self, lookup_name):
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None


class Personal(str):
    """A value to be stored encrypted inside a JSON column (EncryptedJSONField). It is a str, so it compares,
    prints, renders and serialises as the plain value; only the column's write seals it."""

    __slots__ = ()


def mark_personal(value):
    """`value` marked personal: a string, or each string of a list; other values (numbers) as they are."""
    if isinstance(value, str):
        return Personal(value)
    if isinstance(value, list):
        return [Personal(item) if isinstance(item, str) else item for item in value]
    return value


def _seal(value):
    if isinstance(value, Personal):
        return encrypt(str(value)) if value else ""
    if isinstance(value, dict):
        return {key: _seal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_seal(item) for item in value]
    return value


def opened(value):
    """A JSON value as stored, with every sealed string opened (as Personal, so writing it seals it anew)."""
    return _open(value)


def _open(value):
    if isinstance(value, str):
        return Personal(decrypt(value)) if value.startswith(PREFIX) else value
    if isinstance(value, dict):
        return {key: _open(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_open(item) for item in value]
    return value


def sealed_kids(value) -> set[str]:
    """The key ids of every sealed string in a JSON value as stored (for pii_rotate)."""
    if isinstance(value, str):
        kid = kid_of(value)
        return {kid} if kid else set()
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return set().union(*(sealed_kids(item) for item in items)) if items else set()


class EncryptedJSONField(models.JSONField):
    """A JSON column whose Personal strings (at any depth) are stored encrypted, each on its own, and read
    back as Personal (so saving again seals them again). Everything else is stored as JSON as usual, so
    the rest of the document stays searchable. Reading is the one place that decrypts: `obj.field`,
    `.values()`, `.values_list()` and key transforms all pass through from_db_value."""

    def from_db_value(self, value, expression, connection):
        return _open(super().from_db_value(value, expression, connection))

    def get_prep_value(self, value):
        return super().get_prep_value(_seal(value))
