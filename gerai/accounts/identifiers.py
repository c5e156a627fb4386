"""Normalising what people type as their sign-in: email addresses and Indonesian mobile numbers."""

import re

_PHONE = re.compile(r"^\+628[1-9][0-9]{6,11}$")


def normalize_phone(raw: str) -> str | None:
    digits = re.sub(r"[\s\-().]", "", raw)
    if digits.startswith("08"):
        digits = "+62" + digits[1:]
    elif digits.startswith("628"):
        digits = "+" + digits
    return digits if _PHONE.match(digits) else None


def normalize_identifier(raw: str) -> tuple[str, str] | None:
    """('email', 'a@b.id') or ('phone', '+62812…'), or None when it is neither."""
    raw = raw.strip()
    if "@" in raw:
        local, _, domain = raw.rpartition("@")
        if local and "." in domain:
            return "email", f"{local}@{domain.lower()}".lower()
        return None
    phone = normalize_phone(raw)
    return ("phone", phone) if phone else None


def mask_phone(phone: str) -> str:
    return phone[:5] + "*" * (len(phone) - 8) + phone[-3:] if len(phone) > 8 else "***"


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"
