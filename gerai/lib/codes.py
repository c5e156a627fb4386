"""Short, readable, unguessable public codes (tracking codes, references).

Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud over the phone or copied from
paper survives. Eight random symbols give 32**8 ≈ 1.1e12 codes per region prefix.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def random_symbols(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def tracking_code(prefix: str) -> str:
    body = random_symbols(8)
    return f"{prefix.upper()}-{body[:4]}-{body[4:]}"


def normalize_tracking_code(raw: str) -> str:
    """Accept what people type: lower case, spaces, missing dashes, O for 0, I or L for 1."""
    compact = "".join(ch for ch in raw.upper() if ch.isalnum())
    if len(compact) < 9:
        return compact
    prefix, body = compact[:-8], compact[-8:].translate(_CONFUSABLE)
    return f"{prefix}-{body[:4]}-{body[4:]}"


def reference() -> str:
    """An opaque reference for URLs of private objects (16 symbols, 80 bits)."""
    return random_symbols(16).lower()
