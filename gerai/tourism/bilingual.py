"""Indonesian text with optional English beside it. An English visitor reads the English text when the main
fields have been translated; otherwise the Indonesian text, marked lang="id", with a note saying so."""

from dataclasses import dataclass, field

#: the translatable fields of each model; the first three (those written in Indonesian) decide whether the
#: English version exists
FIELDS = {
    "destination": ("name", "summary", "description", "opening_hours", "tickets", "accessibility"),
    "event": ("title", "summary", "description", "price_note"),
}


@dataclass
class Texts:
    lang: str  # the language of the text shown: "id" or "en"
    fallback: bool  # English was asked for, and the text is Indonesian
    values: dict = field(default_factory=dict)

    def __getattr__(self, name: str):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None


def texts(obj, language: str) -> Texts:
    names = FIELDS[obj._meta.model_name]
    indonesian = {name: getattr(obj, name) for name in names}
    if not (language or "id").startswith("en"):
        return Texts("id", False, indonesian)
    if not all(getattr(obj, f"{name}_en", "") or not indonesian[name] for name in names[:3]):
        return Texts("id", True, indonesian)
    return Texts("en", False, {name: getattr(obj, f"{name}_en", "") or indonesian[name] for name in names})


def alt_text(photo, language: str) -> str:
    return photo.alt_en if (language or "").startswith("en") and photo.alt_en else photo.alt
